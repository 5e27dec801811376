"""The API keys the server accepts, each with its own limits.

Keys come from ``BRIEFS_API_KEYS`` (plain, the default limits) and from
``BRIEFS_API_KEYS_FILE``, one key a line::

    # name    key: its SHA-256 (as `briefs keys add` writes it) or the key itself
    newsroom  sha256:5e884898da280471...  rate=10/second;1000/day  chars=200000/day
    intern    sha256:a665a45920422f9d...  chars=20000/day

``rate=`` overrides ``BRIEFS_RATE_LIMIT`` for that key; ``chars=`` is a quota of characters
sent (request bodies) per window. Only hashes need to be on disk. The file is read again when
it changes (checked at most once a second), so keys added to it work without a restart; a
change that does not parse is refused whole, logged with its line, and the keys read before
stay in force.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from limits import RateLimitItem, parse, parse_many

from service.config import Settings, SettingsError

log = logging.getLogger(__name__)

HASH_PREFIX = "sha256:"
_HEX = re.compile(r"^[0-9a-f]{64}$")
RELOAD_EVERY_S = 1.0


def key_hash(key: str) -> str:
    """The hex SHA-256 of a key (a lone surrogate, which a JSON body may carry, is kept)."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class KeyEntry:
    """One accepted key: its hash, a name for logs and metrics, and its own limits."""

    digest: str
    name: str
    rate: tuple[RateLimitItem, ...] | None = None  # None: BRIEFS_RATE_LIMIT
    chars: RateLimitItem | None = None  # a quota of characters per window

    @property
    def identity(self) -> str:
        """What the limits count this key's requests under (never the key itself)."""
        return f"key:{self.digest[:32]}"


def parse_keys_file(text: str, source: str) -> dict[str, KeyEntry]:
    """The keys of a keys file, by hash; a bad line raises SettingsError naming it."""
    entries: dict[str, KeyEntry] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        where = f"{source}, line {number}"
        if len(words) < 2 or "=" in words[0] or "=" in words[1]:
            raise SettingsError(
                f"{where}: expected `NAME KEY [rate=...] [chars=...]`",
                hint="write a name, then the key or its sha256:HEX, then optional limits",
            )
        name, secret, options = words[0], words[1], words[2:]
        if secret.startswith(HASH_PREFIX):
            digest = secret.removeprefix(HASH_PREFIX).lower()
            if not _HEX.match(digest):
                raise SettingsError(f"{where}: sha256: must be followed by 64 hex digits")
        else:
            digest = key_hash(secret)
        rate: tuple[RateLimitItem, ...] | None = None
        chars: RateLimitItem | None = None
        for option in options:
            field, _, value = option.partition("=")
            try:
                if field == "rate":
                    rate = tuple(parse_many(value))
                elif field == "chars":
                    chars = parse(value)
                else:
                    raise SettingsError(f"{where}: unknown option {field!r} (rate= or chars=)")
            except ValueError:
                raise SettingsError(
                    f"{where}: {option!r} is not a limit",
                    hint="write limits like rate=10/second;1000/day or chars=200000/day",
                ) from None
        if digest in entries:
            raise SettingsError(f"{where}: the same key as {entries[digest].name!r}")
        entries[digest] = KeyEntry(digest, name, rate, chars)
    return entries


class KeyRing:
    """The accepted keys (thread-safe); empty when the server needs none."""

    def __init__(self, settings: Settings) -> None:
        self._plain = {
            key_hash(key): KeyEntry(key_hash(key), f"BRIEFS_API_KEYS[{index}]")
            for index, key in enumerate(settings.api_keys)
        }
        self.path: Path | None = settings.api_keys_file
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0
        self._from_file: dict[str, KeyEntry] = {}
        if self.path is not None:
            self._reload(strict=True)

    @property
    def required(self) -> bool:
        """Whether requests need a key: keys are set, or a keys file is named (even empty)."""
        return bool(self._plain) or self.path is not None

    def lookup(self, key: str) -> KeyEntry | None:
        """The entry for a key, or None when it is not accepted."""
        self._maybe_reload()
        digest = key_hash(key)
        return self._plain.get(digest) or self._from_file.get(digest)

    def _maybe_reload(self) -> None:
        if self.path is None or time.monotonic() - self._checked < RELOAD_EVERY_S:
            return
        with self._lock:
            if time.monotonic() - self._checked >= RELOAD_EVERY_S:
                self._reload(strict=False)

    def _refuse(self, message: str, *, strict: bool) -> None:
        if strict:
            raise SettingsError(
                f"BRIEFS_API_KEYS_FILE: {message}", hint="fix the file and start again"
            )
        log.error("keys file not reloaded, the keys read before stay: %s", message)

    def _reload(self, *, strict: bool) -> None:
        """Read the file when it changed; at start-up (strict) a bad file stops the server."""
        assert self.path is not None
        self._checked = time.monotonic()
        try:
            stat = os.stat(self.path)
        except OSError as exc:
            return self._refuse(f"cannot read {self.path}: {exc.strerror}", strict=strict)
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp == self._stamp:
            return None
        self._stamp = stamp  # a bad version is reported once, not every second
        try:
            entries = parse_keys_file(self.path.read_text(encoding="utf-8"), str(self.path))
        except (OSError, UnicodeDecodeError) as exc:
            return self._refuse(f"cannot read {self.path}: {exc}", strict=strict)
        except SettingsError as exc:
            return self._refuse(exc.message, strict=strict)
        self._from_file, self._stamp = entries, stamp
        log.info("%d API keys read from %s", len(entries), self.path)
