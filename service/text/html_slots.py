"""HTML slots: the standard library's ``html.parser`` with source positions; entities kept."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser

from service.text.inline import InlineRun, Span, SpanPairs
from service.text.slots import HAS_WORD, Segmented

# Elements whose content is code or machine text, never prose.
_HTML_SKIP = frozenset(
    "script style code pre kbd samp var template textarea svg math noscript".split()
)
# Inline elements a sentence runs through: translated with the sentence, tags put back.
_HTML_INLINE = frozenset(
    "a abbr b bdi bdo cite del dfn em i ins mark q s small span strong sub sup time u".split()
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


# Attributes people read: image descriptions and tooltips.
_READ_ATTRIBUTE = re.compile(r"""(\s(?:alt|title)\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CHARREF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def _control_refs(raw: str) -> list[re.Match[str]]:
    """Character references to control characters (``&#1;``): kept as written, in place."""
    found = []
    for match in _CHARREF.finditer(raw):
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if (code < 32 and code not in (9, 10, 13)) or 127 <= code < 160:
            found.append(match)
    return found


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
    run: list[tuple[str, str, str]] = []  # (kind, raw, tag): text and inline tags of a run

    def prose() -> bool:
        return not stack or stack[-1][1]

    for index, (start, kind, tag, translate) in enumerate(events):
        end = events[index + 1][0] if index + 1 < len(events) else len(source)
        raw = source[start:end]
        if kind == "text":
            run.append(("text", raw, ""))
            continue
        if kind == "start" and tag in _HTML_INLINE and translate and prose():
            run.append(("open", raw, tag))
            stack.append((tag, True))
            continue
        if kind == "end" and any(k == "open" and t == tag for k, _, t in run) and prose():
            run.append(("close", raw, tag))
            _close(stack, tag)
            continue
        _flush(doc, run, prose())
        if kind in ("start", "void") and translate and prose() and tag not in _HTML_SKIP:
            _add_tag(doc, raw)
        else:
            doc.add_literal(raw)
        if kind == "start" and tag not in _HTML_VOID:
            parent_prose = prose()
            stack.append((tag, parent_prose and translate and tag not in _HTML_SKIP))
        elif kind == "end":
            _close(stack, tag)
    _flush(doc, run, prose())
    return doc


def _add_tag(doc: Segmented, raw: str) -> None:
    """A start tag, with its ``alt`` and ``title`` values as slots (quotes kept as written)."""
    cursor = 0
    for match in _READ_ATTRIBUTE.finditer(raw):
        group = 2 if match.group(2) is not None else 3
        value = match.group(group)
        if not HAS_WORD.search(html.unescape(value)):
            continue
        doc.add_literal(raw[cursor : match.start(group)])
        decoded = html.unescape(value)
        core = decoded.strip()
        doc.slots.append(len(doc.pieces))
        doc.slot_escapes[len(doc.pieces)] = _attribute_escaper(value, match.group(0)[-1])
        doc.pieces.append(core)
        cursor = match.end(group)
    doc.add_literal(raw[cursor:])


def _attribute_escaper(raw: str, quote: str) -> Callable[[str], str]:
    text_escape = _entity_escaper(raw)
    written = "&quot;" if quote == '"' else "&#x27;"
    return lambda text: text_escape(text).replace(quote, written)


def _close(stack: list[tuple[str, bool]], tag: str) -> None:
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][0] == tag:
            del stack[depth:]
            break


def _flush(doc: Segmented, run: list[tuple[str, str, str]], prose: bool) -> None:
    """Add a run of text and inline tags: one slot when it is prose with balanced tags."""
    items = list(run)
    run.clear()
    if not items:
        return
    raw_text = "".join(raw for kind, raw, _ in items if kind == "text")
    tags = [item for item in items if item[0] != "text"]
    if not prose or not HAS_WORD.search(html.unescape(raw_text)):
        doc.add_literal("".join(raw for _, raw, _ in items))
        return
    needs_run = tags or _control_refs(raw_text)
    built = _inline_run(items, _entity_escaper(raw_text)) if needs_run else None
    if built is None:  # plain text, or tags that do not pair up: each text on its own
        pending: list[str] = []
        for kind, raw, _ in items:
            if kind == "text":
                pending.append(raw)
                continue
            _add_decoded(doc, "".join(pending))
            pending.clear()
            doc.add_literal(raw)
        _add_decoded(doc, "".join(pending))
        return
    lead, inline, trail = built
    doc.add_literal(lead)
    doc.add_run(inline)
    doc.add_literal(trail)


def _inline_run(
    items: list[tuple[str, str, str]], escape: Callable[[str], str]
) -> tuple[str, InlineRun, str] | None:
    """The run as plain text with spans, and the whitespace around it; None if unbalanced."""
    lead = trail = ""
    if items[0][0] == "text":
        text = items[0][1]
        lead = text[: len(text) - len(text.lstrip())]
        items[0] = ("text", text[len(lead) :], "")
    if items[-1][0] == "text":
        text = items[-1][1]
        trail = text[len(text.rstrip()) :]
        items[-1] = ("text", text[: len(text) - len(trail)], "")
    plain = ""
    pairs = SpanPairs()
    for kind, raw, tag in items:
        if kind == "text":
            cursor = 0
            for ref in _control_refs(raw):  # an empty span: the reference comes back once
                plain += html.unescape(raw[cursor : ref.start()])
                pairs.spans.append(Span(len(plain), len(plain), ref.group(), ""))
                cursor = ref.end()
            plain += html.unescape(raw[cursor:])
        elif kind == "open":
            pairs.open(tag, raw, len(plain))
        else:
            pairs.close(tag, raw, len(plain))
    spans = pairs.result()
    if spans is None:
        return None
    return lead, InlineRun(plain, spans, escape), trail


def _add_decoded(doc: Segmented, raw: str) -> None:
    """Add HTML text: entities are decoded for the model and written back the same way."""
    if not raw:
        return
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
