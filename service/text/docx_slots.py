"""Word (.docx) paragraphs as slots: each paragraph one run of prose, its formatting as spans.

A paragraph's text runs (``w:r``) are joined into one plain text, so a sentence whose words
carry different formatting is translated whole. Each stretch of runs formatted unlike the
paragraph's main formatting (bold, italic, a colour, a link ...) is a span of
``service.text.inline``: its own text is translated in the same engine call and the span is
put back on the words that translate it, with the run's formatting. Anything else in a
paragraph (images, fields, footnote marks, bookmarks, tracked changes) is an empty span:
kept as it is, after the word it followed. Paragraphs come from the body (tables and text
boxes included), the headers and the footers; everything else in the package is saved as
it was.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.parts.document import DocumentPart
from docx.parts.hdrftr import FooterPart, HeaderPart
from lxml import etree

from service.errors import InputTooLarge, InvalidInput
from service.text.inline import InlineRun, Span, SpanPairs
from service.text.slots import HAS_WORD, Segmented

# Private-use characters that mark spans and paragraphs in the rendered slots; an engine
# never writes them, and they are taken out of translations (``_unmarked``).
_OPEN, _OPEN_END, _CLOSE, _PARAGRAPH = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKS = re.compile(f"[{_OPEN}{_OPEN_END}{_CLOSE}{_PARAGRAPH}]")
_TOKEN = re.compile(f"{_OPEN}(\\d+){_OPEN_END}|{_CLOSE}")

# What a run may hold to be rewritten as text; any other content keeps the run as it is.
_TEXT_CONTENT = frozenset(
    qn(f"w:{tag}")
    for tag in ("rPr", "t", "tab", "br", "cr", "softHyphen", "noBreakHyphen",
                "lastRenderedPageBreak")
)  # fmt: skip
_RUN, _LINK = qn("w:r"), qn("w:hyperlink")
_XML_SUFFIXES = (".xml", ".rels")  # the package parts python-docx may parse


@dataclass
class _Item:
    """A paragraph child as the translation sees it: text in one formatting, or kept whole."""

    kind: str  # "text": runs formatted alike; "link": a hyperlink's runs; "kept" and
    # "field" (a complex field's runs, begin to end): as they are
    elements: list[Any]  # the paragraph's children it stands for
    key: object  # the formatting: runs with the same key are alike
    text: str = ""


@dataclass
class _Paragraph:
    element: Any  # the w:p
    items: list[_Item]
    base: int | None  # the item whose formatting the unmarked text takes
    run: InlineRun


@dataclass
class DocxDocument:
    """A parsed .docx and its paragraphs of prose, as slots of one ``Segmented``."""

    document: Any  # docx.Document
    paragraphs: list[_Paragraph] = field(default_factory=list)

    def segmented(self) -> Segmented:
        """All paragraphs as one document: one slot each, between paragraph marks."""
        doc = Segmented(escape=_unmarked)
        for index, paragraph in enumerate(self.paragraphs):
            if index:
                doc.add_literal(_PARAGRAPH)
            doc.add_run(paragraph.run)
        return doc

    def prose(self) -> str:
        """The paragraphs' text, one a line (for sizes and language detection)."""
        return "\n".join(paragraph.run.plain for paragraph in self.paragraphs)

    def rebuild(self, rendered: str) -> bytes:
        """The document with each paragraph replaced by its rendered translation."""
        parts = rendered.split(_PARAGRAPH) if self.paragraphs else []
        if len(parts) != len(self.paragraphs):
            raise ValueError(f"{len(parts)} paragraphs rendered for {len(self.paragraphs)}")
        for paragraph, text in zip(self.paragraphs, parts, strict=True):
            _rewrite(paragraph, text)
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def read_docx(
    data: bytes, name: str, max_unpacked_bytes: int, max_xml_bytes: int | None = None
) -> DocxDocument:
    """Parse a .docx; InvalidInput naming ``name`` when it is not one, InputTooLarge when it
    unpacks to more than ``max_unpacked_bytes``, or its XML parts to more than
    ``max_xml_bytes`` (parsing is what costs: a zip bomb is refused before it is read)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
        unpacked = sum(info.file_size for info in infos)
        if unpacked > max_unpacked_bytes:
            raise InputTooLarge(
                f"{name} unpacks to {unpacked:,} bytes; the limit is {max_unpacked_bytes:,}",
                hint="split the document",
            )
        xml = sum(info.file_size for info in infos if info.filename.endswith(_XML_SUFFIXES))
        if max_xml_bytes is not None and xml > max_xml_bytes:
            raise InputTooLarge(
                f"{name} holds {xml:,} bytes of XML; the limit here is {max_xml_bytes:,}",
                hint="split the document",
            )
        document = Document(io.BytesIO(data))
    except InputTooLarge:
        raise
    except (
        zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, EOFError, OSError,
        zlib.error, etree.LxmlError,
        AttributeError, TypeError,  # python-docx on a package part of the wrong shape
    ) as exc:  # fmt: skip
        raise InvalidInput(
            f"{name} is not a readable .docx file ({type(exc).__name__}: {exc})",
            hint="save it again from a word processor as a Word document (.docx)",
        ) from None
    found = DocxDocument(document)
    for element in _paragraph_elements(document):
        paragraph = _paragraph(element)
        if paragraph is not None:
            found.paragraphs.append(paragraph)
    return found


def _paragraph_elements(document: Any) -> Iterator[Any]:
    """Every w:p of the body, the headers and the footers, each part once."""
    seen: set[int] = set()
    for part in document.part.package.iter_parts():
        if isinstance(part, DocumentPart | HeaderPart | FooterPart) and id(part) not in seen:
            seen.add(id(part))
            yield from part.element.iter(qn("w:p"))


def _paragraph(element: Any) -> _Paragraph | None:
    """The paragraph's prose as an inline run, or None when it has no word to translate."""
    items = _items(element)
    base = _base(items)
    base_key = items[base].key if base is not None else None
    plain = ""
    pairs = SpanPairs()
    for index, item in enumerate(items):
        opening = f"{_OPEN}{index}{_OPEN_END}"
        if item.kind in ("kept", "field"):
            pairs.add(Span(len(plain), len(plain), opening, _CLOSE))
            continue
        if item.kind == "text" and item.key == base_key:
            plain += item.text
            continue
        pairs.open(str(index), opening, len(plain))
        plain += item.text
        pairs.close(str(index), _CLOSE, len(plain))
    spans = pairs.result()
    if spans is None or not HAS_WORD.search(plain):
        return None
    return _Paragraph(element, items, base, InlineRun(plain, spans, _unmarked))


