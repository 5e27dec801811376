"""Translated files waiting to be downloaded (``POST /translate_file`` -> ``GET /download_file``).

Each file is kept in a folder of its own under ``BRIEFS_DATA_DIR/downloads``, named by an
unguessable token (``secrets.token_urlsafe``, 192 bits), with a small JSON record of its
download name, media type and expiry time. A file is served until ``BRIEFS_FILE_TTL_S``
after it was stored; every store and every download first deletes the expired ones, so
nothing outlives its time by more than the next request. On disk, so every worker process
serves every worker's files.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from service.errors import NotFound, StorageError

DOWNLOADS_DIR = "downloads"
_RECORD = "file.json"
_DATA = "data"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class StoredFile:
    """A translated file as it is served."""

    name: str
    media_type: str
    data: bytes


class DownloadStore:
    """The translated files under ``root``, each kept ``ttl_s`` seconds."""

    def __init__(self, root: Path, ttl_s: float) -> None:
        self.root = root
        self.ttl_s = ttl_s

    def put(self, name: str, media_type: str, data: bytes) -> str:
        """Keep a file; returns the token that downloads it."""
        self.sweep()
        token = secrets.token_urlsafe(24)
        folder = self.root / token
        record = {"name": name, "media_type": media_type, "expires": time.time() + self.ttl_s}
        try:
            folder.mkdir(parents=True)
            (folder / _DATA).write_bytes(data)
            # The record last: a folder without one is incomplete, swept, never served.
            (folder / _RECORD).write_text(json.dumps(record), encoding="utf-8")
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise StorageError(
                f"cannot keep the translated file under {self.root}: {exc.strerror}",
                hint="make BRIEFS_DATA_DIR a writable folder with free space",
            ) from None
        return token

    def get(self, token: str) -> StoredFile:
        """The file stored under ``token``; NotFound when there is none (or no longer)."""
        self.sweep()
        gone = NotFound(
            "no translated file under this link: it expired or never existed",
            hint="translate the file again with POST /translate_file",
        )
        if not _TOKEN.match(token):
            raise gone
        folder = self.root / token
        try:
            record = json.loads((folder / _RECORD).read_text(encoding="utf-8"))
            if record["expires"] <= time.time():
                raise gone
            data = (folder / _DATA).read_bytes()
        except (OSError, ValueError, KeyError, TypeError):
            raise gone from None
        return StoredFile(str(record["name"]), str(record["media_type"]), data)

    def sweep(self) -> int:
        """Delete expired (and incomplete, stale) files; returns how many."""
        removed = 0
        now = time.time()
        try:
            folders = list(self.root.iterdir())
        except OSError:
            return 0
        for folder in folders:
            if _expired(folder, now, self.ttl_s):
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed


def _expired(folder: Path, now: float, ttl_s: float) -> bool:
    try:
        record = json.loads((folder / _RECORD).read_text(encoding="utf-8"))
        return bool(record["expires"] <= now)
    except (OSError, ValueError, KeyError, TypeError):
        # No readable record: a store in progress (young) or a broken one (old).
        with contextlib.suppress(OSError):
            return folder.stat().st_mtime + ttl_s <= now
        return False
