"""Files to translate: which suffixes a folder run takes, each file's format, its text."""

from __future__ import annotations

from pathlib import Path

from service.errors import InvalidInput
from service.text.markup import Format
from service.text.utf8 import decode_utf8

# A file's format comes from its suffix; everything else is plain text.
FORMAT_BY_SUFFIX: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
TRANSLATABLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")  # what a folder run takes


def format_of(path: Path) -> Format:
    """The format a file is translated as, from its suffix."""
    return FORMAT_BY_SUFFIX.get(path.suffix.lower(), "text")


def read_text(path: Path) -> str:
    """A file's text: strict UTF-8 (a BOM is dropped), or one readable error naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    try:
        return decode_utf8(data)
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc.message}", hint=exc.hint) from None
