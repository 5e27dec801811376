"""HTML slots: the standard library's ``html.parser`` with source positions; entities kept."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser

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
# Void elements a sentence runs through: kept where they stand (an image's alt translated).
_HTML_ATOMS = frozenset("img br wbr".split())
# Inline code inside a sentence: kept verbatim, a placeholder word in the sentence sent.
_HTML_CODE = frozenset("code kbd samp var".split())
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")  # noqa: RUF001


def _translated(attrs: list[tuple[str, str | None]]) -> bool:
    """Whether an element is translated: not ``translate="no"``, not ``class="notranslate"``."""
    marks = {name: (value or "").lower() for name, value in attrs}
    return marks.get("translate") != "no" and "notranslate" not in marks.get("class", "").split()


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
        self._add("start", tag, _translated(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("void", tag, _translated(attrs))

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
    # (kind, raw, tag, translate): text, inline tags, images and breaks, code of a run
    run: list[_Item] = []
    verbatim: tuple[str, int, list[str]] | None = None  # code being read: tag, depth, raw

    def prose() -> bool:
        return not stack or stack[-1][1]

    for index, (start, kind, tag, translate) in enumerate(events):
        end = events[index + 1][0] if index + 1 < len(events) else len(source)
        raw = source[start:end]
        if verbatim is not None and kind == "end" and any(t == tag for t, _ in stack):
            run.append(("code", "".join(verbatim[2]), verbatim[0], False))  # never closed:
            verbatim = None  # it ends with the element around it
        if verbatim is not None:  # inside inline code: kept as written, up to its end tag
            name, depth, pieces = verbatim
            pieces.append(raw)
            depth += (kind == "start" and tag == name) - (kind == "end" and tag == name)
            verbatim = (name, depth, pieces) if depth else None
            if not depth:
                run.append(("code", "".join(pieces), name, False))
            continue
        if kind == "text":
            run.append(("text", raw, "", True))
            continue
        if (
            kind == "start"
            and prose()
            and (tag in _HTML_CODE or (tag in _HTML_INLINE and not translate))
        ):
            verbatim = (tag, 1, [raw])
            continue
        if kind == "start" and tag in _HTML_INLINE and translate and prose():
            run.append(("open", raw, tag, True))
            stack.append((tag, True))
            continue
        if kind == "end" and any(k == "open" and t == tag for k, _, t, _ in run) and prose():
            run.append(("close", raw, tag, True))
            _close(stack, tag)
            continue
        if kind in ("start", "void") and tag in _HTML_ATOMS and prose() and _mid_sentence(run):
            run.append(("atom", raw, tag, translate))
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
    if verbatim is not None:  # code never closed: kept as written
        run.append(("code", "".join(verbatim[2]), verbatim[0], False))
    _flush(doc, run, prose())
    return doc


_Item = tuple[str, str, str, bool]


def _mid_sentence(run: list[_Item]) -> bool:
    """Whether the run's text so far has words and does not end a sentence."""
    text = html.unescape("".join(raw for kind, raw, _, _ in run if kind == "text"))
    return bool(HAS_WORD.search(text)) and not _SENTENCE_END.search(text)


def _attributes(raw: str, offset: int = 0) -> tuple[Attribute, ...]:
    """The readable attributes (``alt``, ``title``) of a start tag, as spans of ``raw``."""
    found: list[Attribute] = []
    for match in _READ_ATTRIBUTE.finditer(raw):
        group = 2 if match.group(2) is not None else 3
        value = match.group(group)
        decoded = html.unescape(value)
        if HAS_WORD.search(decoded):
            escape = _attribute_escaper(value, match.group(0)[-1])
            start, end = match.span(group)
            found.append(Attribute(offset + start, offset + end, decoded.strip(), escape))
    return tuple(found)


def _add_tag(doc: Segmented, raw: str) -> None:
    """A start tag, with its ``alt`` and ``title`` values as slots (quotes kept as written)."""
    cursor = 0
    for attribute in _attributes(raw):
        doc.add_literal(raw[cursor : attribute.start])
        doc.slots.append(len(doc.pieces))
        doc.slot_escapes[len(doc.pieces)] = attribute.escape
        doc.pieces.append(attribute.text)
        cursor = attribute.end
    doc.add_literal(raw[cursor:])


def _attribute_escaper(raw: str, quote: str) -> Callable[[str], str]:
    """Escape a translated attribute value; one that starts in lower case stays so."""
    text_escape = _entity_escaper(raw)
    written = "&quot;" if quote == '"' else "&#x27;"
    source = html.unescape(raw)
    return lambda text: text_escape(lower_start(source, text)).replace(quote, written)


def _close(stack: list[tuple[str, bool]], tag: str) -> None:
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][0] == tag:
            del stack[depth:]
            break


def _flush(doc: Segmented, run: list[_Item], prose: bool) -> None:
    """Add a run of text and inline tags: one slot when it is prose with balanced tags."""
    items = list(run)
    run.clear()
    # Images and breaks after the run's last words stand outside its sentence.
    tail: list[_Item] = []
    while items and (
        items[-1][0] == "atom" or (items[-1][0] == "text" and not items[-1][1].strip())
    ):
        tail.insert(0, items.pop())
    _flush_items(doc, items, prose)
    for kind, raw, _, translate in tail:
        if kind == "atom" and translate and prose:
            _add_tag(doc, raw)
        else:
            doc.add_literal(raw)


