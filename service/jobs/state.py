"""The run state of an output folder: what each input's outputs were made from.

One SQLite database in WAL mode under ``_briefs/``, one row per finished input, written by
one small transaction when the input is done: the cost per input does not grow with the
folder. An input is skipped only when its content hash, the settings fingerprint and every
output it wrote still match. Outputs are re-hashed only when their size or mtime changed
since they were written; anything else (including a kill between writing the outputs and
recording them) means the input is done again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from service.jobs.paths import UnsafePath, output_path
from service.sqlite_wal import WalDatabase, connect_wal

STATE_VERSION = 1


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def fingerprint(settings: Mapping[str, Any]) -> str:
    """A stable hash of the settings that shape the outputs."""
    canonical = json.dumps(settings, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return sha256_hex(canonical.encode("ascii"))


@dataclass(frozen=True)
class Written:
    """One output as it was written: content hash, and the size and mtime it got."""

    sha256: str
    size: int
    mtime_ns: int


@dataclass
class Entry:
    """What one input's outputs were made from."""

    input: str  # content hash of the input
    settings: str  # settings fingerprint
    outputs: dict[str, Written]  # relative output path -> how it was written
    meta: dict[str, Any] = field(default_factory=dict)  # deterministic facts (titles ...)
    timings_ms: dict[str, float] = field(default_factory=dict)  # kept out of the outputs
    record: str = ""  # hash of its line in a stream file (``briefs.jsonl``), if any

    def to_json(self) -> str:
        """The row's JSON (ASCII, so any input name survives)."""
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Entry:
        """Parse a row; raises ``ValueError``/``TypeError``/``KeyError`` on a bad one."""
        raw = json.loads(text)
        raw["outputs"] = {rel: Written(**w) for rel, w in raw["outputs"].items()}
        return cls(**raw)


class RunState(WalDatabase):
    """The state database of one output folder. Thread-safe; use as a context manager."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.out_dir = path.parent.parent  # the database lives in ``<out>/_briefs/``
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = _open(path)
        self.entries: dict[str, Entry] = dict(self._rows())

    def is_current(self, key: str, digest: str, settings: str, outputs: list[str]) -> bool:
        """Whether ``key`` was done from this input with these settings, outputs intact."""
        entry = self.entries.get(key)
        if entry is None or entry.input != digest or entry.settings != settings:
            return False
        if sorted(entry.outputs) != sorted(outputs):
            return False
        return all(self._intact(rel, written) for rel, written in entry.outputs.items())

    def record(self, key: str, entry: Entry) -> None:
        """Record a finished input: one row, one transaction."""
        with self._lock:
            self.entries[key] = entry
            with self._db:
                self._db.execute(
                    "INSERT OR REPLACE INTO entries (key, entry) VALUES (?, ?)",
                    (_key(key), entry.to_json()),
                )

    def forget(self, keys: list[str]) -> None:
        """Drop inputs (failed ones) so the next run tries them again."""
        with self._lock:
            gone = [key for key in keys if self.entries.pop(key, None) is not None]
            if gone:
                with self._db:
                    self._db.executemany(
                        "DELETE FROM entries WHERE key = ?", [(_key(k),) for k in gone]
                    )

    def _intact(self, rel: str, written: Written) -> bool:
        try:
            path = output_path(self.out_dir, rel)
            stat = path.stat()
            if stat.st_size != written.size:
                return False
            if stat.st_mtime_ns == written.mtime_ns:
                return True
            return sha256_hex(path.read_bytes()) == written.sha256  # touched, maybe unchanged
        except (OSError, UnsafePath):
            return False

    def _rows(self) -> Iterator[tuple[str, Entry]]:
        for key, text in self._db.execute("SELECT key, entry FROM entries"):
            try:
                yield json.loads(key), Entry.from_json(text)
            except (ValueError, TypeError, KeyError, AttributeError):
                continue  # an unreadable row means that input is done again


def written(path: Path, data: bytes) -> Written:
    """How ``data`` was just written to ``path``."""
    stat = path.stat()
    return Written(sha256_hex(data), stat.st_size, stat.st_mtime_ns)


def _key(key: str) -> str:
    # JSON with ASCII escapes: a file name that is not UTF-8 (surrogate escapes) is kept.
    return json.dumps(key)


def _open(path: Path) -> sqlite3.Connection:
    try:
        db = _connect(path)
    except sqlite3.DatabaseError:  # not a database (or from a newer version): start afresh
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        db = _connect(path)
    return db


def _connect(path: Path) -> sqlite3.Connection:
    table = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, entry TEXT NOT NULL)"
    return connect_wal(path, table=table, version=STATE_VERSION, what="state")
