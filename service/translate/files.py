"""Files to translate: which suffixes are taken, each file's format, and the one "translate a
file" use case that ``briefs translate`` (a file, a folder) and ``POST /translate_file`` share.

Text, Markdown and HTML files are decoded (strict UTF-8) and go through
``translate_texts`` in their format; a Word document (.docx) is read with python-docx and
its paragraphs go through ``translate_segmented_texts`` (``service.text.docx_slots``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from service.errors import InvalidInput
from service.languages import Lang, LangOrAuto
from service.text.markup import Format
from service.text.utf8 import decode_utf8
from service.translate.base import DecodeOptions
from service.translate.document import DocumentTranslator
from service.translate.glossary import Glossary
from service.translate.texts import TextsTranslation

FileKind = Literal["text", "html", "markdown", "docx"]

# A file's format comes from its suffix; everything else is plain text.
FORMAT_BY_SUFFIX: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
DOCX_SUFFIX = ".docx"
TRANSLATABLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", DOCX_SUFFIX)
# The media type a translated file is served with, by suffix (text is UTF-8).
MEDIA_TYPES = {
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".markdown": "text/markdown; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    DOCX_SUFFIX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# A .docx is a zip: refuse one that unpacks to more than this before reading it.
MAX_DOCX_UNPACKED_BYTES = 200_000_000


def format_of(path: Path) -> Format:
    """The format a text file is translated as, from its suffix."""
    return FORMAT_BY_SUFFIX.get(path.suffix.lower(), "text")


def kind_of(path: Path) -> FileKind:
    """What a file is read as, from its suffix: a Word document or a text format."""
    return "docx" if path.suffix.lower() == DOCX_SUFFIX else format_of(path)


def read_text(path: Path) -> str:
    """A file's text: strict UTF-8 (a BOM is dropped), or one readable error naming it."""
    return decode_text(read_bytes(path), str(path))


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or one readable error naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None


def decode_text(data: bytes, name: str) -> str:
    """Strict UTF-8 (a BOM is dropped), or one readable error naming the file."""
    try:
        return decode_utf8(data)
    except InvalidInput as exc:
        raise InvalidInput(f"{name}: {exc.message}", hint=exc.hint) from None


@dataclass(frozen=True)
class SourceFile:
    """A file to translate: its name (for messages), what it is, and its content (text
    decoded, a .docx as bytes: plain data, so it travels to a Ray actor)."""

    name: str
    kind: FileKind
    content: str | bytes

    @classmethod
    def load(cls, name: str, data: bytes, kind: FileKind) -> SourceFile:
        """Check and keep a file's content: text must be UTF-8, a .docx must open."""
        if kind == "docx":
            from service.text.docx_slots import read_docx

            read_docx(data, name, MAX_DOCX_UNPACKED_BYTES)
            return cls(name, kind, data)
        return cls(name, kind, decode_text(data, name))

    def prose(self) -> str:
        """The text a size limit counts: the whole text, or a document's paragraphs."""
        if isinstance(self.content, str):
            return self.content
        from service.text.docx_slots import read_docx

        return read_docx(self.content, self.name, MAX_DOCX_UNPACKED_BYTES).prose()


@dataclass
class FileTranslation:
    """A translated file's bytes and how the translation was made."""

    data: bytes
    result: TextsTranslation


def translate_file(
    translator: DocumentTranslator,
    file: SourceFile,
    *,
    source: LangOrAuto,
    target: Lang,
    options: DecodeOptions | None = None,
    glossary: Glossary | None = None,
) -> FileTranslation:
    """Translate one file into the bytes of its translation, in the same format."""
    from service.translate.texts import translate_segmented_texts, translate_texts

    if isinstance(file.content, str):
        fmt: Format = "text" if file.kind == "docx" else file.kind
        result = translate_texts(
            translator,
            [file.content],
            source=source,
            target=target,
            fmt=fmt,
            options=options,
            name=file.name,
            glossary=glossary,
        )
        return FileTranslation(result.texts[0].encode("utf-8"), result)
    from service.text.docx_slots import read_docx

    document = read_docx(file.content, file.name, MAX_DOCX_UNPACKED_BYTES)
    result = translate_segmented_texts(
        translator,
        [document.segmented()],
        source=source,
        target=target,
        options=options,
        name=file.name,
        glossary=glossary,
    )
    return FileTranslation(document.rebuild(result.texts[0]), result)
