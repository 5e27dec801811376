"""Translate HTML and Markdown without touching their markup.

A document is cut into literal pieces (tags, attributes, entities, code, link targets) and
text slots. Only the slots go to the translator, all slots of all documents in one call, and
the translations are put back between the untouched pieces. HTML is read with the standard
library's ``html.parser`` and Markdown with markdown-it-py's token stream; both keep source
positions, so everything that is not translated stays byte for byte as it was.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token

Format = Literal["text", "html", "markdown"]
FORMATS: tuple[Format, ...] = ("text", "html", "markdown")

# Elements whose content is code or machine text, never prose.
_HTML_SKIP = frozenset(
    "script style code pre kbd samp var template textarea svg math noscript".split()
)
_HTML_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
_HAS_WORD = re.compile(r"[^\W\d_]")
_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>])")


@dataclass
class Segmented:
    """A document as literal pieces with translatable slots among them."""

    pieces: list[str] = field(default_factory=list)
    slots: list[int] = field(default_factory=list)  # indices of pieces to translate
    escape: Callable[[str], str] = str
    slot_escapes: dict[int, Callable[[str], str]] = field(default_factory=dict)

    def add_literal(self, text: str) -> None:
        """Append markup or text that stays as it is."""
        if text:
            self.pieces.append(text)

    def add_text(self, text: str) -> None:
        """Append prose; only the part between its outer whitespace is translated."""
        core = text.strip()
        if not _HAS_WORD.search(core):
            self.add_literal(text)
            return
        start = text.index(core)
        self.add_literal(text[:start])
        self.slots.append(len(self.pieces))
        self.pieces.append(core)
        self.add_literal(text[start + len(core) :])

    def texts(self) -> list[str]:
        """The text of each slot, in order."""
        return [self.pieces[i] for i in self.slots]

    def render(self, translations: list[str]) -> str:
        """The document with each slot replaced by its translation."""
        if len(translations) != len(self.slots):
            raise ValueError(f"{len(translations)} translations for {len(self.slots)} slots")
        pieces = list(self.pieces)
        for index, translated in zip(self.slots, translations, strict=True):
            pieces[index] = self.slot_escapes.get(index, self.escape)(translated)
        return "".join(pieces)


def segment(text: str, fmt: Format) -> Segmented:
    """Cut ``text`` into literal pieces and translatable slots for its format."""
    if fmt == "html":
        return _segment_html(text)
    if fmt == "markdown":
        return _segment_markdown(text)
    doc = Segmented()
    doc.add_text(text)
    return doc


def translate_documents(
    texts: list[str], fmt: Format, translate: Callable[[list[str]], list[str]]
) -> list[str]:
    """Translate the prose of every document with ONE call to ``translate``."""
    docs = [segment(text, fmt) for text in texts]
    slots = [slot for doc in docs for slot in doc.texts()]
    translated = translate(slots) if slots else []
    out: list[str] = []
    start = 0
    for doc in docs:
        count = len(doc.slots)
        out.append(doc.render(translated[start : start + count]))
        start += count
    return out


def plain_text(text: str, fmt: Format) -> str:
    """The prose of a document, for language detection."""
    return " ".join(segment(text, fmt).texts()) if fmt != "text" else text


# --- HTML ---------------------------------------------------------------------------------
class _Events(HTMLParser):
    """Records (start offset, kind, tag, translate) of every parser event."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.events: list[tuple[int, str, str, bool]] = []
        self._line_starts = [0]
        for match in re.finditer("\n", source):
            self._line_starts.append(match.end())

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def _add(self, kind: str, tag: str = "", translate: bool = True) -> None:
        offset = self._offset()
        if self.events and self.events[-1][0] == offset:
            return
        self.events.append((offset, kind, tag, translate))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marks = {name: (value or "").lower() for name, value in attrs}
        translate = (
            marks.get("translate") != "no" and "notranslate" not in marks.get("class", "").split()
        )
        self._add("start", tag, translate)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("void", tag)

    def handle_endtag(self, tag: str) -> None:
        self._add("end", tag)

    def handle_data(self, data: str) -> None:
        self._add("text")

    def handle_entityref(self, name: str) -> None:
        self._add("text")

    def handle_charref(self, name: str) -> None:
        self._add("text")

    def handle_comment(self, data: str) -> None:
        self._add("other")

    def handle_decl(self, decl: str) -> None:
        self._add("other")

    def handle_pi(self, data: str) -> None:
        self._add("other")

    def unknown_decl(self, data: str) -> None:
        self._add("other")


_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def _escape_html(text: str) -> str:
    return html.escape(text, quote=False)


def _entity_escaper(raw: str) -> Callable[[str], str]:
    """Escape translated text, writing each character as the entity the source used for it."""
    entities: dict[str, str] = {}
    for match in _ENTITY.finditer(raw):
        decoded = html.unescape(match.group())
        if len(decoded) == 1 and decoded != match.group():
            entities.setdefault(decoded, match.group())
    # Lenient HTML may hold a bare "<", ">" or "&"; the source's own choice is kept.
    bare = set("<>&") & set(_ENTITY.sub("", raw))

    def escape(text: str) -> str:
        return "".join(entities.get(ch) or (ch if ch in bare else _escape_html(ch)) for ch in text)

    return escape


