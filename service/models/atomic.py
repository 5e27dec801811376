"""Install a model folder all at once: build it in a staging folder, then rename it in place.

A crash half-way leaves only a staging folder (name starting with ``.``), which no loader
looks at; the folder at the final path is always either the old model or the new one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".staging-"


@contextmanager
def atomic_install(final: Path, models_dir: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``final``, on error it is removed.

    The staging folder lives inside ``models_dir`` so the final rename stays on one
    filesystem. An existing folder at ``final`` is swapped out and deleted afterwards.
    """
    models_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{final.name}-", dir=models_dir))
    staging.chmod(0o755)  # mkdtemp makes it private; the installed model is not
    try:
        yield staging
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            _swap(staging, final, models_dir)
        else:
            os.replace(staging, final)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, final: Path, models_dir: Path) -> None:
    """Replace the folder at ``final`` with ``staging``; if that fails, the old one is put back."""
    aside = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}old-", dir=models_dir))
    old = aside / final.name
    try:
        os.replace(final, old)
    except BaseException:
        aside.rmdir()
        raise
    try:
        os.replace(staging, final)
    except BaseException:
        os.replace(old, final)  # should this fail too, the old model stays in ``aside``
        aside.rmdir()
        raise
    shutil.rmtree(aside, ignore_errors=True)


def is_staging(path: Path) -> bool:
    """Whether a folder is an unfinished install (loaders and listings skip those)."""
    return path.name.startswith(".")


def folder_size(path: Path) -> int:
    """Bytes of all files under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
