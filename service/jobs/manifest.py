"""The manifest: what each input's outputs were made from, so a rerun can skip it.

One JSON file in the output folder, rewritten atomically after every finished input. An
input is skipped only when its content hash, the settings fingerprint and the hash of every
output it wrote all still match; anything else (including a kill between writing the
outputs and recording them) means it is done again.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from service.jobs.atomic import write_atomic
from service.jobs.paths import UnsafePath, output_path

MANIFEST_VERSION = 1


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def fingerprint(settings: Mapping[str, Any]) -> str:
    """A stable hash of the settings that shape the outputs."""
    canonical = json.dumps(settings, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return sha256_hex(canonical.encode("ascii"))


@dataclass
class Entry:
    """What one input's outputs were made from."""

    input: str  # content hash of the input
    settings: str  # settings fingerprint
    outputs: dict[str, str]  # relative output path -> content hash
    meta: dict[str, Any] = field(default_factory=dict)  # deterministic facts (titles ...)
    timings_ms: dict[str, float] = field(default_factory=dict)  # kept out of the outputs


class Manifest:
    """The manifest file of one output folder. Thread-safe."""

    def __init__(self, path: Path, entries: dict[str, Entry] | None = None) -> None:
        self.path = path
        self.entries: dict[str, Entry] = entries or {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read the manifest; a missing or unreadable one is empty (everything is redone)."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if raw.get("version") != MANIFEST_VERSION:
                return cls(path)
            entries = {key: Entry(**value) for key, value in raw["entries"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls(path)
        return cls(path, entries)

    def is_current(self, key: str, digest: str, settings: str, outputs: list[str]) -> bool:
        """Whether ``key`` was done from this input with these settings, outputs intact."""
        entry = self.entries.get(key)
        if entry is None or entry.input != digest or entry.settings != settings:
            return False
        if sorted(entry.outputs) != sorted(outputs):
            return False
        out_dir = self.path.parent
        for rel, expected in entry.outputs.items():
            try:
                data = output_path(out_dir, rel).read_bytes()
            except (OSError, UnsafePath):
                return False
            if sha256_hex(data) != expected:
                return False
        return True

    def record(self, key: str, entry: Entry) -> None:
        """Record a finished input and write the manifest."""
        with self._lock:
            self.entries[key] = entry
            self._write()

    def forget(self, keys: list[str]) -> None:
        """Drop inputs (failed ones) so the next run tries them again."""
        with self._lock:
            if any(key in self.entries for key in keys):
                for key in keys:
                    self.entries.pop(key, None)
                self._write()

    def _write(self) -> None:
        body = {
            "version": MANIFEST_VERSION,
            "entries": {key: asdict(entry) for key, entry in sorted(self.entries.items())},
        }
        data = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        write_atomic(self.path, data.encode("utf-8") + b"\n")
