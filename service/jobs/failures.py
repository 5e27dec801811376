"""Inputs that could not be done, and the ``_briefs/failures.json`` file that lists them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from service.errors import BriefsError
from service.jobs.atomic import write_atomic_if_changed
from service.jobs.paths import RUN_DIR, printable

FAILURES_FILE = f"{RUN_DIR}/failures.json"


@dataclass(frozen=True)
class Failure:
    """One input that failed: its key (relative path, ``#n`` for a list item) and why."""

    input: str
    code: str
    reason: str

    @classmethod
    def from_error(cls, key: str, exc: BaseException) -> Failure:
        """A failure from a domain error (its code) or any other exception (internal_error)."""
        if isinstance(exc, BriefsError):
            return cls(key, exc.code, str(exc))
        return cls(key, "internal_error", f"{type(exc).__name__}: {exc}")


def write_failures(out_dir: Path, failures: list[Failure]) -> Path:
    """Write ``failures.json`` (sorted by input; ``[]`` when none failed) atomically.

    Names that are not UTF-8 are written with ``\\xff`` escapes, so the file always encodes.
    """
    rows = [
        {key: printable(value) for key, value in asdict(f).items()}
        for f in sorted(failures, key=lambda f: f.input)
    ]
    path = out_dir / FAILURES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    write_atomic_if_changed(path, data.encode("utf-8"))
    return path
