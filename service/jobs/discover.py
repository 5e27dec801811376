"""Find the input files under a path: recursive, sorted, hidden files and symlink escapes out.

Rules: names starting with ``.`` are skipped (files and folders); so are the output folder
when it lies inside the input folder, and files whose name ends with a skipped suffix (the
seeds' ``*.summary.json`` reference summaries are not articles). A symlink is followed only
when its target lies inside the input folder; one pointing outside is refused and reported.
Symlinked folders are not descended into (their targets inside the folder are found anyway).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from service.errors import InvalidInput
from service.jobs.failures import Failure
from service.jobs.paths import UnsafePath


@dataclass(frozen=True)
class SourceFile:
    """An input file: where to read it and its path relative to the input root."""

    path: Path  # resolved
    rel: str  # POSIX path relative to the root; for a single-file input, its name


@dataclass
class Discovery:
    """The files found, and the entries refused (symlinks pointing outside the root)."""

    root: Path
    files: list[SourceFile] = field(default_factory=list)
    refused: list[Failure] = field(default_factory=list)


def discover(
    path: Path,
    suffixes: Sequence[str],
    *,
    skip_suffixes: Sequence[str] = (),
    exclude: Sequence[Path] = (),
) -> Discovery:
    """Find the files under ``path`` (a file or a folder) whose name ends with a suffix."""
    if not path.exists():
        raise InvalidInput(f"{path} does not exist", hint="pass an article file or a folder")
    wanted = tuple(s.lower() for s in suffixes)
    skipped = tuple(s.lower() for s in skip_suffixes)
    if path.is_file():
        name = path.name.lower()
        if not name.endswith(wanted) or name.endswith(skipped):
            raise InvalidInput(
                f"{path.name} is not a supported input",
                hint=f"use a file ending with one of: {', '.join(suffixes)}",
            )
        return Discovery(root=path.resolve().parent, files=[SourceFile(path.resolve(), path.name)])

    root = path.resolve()
    excluded = {p.resolve() for p in exclude}
    if root in excluded:
        raise InvalidInput(
            "the output folder is the input folder", hint="pass a different --out folder"
        )
    found = Discovery(root=root)

    def unreadable(exc: OSError) -> None:
        where = _rel(root, Path(exc.filename)) if exc.filename else "."
        found.refused.append(
            Failure(where, "unreadable", f"cannot read the folder: {exc.strerror or exc}")
        )

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        here = Path(dirpath)
        keep = []
        for name in sorted(dirnames):
            sub = here / name
            if name.startswith(".") or sub in excluded:
                continue
            if sub.is_symlink():
                target = _resolve(sub)
                if target is None:
                    found.refused.append(_loop(root, sub))
                elif not target.is_relative_to(root):
                    found.refused.append(_escape(root, sub, "a folder"))
                continue
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            lower = name.lower()
            if name.startswith(".") or not lower.endswith(wanted) or lower.endswith(skipped):
                continue
            file = here / name
            target = _resolve(file)
            if target is None:
                found.refused.append(_loop(root, file))
            elif not target.is_relative_to(root):
                found.refused.append(_escape(root, file, "a file"))
            elif not target.is_file():
                found.refused.append(
                    Failure(_rel(root, file), "unreadable", "not a regular file (broken link?)")
                )
            else:
                found.files.append(SourceFile(target, _rel(root, file)))
    found.files.sort(key=lambda f: f.rel)
    return found


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _resolve(path: Path) -> Path | None:
    """``path`` with its symlinks resolved; None for a symlink loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError on a loop
        return None


def _loop(root: Path, link: Path) -> Failure:
    return Failure(_rel(root, link), "unreadable", "a symlink loop (it points at itself)")


def _escape(root: Path, link: Path, kind: str) -> Failure:
    error = UnsafePath(f"refused symlink to {kind} outside the input folder: {link.resolve()}")
    return Failure.from_error(_rel(root, link), error)
