"""Atomic file writes: a temp file beside the target, fsync, rename, fsync the folder.

A reader (or the next run after a SIGKILL) sees the old file or the new one, never a part of
one. Temp files left by a killed run carry ``TEMP_SUFFIX`` and are removed by the next run.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".briefs-tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; the folder must exist."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are ordinary readable files
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def write_atomic_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless ``path`` already holds exactly it; True if written."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


def remove_temp_files(folder: Path) -> int:
    """Delete temp files that a killed run left under ``folder``; returns how many."""
    removed = 0
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            if name.startswith(".") and name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(dirpath, name))
                    removed += 1
    return removed


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable: it is only once the folder entry is on disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