def _items(paragraph: Any) -> list[_Item]:
    """The paragraph's children after its properties; runs formatted alike merged."""
    items: list[_Item] = []
    field_depth = 0  # inside a complex field (w:fldChar begin ... end): kept whole
    for child in paragraph:
        if child.tag == qn("w:pPr"):
            continue
        starts_in_field = field_depth > 0
        field_depth = max(0, field_depth + _field_change(child))
        if starts_in_field or field_depth > 0:
            if starts_in_field and items and items[-1].kind == "field":
                items[-1].elements.append(child)
            else:
                items.append(_Item("field", [child], None))
            continue
        if child.tag == _RUN and _is_text_run(child):
            key: object = _formatting(child)
            if items and items[-1].kind == "text" and items[-1].key == key:
                items[-1].elements.append(child)
                items[-1].text += child.text
            else:
                items.append(_Item("text", [child], key, child.text))
        elif (
            child.tag == _LINK
            and all(r.tag == _RUN and _is_text_run(r) for r in child)
            and len(child)
        ):
            text = "".join(r.text for r in child)
            kind = "link" if text else "kept"  # a link without text stays as it is
            items.append(_Item(kind, [child], ("link", id(child)), text))
        else:
            items.append(_Item("kept", [child], None))
    return items


def _field_change(child: Any) -> int:
    """How a child opens (+1) or closes (-1) complex fields: a page number, a date, a table
    of contents; their instructions and shown results are kept as Word wrote them."""
    change = 0
    for mark in child.iter(qn("w:fldChar")):
        kind = mark.get(qn("w:fldCharType"))
        change += 1 if kind == "begin" else -1 if kind == "end" else 0
    return change


