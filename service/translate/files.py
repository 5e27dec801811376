"""Files to translate: which suffixes are taken, each file's format, and the one "translate a
file" use case that ``briefs translate`` (a file, a folder) and ``POST /translate_file`` share.

Text, Markdown and HTML files are decoded (strict UTF-8) and go through
``translate_texts`` in their format; a Word document (.docx) is read with python-docx and
its paragraphs go through ``translate_segmented_texts`` (``service.text.docx_slots``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Literal

from service.errors import InvalidInput
from service.languages import Lang, LangOrAuto
from service.text.markup import Format
from service.text.utf8 import decode_utf8
from service.translate.base import DecodeOptions
from service.translate.document import DocumentTranslator
from service.translate.glossary import Glossary
from service.translate.texts import TextsTranslation

if TYPE_CHECKING:
    from service.text.docx_slots import DocxDocument

FileKind = Literal["text", "html", "markdown", "docx"]

# A file's format comes from its suffix; everything else is plain text.
FORMAT_BY_SUFFIX: dict[str, Format] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
DOCX_SUFFIX = ".docx"
# The media type a translated file is served with, by suffix (text is UTF-8).
MEDIA_TYPES = {
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".markdown": "text/markdown; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    DOCX_SUFFIX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# The suffixes ``briefs translate`` and ``POST /translate_file`` take.
TRANSLATABLE_SUFFIXES = tuple(MEDIA_TYPES)
# A .docx is a zip: refuse one that unpacks to more than this before reading it.
MAX_DOCX_UNPACKED_BYTES = 200_000_000


def format_of(path: PurePath) -> Format:
    """The format a text file is translated as, from its suffix."""
    return FORMAT_BY_SUFFIX.get(path.suffix.lower(), "text")


def kind_of(path: PurePath) -> FileKind:
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


@dataclass
class SourceFile:
    """A file to translate: its name (for messages), what it is, and its content (text
    decoded, a .docx as bytes: plain data, so it travels to a Ray actor; the parsed
    document is kept for this process only)."""

    name: str
    kind: FileKind
    content: str | bytes
    _document: DocxDocument | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(
        cls, name: str, data: bytes, kind: FileKind, max_xml_bytes: int | None = None
    ) -> SourceFile:
        """Check and keep a file's content: text must be UTF-8, a .docx must open (and hold
        no more than ``max_xml_bytes`` of XML, when given)."""
        if kind == "docx":
            from service.text.docx_slots import read_docx

            found = cls(name, kind, data)
            found._document = read_docx(data, name, MAX_DOCX_UNPACKED_BYTES, max_xml_bytes)
            return found
        return cls(name, kind, decode_text(data, name))

    def document(self) -> DocxDocument:
        """The parsed .docx (parsed once); InvalidInput when it is not one."""
        if self._document is None:
            from service.text.docx_slots import read_docx

            data = self.content if isinstance(self.content, bytes) else b""
            self._document = read_docx(data, self.name, MAX_DOCX_UNPACKED_BYTES)
        return self._document

    def take_document(self) -> DocxDocument:
        """The parsed .docx, to be rebuilt in place: the file forgets it, so a second
        translation parses afresh."""
        document = self.document()
        self._document = None
        return document

    def prose(self) -> str:
        """The text a size limit counts: the whole text, or a document's paragraphs."""
        return self.content if isinstance(self.content, str) else self.document().prose()

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_document": None}  # lxml trees do not pickle


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
    document = file.take_document()
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
