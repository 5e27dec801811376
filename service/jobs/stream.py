"""A stream output: one JSON line per input in a single file (``briefs.jsonl``), resumable.

Lines are appended as inputs finish, in any order; the run state keeps the hash of each
input's line. Opening cuts a torn last line (a kill in the middle of an append); at the end
of a run the file is compacted to exactly the lines of the inputs done or skipped, in input
order, so the same inputs and settings give the same bytes with any ``--jobs``. Compaction
streams line by line (offsets, not contents, are kept in memory) and rewrites atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from service.jobs.atomic import TEMP_SUFFIX, fsync_dir


def line_hash(line: bytes) -> str:
    """The hash that names a line (without its newline)."""
    return hashlib.sha256(line).hexdigest()


class StreamFile:
    """An append-only file of JSON lines. Thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._where: dict[str, tuple[int, int]] = {}  # line hash -> (offset, length)
        self._order: list[str] = []  # hashes as they lie in the file
        self._scan()

    def hashes(self) -> frozenset[str]:
        """The lines the file holds now."""
        return frozenset(self._where)

    def append(self, line: bytes) -> str:
        """Append one line; returns its hash. The line must not contain a newline."""
        if b"\n" in line:
            raise ValueError("a stream line cannot contain a newline")
        digest = line_hash(line)
        with self._lock:
            with self.path.open("ab") as handle:
                offset = handle.tell()
                handle.write(line + b"\n")
                handle.flush()
                os.fsync(handle.fileno())
            if digest not in self._where:
                self._where[digest] = (offset, len(line))
                self._order.append(digest)
        return digest

    def compact(self, keep: Sequence[str]) -> bool:
        """Make the file hold exactly the lines ``keep`` (hashes), in that order; True if
        it changed. A hash the file does not hold is skipped."""
        keep = [digest for digest in dict.fromkeys(keep) if digest in self._where]
        if keep == self._order and self._size() == self._expected_size(keep):
            return False
        fd, tmp = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=TEMP_SUFFIX
        )
        try:
            where: dict[str, tuple[int, int]] = {}
            with os.fdopen(fd, "wb") as out, self.path.open("rb") as source:
                for digest in keep:
                    offset, length = self._where[digest]
                    source.seek(offset)
                    where[digest] = (out.tell(), length)
                    out.write(source.read(length + 1))
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        fsync_dir(self.path.parent)
        self._where, self._order = where, keep
        return True

    def _scan(self) -> None:
        """Index the file's lines; cut a torn last line (no newline)."""
        try:
            handle = self.path.open("rb")
        except FileNotFoundError:
            return
        with handle:
            offset = good = 0
            for raw in handle:
                if not raw.endswith(b"\n"):
                    break  # torn by a kill: dropped below
                line = raw[:-1]
                digest = line_hash(line)
                if digest not in self._where:
                    self._where[digest] = (offset, len(line))
                    self._order.append(digest)
                offset += len(raw)
                good = offset
        if good != self._size():
            os.truncate(self.path, good)

    def _size(self) -> int:
        try:
            return self.path.stat().st_size
        except FileNotFoundError:
            return 0

    def _expected_size(self, keep: Sequence[str]) -> int:
        return sum(self._where[digest][1] + 1 for digest in keep)