def _is_text_run(run: Any) -> bool:
    for child in run:
        if child.tag not in _TEXT_CONTENT:
            return False
        if child.tag == qn("w:br") and child.get(qn("w:type"), "textWrapping") != "textWrapping":
            return False  # a page or column break stays where it is
    return True


# Run properties that do not show: spelling language and proofing marks. Runs that differ
# only in them are formatted alike (Word splits runs on them as a document is edited).
_UNSEEN = frozenset({qn("w:lang"), qn("w:noProof")})


def _formatting(run: Any) -> bytes:
    properties = run.find(qn("w:rPr"))
    if properties is None:
        return b""
    if any(child.tag in _UNSEEN for child in properties):
        properties = copy.deepcopy(properties)
        for child in [c for c in properties if c.tag in _UNSEEN]:
            properties.remove(child)
    if len(properties) == 0 and not properties.attrib:
        return b""  # no properties left: as a run without any
    return bytes(etree.tostring(properties))


def _base(items: list[_Item]) -> int | None:
    """The text item whose formatting covers the most characters (the paragraph's own)."""
    sizes: dict[object, int] = {}
    for item in items:
        if item.kind == "text":
            sizes[item.key] = sizes.get(item.key, 0) + len(item.text)
    if not sizes:
        return None
    key = max(sizes, key=lambda k: sizes[k])
    return next(i for i, item in enumerate(items) if item.key == key and item.kind == "text")


def _unmarked(text: str) -> str:
    return _MARKS.sub("", text)


def _rewrite(paragraph: _Paragraph, rendered: str) -> None:
    """Put the rendered translation in the paragraph: new runs in the translation's order,
    each with the formatting of the stretch it translates; kept elements moved in place."""
    element, items = paragraph.element, paragraph.items
    old = [child for item in items for child in item.elements]
    at = element.index(old[0])
    for child in old:
        element.remove(child)
    base_template = items[paragraph.base].elements[0] if paragraph.base is not None else None
    new: list[Any] = []
    for index, text in _pieces(rendered):
        item = items[index] if index is not None else None
        if item is not None and item.kind in ("kept", "field"):
            new.extend(item.elements)
        elif item is not None and item.kind == "link" and text:
            link = copy.deepcopy(item.elements[0])
            runs = list(link)
            for run in runs[1:]:
                link.remove(run)
            runs[0].text = text
            new.append(link)
        elif text:
            template = item.elements[0] if item is not None else base_template
            run = copy.deepcopy(template) if template is not None else OxmlElement("w:r")
            run.text = text
            new.append(run)
    for offset, child in enumerate(new):
        element.insert(at + offset, child)


def _pieces(rendered: str) -> Iterator[tuple[int | None, str]]:
    """(item index or None for the paragraph's own formatting, text) in rendered order."""
    open_items: list[int] = []
    cursor = 0
    for match in _TOKEN.finditer(rendered):
        if match.start() > cursor:
            yield (open_items[-1] if open_items else None), rendered[cursor : match.start()]
        if match.group(1) is not None:
            index = int(match.group(1))
            open_items.append(index)
            yield index, ""  # a kept element has no text: it is placed here
        elif open_items:
            open_items.pop()
        cursor = match.end()
    if cursor < len(rendered):
        yield (open_items[-1] if open_items else None), rendered[cursor:]
