"""HTML slots: the standard library's ``html.parser`` with source positions; entities kept."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

from service.text.slots import HAS_WORD, Segmented

# Elements whose content is code or machine text, never prose.
_HTML_SKIP = frozenset(
    "script style code pre kbd samp var template textarea svg math noscript".split()
)
_HTML_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)


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


def segment_html(source: str) -> Segmented:
    """Cut an HTML document into literal pieces and prose slots."""
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
            if prose and HAS_WORD.search(raw):
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
    if not HAS_WORD.search(core):
        doc.add_literal(raw)
        return
    escape = _entity_escaper(raw)
    start = decoded.index(core)
    doc.add_literal(escape(decoded[:start]))
    doc.slots.append(len(doc.pieces))
    doc.slot_escapes[len(doc.pieces)] = escape
    doc.pieces.append(core)
    doc.add_literal(escape(decoded[start + len(core) :]))
