"""User suggestions (``POST /suggest``): better translations, kept for editors to review.

One SQLite database in WAL mode under ``BRIEFS_DATA_DIR``, one row per suggestion: the
languages, the text, the suggested translation, the name of the API key that sent it (never
the key) and the time (UTC). Worker processes share it (SQLite locks the file; a writer
waits up to ``BUSY_TIMEOUT_S``); threads share one connection behind a lock.
``briefs suggestions export`` reads it back as JSON lines or glossary rows.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from service.config import Settings
from service.errors import StorageError
from service.languages import Lang

SUGGESTIONS_FILE = "suggestions.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 5.0


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


class SuggestionStore:
    """The suggestions database. Thread-safe; use as a context manager or ``close()`` it."""

    def __init__(self, path: Path, *, create: bool = True) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            elif not path.exists():
                raise StorageError(
                    f"no suggestions at {path}",
                    hint="suggestions are stored when BRIEFS_SUGGESTIONS=true and "
                    "BRIEFS_DATA_DIR names this folder",
                )
            self._db = _connect(path)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(
                f"cannot open the suggestions database {path}: {exc}",
                hint="make BRIEFS_DATA_DIR a writable folder",
            ) from None

    def __enter__(self) -> SuggestionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Checkpoint the log into the database file and close it."""
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.close()

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


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(
        path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_S
    )
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"suggestions schema version {version} is not known")
        db.execute(
            "CREATE TABLE IF NOT EXISTS suggestions ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " time TEXT NOT NULL,"
            " source TEXT NOT NULL,"
            " target TEXT NOT NULL,"
            " text TEXT NOT NULL,"
            " suggestion TEXT NOT NULL,"
            " key TEXT)"
        )
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    except sqlite3.Error:
        db.close()
        raise
    return db