def _segment_html(source: str) -> Segmented:
    parser = _Events(source)
    parser.feed(source)
    parser.close()
    events = parser.events
    if not events or events[0][0] != 0:
        events.insert(0, (0, "other", "", True))
    doc = Segmented(escape=_escape_html)
    stack: list[tuple[str, bool]] = []  # open elements and whether their text is prose
    pending_text: list[str] = []

    def flush() -> None:
        if pending_text:
            raw = "".join(pending_text)
            pending_text.clear()
            prose = not stack or stack[-1][1]
            if prose and _HAS_WORD.search(raw):
                _add_decoded(doc, raw)
            else:
                doc.add_literal(raw)

    for index, (start, kind, tag, translate) in enumerate(events):
        end = events[index + 1][0] if index + 1 < len(events) else len(source)
        raw = source[start:end]
        if kind == "text":
            pending_text.append(raw)
            continue
        flush()
        doc.add_literal(raw)
        if kind == "start" and tag not in _HTML_VOID:
            parent_prose = not stack or stack[-1][1]
            stack.append((tag, parent_prose and translate and tag not in _HTML_SKIP))
        elif kind == "end":
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == tag:
                    del stack[depth:]
                    break
    flush()
    return doc


def _add_decoded(doc: Segmented, raw: str) -> None:
    """Add HTML text: entities are decoded for the model and written back the same way."""
    decoded = html.unescape(raw)
    core = decoded.strip()
    if not _HAS_WORD.search(core):
        doc.add_literal(raw)
        return
    escape = _entity_escaper(raw)
    start = decoded.index(core)
    doc.add_literal(escape(decoded[:start]))
    doc.slots.append(len(doc.pieces))
    doc.slot_escapes[len(doc.pieces)] = escape
    doc.pieces.append(core)
    doc.add_literal(escape(decoded[start + len(core) :]))


# --- Markdown -----------------------------------------------------------------------------
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # Keep escapes and entities as their own tokens so they stay untouched in the source.
    md.core.ruler.disable("text_join")
    return md


def _escape_markdown(text: str) -> str:
    return _MD_ESCAPE.sub(r"\\\1", text)


class _MarkdownSegmenter:
    """Walks markdown-it's inline tokens and finds each text token's place in the source."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.doc = Segmented(escape=_escape_markdown)
        self.cursor = 0  # everything before it is already in doc.pieces
        self.search = 0  # where the next inline token is looked for
        self.run: list[tuple[int, int, str]] = []  # located text tokens: (start, end, core)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def segment(self) -> Segmented:
        for block in _markdown().parse(self.source):
            if block.type == "inline" and block.children:
                if block.map:
                    self.search = max(self.search, self.line_starts[block.map[0]])
                self._inline(block.children)
        self._take_until(len(self.source))
        return self.doc

    def _take_until(self, position: int) -> None:
        if position > self.cursor:
            self.doc.add_literal(self.source[self.cursor : position])
            self.cursor = position

    def _close_run(self) -> None:
        if not self.run:
            return
        start, end = self.run[0][0], self.run[-1][1]
        # Soft line breaks inside one run become spaces: the translation is one line.
        text = " ".join(core for _, _, core in self.run)
        self.run.clear()
        if _HAS_WORD.search(text):
            self._take_until(start)
            self.doc.slots.append(len(self.doc.pieces))
            self.doc.pieces.append(text)
            self.cursor = end

    def _inline(self, tokens: list[Token]) -> None:
        in_autolink = 0
        hrefs: list[str] = []
        for token in tokens:
            if token.type == "text" and not in_autolink and token.content:
                self._text(token.content)
                continue
            if token.type == "softbreak":
                continue
            self._close_run()
            self.search = _skip_token(self.source, token, self.search)
            if token.type == "link_open":
                hrefs.append(str(token.attrs.get("href", "")))
                if token.markup in ("autolink", "linkify"):
                    in_autolink += 1
            elif token.type == "link_close":
                href = hrefs.pop() if hrefs else ""
                if in_autolink:
                    in_autolink -= 1
                elif href and (found := self.source.find(href, self.search)) >= 0:
                    self.search = found + len(href)
        self._close_run()

    def _text(self, content: str) -> None:
        found = self.source.find(content, self.search)
        if found < 0:  # unescaped by the parser: not literally in the source, leave it
            self._close_run()
            return
        if self.run and self.source[self.run[-1][1] : found].strip(" \t\n>") != "":
            self._close_run()
        lead = len(content) - len(content.lstrip())
        core = content.strip()
        if core:
            self.run.append((found + lead, found + lead + len(core), core))
        self.search = found + len(content)


def _segment_markdown(source: str) -> Segmented:
    return _MarkdownSegmenter(source).segment()


def _skip_token(source: str, token: Token, search: int) -> int:
    """Move the search position past the source of a token that is not translated."""
    text = ""
    if token.type in ("code_inline", "text_special", "html_inline"):
        text = token.markup if token.type == "text_special" else token.content
    elif token.type == "image":
        text = str(token.attrs.get("src", ""))
    if text:
        found = source.find(text, search)
        if found >= 0:
            return found + len(text)
    return search
