"""Output paths that stay inside the output folder, whatever the names or symlinks say."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from service.errors import InvalidInput

RUN_DIR = "_briefs"  # the run's own files (state, failures, index): never an article's output


class UnsafePath(InvalidInput):
    """A path that would read or write outside the folder it must stay in."""

    code = "unsafe_path"


def check_relative(rel: str) -> PurePosixPath:
    """Parse a relative output name; refuses absolute paths, ``..``, ``.`` and odd bytes."""
    if not rel or "\x00" in rel or "\\" in rel:
        raise UnsafePath(f"refused output name {rel!r}: empty or with a backslash or NUL")
    path = PurePosixPath(rel)
    if path.is_absolute() or any(part in ("..", ".") for part in rel.split("/")):
        raise UnsafePath(f"refused output name {rel!r}: it must be relative, without '..'")
    return path


def output_path(out_dir: Path, rel: str, *, create_parents: bool = False) -> Path:
    """The file for ``rel`` under ``out_dir`` (already resolved); refuses any escape.

    Existing folders on the way are resolved, so a symlinked subfolder pointing outside
    ``out_dir`` is refused, and so is a symlink at the output name itself.
    """
    target = out_dir.joinpath(*check_relative(rel).parts)
    if create_parents:
        _inside(out_dir, target.parent, rel)  # check before creating anything
        target.parent.mkdir(parents=True, exist_ok=True)
    _inside(out_dir, target.parent, rel)
    if target.is_symlink():
        raise UnsafePath(f"refused output {rel!r}: a symlink is in its place")
    return target


def is_inside(root: Path, path: Path) -> bool:
    """Whether ``path``, with every symlink resolved, lies in ``root`` (already resolved)."""
    return path.resolve().is_relative_to(root)


def _inside(out_dir: Path, folder: Path, rel: str) -> None:
    if not is_inside(out_dir, folder):
        raise UnsafePath(f"refused output {rel!r}: it resolves outside the output folder")


def printable(name: str) -> str:
    """A file name as text that always encodes: bytes that are not UTF-8 become ``\\xff``."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