def _flush_items(doc: Segmented, items: list[_Item], prose: bool) -> None:
    if not items:
        return
    raw_text = "".join(raw for kind, raw, _, _ in items if kind == "text")
    tags = [item for item in items if item[0] != "text"]
    if not prose or not HAS_WORD.search(html.unescape(raw_text)):
        doc.add_literal("".join(raw for _, raw, _, _ in items))
        return
    needs_run = tags or _control_refs(raw_text)
    built = _inline_run(list(items), _entity_escaper(raw_text)) if needs_run else None
    if built is None:  # plain text, or tags that do not pair up: each text on its own
        pending: list[str] = []
        for kind, raw, _, translate in items:
            if kind == "text":
                pending.append(raw)
                continue
            _add_decoded(doc, "".join(pending))
            pending.clear()
            if kind == "atom" and translate:
                _add_tag(doc, raw)
            else:
                doc.add_literal(raw)
        _add_decoded(doc, "".join(pending))
        return
    lead, inline, trail = built
    doc.add_literal(lead)
    doc.add_run(inline)
    doc.add_literal(trail)


def _inline_run(
    items: list[_Item], escape: Callable[[str], str]
) -> tuple[str, InlineRun, str] | None:
    """The run as plain text with spans, and the whitespace around it; None if unbalanced."""
    lead = trail = ""
    if items[0][0] == "text":
        text = items[0][1]
        lead = text[: len(text) - len(text.lstrip())]
        items[0] = ("text", text[len(lead) :], "", True)
    if items[-1][0] == "text":
        text = items[-1][1]
        trail = text[len(text.rstrip()) :]
        items[-1] = ("text", text[: len(text) - len(trail)], "", True)
    plain = ""
    pairs = SpanPairs()
    codes = 0
    # An image or break being read: where it stands in plain, its markup and attributes.
    atom: tuple[int, str, tuple[Attribute, ...], int] | None = None
    previous = ""
    floor = 0  # plain text before it is fixed: spans start or end there

    def finish_atom(after: str = "") -> None:
        nonlocal atom
        if atom is not None:
            start, markup, attributes, seen = atom
            end = start + 1 if plain[start : start + 1] == " " else start
            pairs.add(Span(start, end, markup + after, "", True, attributes), seen)
            atom = None

    for position, (kind, raw, tag, translate) in enumerate(items):
        if kind == "atom":
            attributes = _attributes(raw) if translate else ()
            if atom is not None:  # images and breaks side by side: one piece of markup
                start, markup, earlier, seen = atom
                moved = tuple(
                    replace(a, start=a.start + len(markup), end=a.end + len(markup))
                    for a in attributes
                )
                atom = (start, markup + raw, earlier + moved, seen)
                previous = kind
                continue
            before = ""
            if previous == "text":  # the space before it goes with it (not a span's edge)
                kept = floor + len(plain[floor:].rstrip())
                before, plain = plain[kept:], plain[:kept]
            moved = tuple(
                replace(a, start=a.start + len(before), end=a.end + len(before)) for a in attributes
            )
            atom = (len(plain), before + raw, moved, pairs.tick())
            if plain and not plain[-1].isspace():
                plain += " "
            previous, floor = kind, len(plain)
            continue
        if kind == "text":
            after = ""
            if atom is not None:
                after = raw[: len(raw) - len(raw.lstrip())]
                raw = raw[len(after) :]
            elif previous != "text" and plain[-1:].isspace():  # one space between words
                raw = raw.lstrip()
            finish_atom(after)
            cursor = 0
            for ref in _control_refs(raw):  # an empty span: the reference comes back once
                plain += html.unescape(raw[cursor : ref.start()])
                pairs.add(Span(len(plain), len(plain), ref.group(), ""))
                cursor = ref.end()
            plain += html.unescape(raw[cursor:])
        elif kind == "code":  # kept verbatim: a placeholder word stands for it
            finish_atom()
            word = placeholder_text(plain, placeholder(codes), _glued(items, position))
            codes += 1
            pairs.add(Span(len(plain), len(plain) + len(word), raw, "", True))
            plain += word
        elif kind == "open":
            finish_atom()
            pairs.open(tag, raw, len(plain), _attributes(raw))  # a title is translated
        else:
            finish_atom()
            pairs.close(tag, raw, len(plain))
        previous = kind
        if kind != "text":
            floor = len(plain)
    finish_atom()
    spans = pairs.result()
    if spans is None:
        return None
    return lead, InlineRun(plain, spans, escape), trail


def _glued(items: list[_Item], index: int) -> bool:
    """Whether the words after an item touch it (inline tags between them aside)."""
    text = ""
    for kind, raw, _, _ in items[index + 1 :]:
        if kind == "text":
            text += html.unescape(raw)  # a control reference decodes to nothing
            if text:
                break
        elif kind not in ("open", "close"):
            return kind == "code" and not text
    return bool(re.match(r"\w", text))


def _add_decoded(doc: Segmented, raw: str) -> None:
    """Add HTML text: entities are decoded for the model and written back the same way;
    control references (``&#1;``) stay where they are, as written."""
    refs = _control_refs(raw)
    if refs:
        cursor = 0
        for ref in refs:
            _add_decoded(doc, raw[cursor : ref.start()])
            doc.add_literal(ref.group())
            cursor = ref.end()
        _add_decoded(doc, raw[cursor:])
        return
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
