"""SQLite databases in WAL mode, shared by threads and by processes: the run state of an
output folder (``jobs/state.py``) and the suggestions (``suggestions.py``).

Threads share one connection behind a lock; processes share the file (SQLite locks it, and a
writer waits up to ``BUSY_TIMEOUT_S``). Each database has one table and a schema version in
``PRAGMA user_version``; closing checkpoints the log into the database file.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import Self

BUSY_TIMEOUT_S = 5.0


def connect_wal(path: Path, *, table: str, version: int, what: str) -> sqlite3.Connection:
    """Open ``path`` in WAL mode with ``table`` (a ``CREATE TABLE IF NOT EXISTS``);
    sqlite3.DatabaseError when it is not a database or its ``what`` version is unknown."""
    db = sqlite3.connect(
        path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT_S
    )
    try:
        db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a killed process loses nothing; a power cut may lose the last
        # rows (an input done again, a suggestion sent again).
        db.execute("PRAGMA synchronous=NORMAL")
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found not in (0, version):
            raise sqlite3.DatabaseError(f"{what} version {found} is not known")
        db.execute(table)
        db.execute(f"PRAGMA user_version={version}")
    except sqlite3.Error:
        db.close()
        raise
    return db


class WalDatabase:
    """One connection shared by threads behind ``_lock``; a context manager, or ``close()``."""

    _db: sqlite3.Connection

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Checkpoint the log into the database file and close it."""
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.close()
