"""User suggestions (``POST /suggest``): better translations, kept for editors to review.

One SQLite database in WAL mode under ``BRIEFS_DATA_DIR``, one row per suggestion: the
languages, the text, the suggested translation, the name of the API key that sent it (never
the key) and the time (UTC). Worker processes and threads share it (``service.sqlite_wal``).
``briefs suggestions export`` reads it back as JSON lines or glossary rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from service.config import Settings
from service.errors import StorageError
from service.languages import Lang
from service.sqlite_wal import WalDatabase, connect_wal

SUGGESTIONS_FILE = "suggestions.sqlite3"
SCHEMA_VERSION = 1
_TABLE = (
    "CREATE TABLE IF NOT EXISTS suggestions ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " time TEXT NOT NULL,"
    " source TEXT NOT NULL,"
    " target TEXT NOT NULL,"
    " text TEXT NOT NULL,"
    " suggestion TEXT NOT NULL,"
    " key TEXT)"
)


@dataclass(frozen=True)
class Suggestion:
    """One stored suggestion."""

    id: int
    time: str  # ISO 8601, UTC
    source: Lang
    target: Lang
    text: str
    suggestion: str
    key: str | None  # the API key's name, None when the server needs no key

    def to_json(self) -> dict[str, Any]:
        """The suggestion as a JSON object."""
        return asdict(self)


def suggestions_path(settings: Settings) -> Path:
    """Where the suggestions database lives."""
    return settings.data_dir / SUGGESTIONS_FILE


class SuggestionStore(WalDatabase):
    """The suggestions database. Thread-safe; use as a context manager or ``close()`` it."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        super().__init__()
        self.path = path
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            elif not path.exists():
                raise StorageError(
                    f"no suggestions at {path}",
                    hint="suggestions are stored when BRIEFS_SUGGESTIONS=true and "
                    "BRIEFS_DATA_DIR names this folder",
                )
            self._db = connect_wal(
                path, table=_TABLE, version=SCHEMA_VERSION, what="suggestions schema"
            )
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(
                f"cannot open the suggestions database {path}: {exc}",
                hint="make BRIEFS_DATA_DIR a writable folder",
            ) from None

    def add(
        self, source: Lang, target: Lang, text: str, suggestion: str, key: str | None
    ) -> Suggestion:
        """Store one suggestion (one transaction) and return it."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            with self._lock, self._db:
                cursor = self._db.execute(
                    "INSERT INTO suggestions (time, source, target, text, suggestion, key) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (now, source, target, text, suggestion, key),
                )
        except sqlite3.Error as exc:
            raise StorageError(
                f"cannot store the suggestion in {self.path}: {exc}",
                hint="check that BRIEFS_DATA_DIR is writable and not full",
            ) from None
        return Suggestion(cursor.lastrowid or 0, now, source, target, text, suggestion, key)

    def all(self) -> Iterator[Suggestion]:
        """Every suggestion, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, time, source, target, text, suggestion, key FROM suggestions "
                "ORDER BY id"
            ).fetchall()
        for row in rows:
            yield Suggestion(*row)
