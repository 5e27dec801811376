"""Markdown slots: markdown-it-py's inline tokens, each located in the source.

The parser gives no source positions inside a paragraph, so each inline token is found in the
source from where the previous one ended: its text, its mark (``*``, ``**``, ``~~``, ``[``),
a link's tail (``](target "title")``, ``[label]``) read with the parser's own helpers, so the
target comes back exactly as written however the parser normalises it. A sentence run is the
stretch of located pieces between things that are not translated (images, inline HTML,
autolinks, footnote marks); it is one slot, its marks put back as spans
(``service.text.inline``), inline code a placeholder word, hard line breaks kept in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token

from service.text.inline import (
    Attribute,
    InlineRun,
    Span,
    SpanPairs,
    lower_start,
    placeholder,
    placeholder_text,
)
from service.text.slots import HAS_WORD, Segmented

# Inline marks a sentence runs through: translated with the sentence, marks put back.
_MARKS = frozenset({"em", "strong", "s", "link"})
# What may stand between two pieces of one run: spaces, line breaks, block-quote marks.
_GAP = " \t\n>"
_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>])")
# Left as written inside text: footnote marks ("[^1]", "[^1]:") and link syntax the parser
# refused to make a link (``[x](javascript:...)``), which must not be translated or escaped.
_KEEP = re.compile(r"\[\^[^\]\s]+\]:?|\[[^\]]*\]\((?:[^()\s]|\([^()\s]*\))*\)")
_LABEL = re.compile(r"\[(?:\\.|[^\\\[\]])*\]")
_SPACES = re.compile(r"[ \t\n]*")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")  # noqa: RUF001


@dataclass(frozen=True)
class _Piece:
    """A located piece of a run: ``source[start:end]``."""

    kind: str  # text, special (an escape or entity), open, close, code, break
    start: int
    end: int
    text: str = ""  # text: its words; special: what it stands for; open/close: the mark kind


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # Keep escapes and entities as their own tokens so they stay untouched in the source.
    md.core.ruler.disable("text_join")
    return md


def _escape_markdown(text: str) -> str:
    return _MD_ESCAPE.sub(r"\\\1", text)


class _MarkdownSegmenter:
    """Walks markdown-it's inline tokens and finds each one's place in the source."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.doc = Segmented(escape=_escape_markdown)
        self.cursor = 0  # everything before it is already in doc.pieces
        self.pos = 0  # where the next inline token is looked for
        self.run: list[_Piece] = []
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def segment(self) -> Segmented:
        for block in _markdown().parse(self.source):
            if block.type == "inline" and block.children:
                if block.map:
                    self.pos = max(self.pos, self.line_starts[block.map[0]])
                self._inline(block.children)
        self._take_until(len(self.source))
        return self.doc

    def _take_until(self, position: int) -> None:
        if position > self.cursor:
            self.doc.add_literal(self.source[self.cursor : position])
            self.cursor = position

    # -- walking the tokens --------------------------------------------------------------

    def _inline(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            index += 1
            if token.type == "softbreak":
                continue
            if token.type == "text":
                if token.content:
                    self._text(token.content)
                continue
            if token.type == "link_open" and token.markup == "autolink":
                start = self.source.find("<", self.pos)
                end = self.source.find(">", start) + 1 if start >= 0 else 0
                while index < len(tokens) and tokens[index].type != "link_close":
                    index += 1
                index += 1
                if end:  # kept verbatim in its sentence, like code
                    self._add(_Piece("code", start, end))
                    self.pos = end
                else:
                    self._close_run()
                continue
            extent = self._extent(token)
            if extent is None:  # not found where expected: the run ends, the search stays
                self._close_run()
                continue
            piece = self._piece(token, *extent)
            if piece is None:
                self._close_run()
                if token.type == "image":
                    self._alt_slot(*extent)
            else:
                self._add(piece)
            self.pos = extent[1]
        self._close_run()

    def _piece(self, token: Token, start: int, end: int) -> _Piece | None:
        """The run piece a token makes, or None when it ends the run."""
        kind, _, event = token.type.rpartition("_")
        if token.type == "text_special":
            return _Piece("special", start, end, token.content)
        if token.type == "code_inline":
            return _Piece("code", start, end)
        if token.type in ("hardbreak", "image"):  # kept in place inside a sentence
            return _Piece(token.type, start, end) if _mid_sentence(self.run) else None
        if kind in _MARKS and event == "open":
            return _Piece("open", start, end, kind)
        if kind in _MARKS and event == "close":
            opened = sum(
                (p.kind == "open") - (p.kind == "close") for p in self.run if p.text == kind
            )
            return _Piece("close", start, end, kind) if opened > 0 else None
        return None

    def _add(self, piece: _Piece) -> None:
        if self.run and self.source[self.run[-1].end : piece.start].strip(_GAP):
            self._close_run()  # something not tracked lies between: not one run
        self.run.append(piece)

    def _text(self, content: str) -> None:
        found = self.source.find(content, self.pos)
        if found < 0:  # unescaped by the parser: not literally in the source, leave it
            self._close_run()
            return
        cursor = 0
        for keep in _KEEP.finditer(content):
            self._located(content[cursor : keep.start()], found + cursor)
            self._close_run()  # the kept part stays in the literal text around the slots
            cursor = keep.end()
        self._located(content[cursor:], found + cursor)
        self.pos = found + len(content)

    def _located(self, content: str, found: int) -> None:
        """Add the words of a piece of a text token that starts at ``found`` in the source."""
        lead = len(content) - len(content.lstrip())
        core = content.strip()
        if core:
            self._add(_Piece("text", found + lead, found + lead + len(core), core))

    def _extent(self, token: Token) -> tuple[int, int] | None:
        """Where a token that is not text is written, from the search position on."""
        source, pos = self.source, self.pos
        kind, _, event = token.type.rpartition("_")
        if token.type == "hardbreak":
            end = source.find("\n", pos)
            return (pos, end + 1) if end >= 0 else None
        if token.type == "code_inline":
            start = source.find(token.markup, pos)
            if start < 0:
                return None
            fence = re.compile(rf"(?<!`){re.escape(token.markup)}(?!`)")
            close = fence.search(source, start + len(token.markup))
            return (start, close.end()) if close else None
        if token.type == "link_close":
            start = source.find("]", pos)
            return (start, _link_tail(source, start + 1)) if start >= 0 else None
        if token.type == "image":
            start = source.find("![", pos)
            bracket = _matching_bracket(source, start + 1) if start >= 0 else None
            return (start, _link_tail(source, bracket)) if bracket is not None else None
        if token.type == "link_open":
            needle = "["
        elif token.type in ("text_special", "html_inline"):
            needle = token.markup if token.type == "text_special" else token.content
        elif kind in _MARKS and event in ("open", "close"):
            needle = token.markup
        else:
            return None
        start = source.find(needle, pos) if needle else -1
        return (start, start + len(needle)) if start >= 0 else None

    # -- turning a run into slots --------------------------------------------------------

    def _close_run(self) -> None:
        pieces = list(self.run)
        self.run.clear()
        tail: list[_Piece] = []
        while pieces and pieces[-1].kind in ("hardbreak", "image"):  # after the words
            tail.insert(0, pieces.pop())
        self._run_slots(pieces)
        for piece in tail:
            if piece.kind == "image":
                self._alt_slot(piece.start, piece.end)

    def _alt_slot(self, start: int, end: int) -> None:
        """An image's alt text as a slot of its own."""
        alt = _alt(self.source, start, end)
        if alt is not None:
            low, high = alt
            self._take_until(low)
            self.doc.slots.append(len(self.doc.pieces))
            self.doc.slot_escapes[len(self.doc.pieces)] = _alt_escaper(self.source[low:high])
            self.doc.pieces.append(self.source[low:high])
            self.cursor = high

    def _run_slots(self, pieces: list[_Piece]) -> None:
        if not any(p.kind in ("text", "special") and HAS_WORD.search(p.text) for p in pieces):
            return
        if all(p.kind == "text" for p in pieces):
            self._add_slot(pieces)
            return
        built = self._inline_run(pieces)
        if built is not None:
            self._take_until(pieces[0].start)
            self.doc.add_run(built)
            self.cursor = pieces[-1].end
            return
        # Marks that do not pair up inside the run: each stretch of text on its own.
        cuts = [i for i, p in enumerate(pieces) if p.kind not in ("text",)]
        for low, high in pairwise([-1, *cuts, len(pieces)]):
            self._add_slot(pieces[low + 1 : high])
            if high < len(pieces) and pieces[high].kind == "image":
                self._alt_slot(pieces[high].start, pieces[high].end)

    def _add_slot(self, pieces: list[_Piece]) -> None:
        if not pieces:
            return
        # Soft line breaks inside one run become spaces: the translation is one line.
        text = " ".join(p.text for p in pieces)
        if HAS_WORD.search(text):
            self._take_until(pieces[0].start)
            self.doc.slots.append(len(self.doc.pieces))
            self.doc.pieces.append(text)
            self.cursor = pieces[-1].end

    def _inline_run(self, pieces: list[_Piece]) -> InlineRun | None:
        """The run's plain text with a span per mark pair, code and break; None when the
        marks do not pair up."""
        plain = ""
        pairs = SpanPairs()
        written: dict[str, str] = {}  # a character and the escape or entity it was written as
        codes = 0
        for index, piece in enumerate(pieces):
            markup = self.source[piece.start : piece.end]
            if piece.kind in ("hardbreak", "image"):  # kept with its spacing, as one space
                low = pieces[index - 1].end
                markup = self.source[low : pieces[index + 1].start]
                attributes: tuple[Attribute, ...] = ()
                alt = _alt(self.source, piece.start, piece.end)
                if alt is not None:  # an image's alt text is translated
                    text = self.source[alt[0] : alt[1]]
                    attributes = (Attribute(alt[0] - low, alt[1] - low, text, _alt_escaper(text)),)
                span = Span(len(plain), len(plain) + 1, markup, "", True, attributes)
                pairs.add(span)
                plain += " "
                continue
            gap = self.source[pieces[index - 1].end : piece.start] if index else ""
            after_atom = pieces[index - 1].kind in ("hardbreak", "image") if index else False
            if gap and plain and not plain.endswith(" ") and not after_atom:
                plain += " "
            if piece.kind == "text":
                plain += piece.text
            elif piece.kind == "special":
                plain += piece.text
                written.setdefault(piece.text, markup)
            elif piece.kind == "code":  # kept verbatim: a placeholder word stands for it
                word = placeholder_text(plain, placeholder(codes), _glued(pieces, index))
                codes += 1
                pairs.add(Span(len(plain), len(plain) + len(word), markup, "", True))
                plain += word
            elif piece.kind == "open":
                pairs.open(piece.text, markup, len(plain), optional=piece.text != "link")
            else:
                pairs.close(piece.text, markup, len(plain), _link_title(markup))
        spans = pairs.result()
        if spans is None:
            return None
        return InlineRun(plain, spans, _escaper(written))


def _link_title(markup: str) -> tuple[Attribute, ...]:
    """The title of a link's tail (``](target "title")``), translated like an HTML title."""
    if not markup.startswith("]("):
        return ()
    index = 2 + len(_SPACES.match(markup, 2).group())  # type: ignore[union-attr]
    target = parseLinkDestination(markup, index, len(markup))
    if not target.ok:
        return ()
    index = target.pos + len(_SPACES.match(markup, target.pos).group())  # type: ignore[union-attr]
    title = parseLinkTitle(markup, index, len(markup))
    text = markup[index + 1 : title.pos - 1] if title.ok else ""
    if not HAS_WORD.search(text) or re.search(r"[\\`*_\[\]<>&\n]", text):
        return ()
    quote = markup[index]
    closer = ")" if quote == "(" else quote

    def escape(translated: str) -> str:
        return lower_start(text, translated).replace(closer, "\\" + closer)

    return (Attribute(index + 1, title.pos - 1, text, escape, closing=True),)


def _glued(pieces: list[_Piece], index: int) -> bool:
    """Whether the words after a piece touch it (marks between them aside)."""
    end = pieces[index].end
    for piece in pieces[index + 1 :]:
        if piece.start != end:
            return False
        if piece.kind not in ("open", "close"):
            return piece.kind == "code" or bool(re.match(r"\w", piece.text))
        end = piece.end
    return False


def _alt_escaper(alt: str) -> Callable[[str], str]:
    return lambda text: _escape_markdown(lower_start(alt, text))


def _mid_sentence(run: list[_Piece]) -> bool:
    """Whether the run's words so far do not end a sentence."""
    words = [p.text for p in run if p.kind in ("text", "special")]
    return bool(words) and not _SENTENCE_END.search(words[-1])


def _alt(source: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the alt text of the image at ``source[start:end]`` is, when it is plain words."""
    bracket = _matching_bracket(source, start + 1)
    if bracket is None or bracket > end:
        return None
    text = source[start + 2 : bracket - 1]
    core = text.strip()
    if not HAS_WORD.search(core) or re.search(r"[\\`*_\[\]<>&]", core):
        return None
    low = start + 2 + text.index(core)
    return low, low + len(core)


def _escaper(written: dict[str, str]) -> Callable[[str], str]:
    """Escape translated text; characters the source wrote as an escape or entity stay so."""
    if not written:
        return _escape_markdown
    return lambda text: "".join(written.get(ch) or _escape_markdown(ch) for ch in text)


def _matching_bracket(source: str, start: int) -> int | None:
    """The position after the ``]`` closing the ``[`` at ``start`` (nesting, escapes)."""
    depth = 0
    index = start
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        depth += (char == "[") - (char == "]")
        index += 1
        if depth == 0:
            return index
    return None


def _link_tail(source: str, pos: int) -> int:
    """The end of a link's tail after its ``]``: ``(target "title")``, ``[label]`` or none.

    Read with the parser's helpers, so a target it rewrites (``a_(b)``, ``<a b>``,
    ``café``) is still found exactly as written.
    """
    if source.startswith("(", pos):
        index = pos + 1 + len(_SPACES.match(source, pos + 1).group())  # type: ignore[union-attr]
        if not source.startswith(")", index):
            target = parseLinkDestination(source, index, len(source))
            if target.ok:
                index = target.pos
                spaces = len(_SPACES.match(source, index).group())  # type: ignore[union-attr]
                if spaces:
                    title = parseLinkTitle(source, index + spaces, len(source))
                    index = title.pos if title.ok else index
                    index += len(_SPACES.match(source, index).group())  # type: ignore[union-attr]
        if source.startswith(")", index):
            return index + 1
        return pos  # not an inline link: a shortcut reference
    label = _LABEL.match(source, pos)
    return label.end() if label else pos


def segment_markdown(source: str) -> Segmented:
    """Cut a Markdown document into literal pieces and prose slots."""
    return _MarkdownSegmenter(source).segment()
