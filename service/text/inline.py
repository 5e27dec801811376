"""Inline markup inside a sentence: translate the sentence whole, then put the tags back.

A run of prose with inline tags (``She said <a href="/x">the minister</a> would resign.``) is
sent to the engine as its plain text, so no tag cuts the sentence into pieces translated
alone. Each tagged span's own text is translated in the same engine call; the tags are put
back around that translation where it occurs in the sentence's translation (or around the
span's source text, for names and links left as they are). Where neither occurs, the span is
placed at the same relative position, on word boundaries. Spans are placed outermost first,
each inside its parent and after its previous sibling, so every tag comes back exactly once
and the result is well-formed, whatever the engine emits.

Markup that is no span of words is a verbatim span: code (``pip install x``) stands in the
sentence as a placeholder word the engines copy through (``Zxkb``) and an image or line break
as the space it sits in; the placeholder (or a space where the engine lost it) is replaced by
the markup as written. Attributes people read (``title``, ``alt``) are translated alongside.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W\d_]")
_STOP = re.compile(r"[.,;:!?…]")


_PLACEHOLDER_LETTERS = "bcdfghjklmnpqrstvwxz"


def placeholder_word(family: str, index: int) -> str:
    """The ``index``-th word of a placeholder ``family``: an unknown capitalised word that
    the engines copy through, e.g. ``Zxkb`` (consonants only, so no language reads it)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, len(_PLACEHOLDER_LETTERS))
        letters = _PLACEHOLDER_LETTERS[rest] + letters
    return f"{family}{letters}"


def placeholder(index: int) -> str:
    """The ``index``-th verbatim placeholder (``Zxkb``...): not the glossary's ``Zxq``
    family, so the two never collide in one sentence."""
    return placeholder_word("Zxk", index)


PLACEHOLDER = re.compile(r"(?<!\w)Zxk[b-z]+(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Attribute:
    """A readable attribute value inside a span's opening markup: ``opening[start:end]``."""

    start: int
    end: int
    text: str  # the value as the reader sees it (entities decoded): what is translated
    escape: Callable[[str], str] = str
    closing: bool = False  # in the closing markup (a Markdown link's title) instead


@dataclass(frozen=True)
class Span:
    """An inline element over ``plain[start:end]``: its opening and closing markup as written.

    A ``verbatim`` span stands for markup kept as it is (``opening``; ``closing`` is empty):
    its text in ``plain`` is a placeholder word or one space, replaced by the markup.
    """

    start: int
    end: int
    opening: str
    closing: str
    verbatim: bool = False
    attributes: tuple[Attribute, ...] = ()
    optional: bool = False  # left out where it wraps nothing (Markdown emphasis cannot)


@dataclass
class InlineRun:
    """A sentence run's plain text and the inline elements over it."""

    plain: str
    spans: list[Span] = field(default_factory=list)
    escape: Callable[[str], str] = str

    def looked_up(self) -> list[int]:
        """The spans whose text is translated alongside the run to find its place: those
        with a word that do not cover the whole run (verbatim spans are found as they are)."""
        whole = (0, len(self.plain))
        return [
            index
            for index, span in enumerate(self.spans)
            if not span.verbatim
            and (span.start, span.end) != whole
            and _WORD.search(PLACEHOLDER.sub("", self.plain[span.start : span.end]))
        ]

    def span_texts(self) -> list[str]:
        """What is translated with the run: the text of each ``looked_up`` span, then each
        readable attribute value of every span."""
        texts = [self.plain[self.spans[i].start : self.spans[i].end] for i in self.looked_up()]
        return texts + [a.text for span in self.spans for a in span.attributes]

    def render(self, translation: str, span_translations: list[str]) -> str:
        """``translation`` with every span's tags put back once, well-formed, text escaped.

        ``span_translations`` has one translation per ``span_texts`` entry, in its order.
        """
        looked_up = self.looked_up()
        found: list[str | None] = [None] * len(self.spans)
        for index, translated in zip(looked_up, span_translations, strict=False):
            found[index] = translated
        attribute_translations = iter(span_translations[len(looked_up) :])
        openings: list[str] = []
        closings: list[str] = []
        for span in self.spans:
            values = [next(attribute_translations) for _ in span.attributes]
            openings.append(_with_attributes(span, values, closing=False))
            closings.append(_with_attributes(span, values, closing=True))
        places = place_spans(self, translation, found)
        stray = _stray_placeholders(self, translation, places)
        dropped = set(stray)
        for (start, end), span in zip(places, self.spans, strict=True):
            if span.verbatim:  # the markup replaces the placeholder (or space) it stands for
                dropped.update(range(start, end))
        replaced = list(places)
        places = _trimmed(self.spans, places, translation, stray)
        # Markup in tree order (each opening, what it holds, its closing), then by position:
        # a stable sort keeps that order where several pieces meet at one position.
        inserts: list[tuple[int, str]] = []
        stack: list[tuple[int, int, str]] = []  # open spans: index, closing position, markup

        def close_until(parent: int | None) -> None:
            while stack and stack[-1][0] != parent:
                _, position, markup = stack.pop()
                if markup:
                    inserts.append((position, markup))

        for index, ((start, end), span) in enumerate(zip(places, self.spans, strict=True)):
            close_until(_parent(self.spans, index))
            if span.verbatim:
                standing = self.plain[span.start : span.end]
                low, high = replaced[index]
                inserts.append((start, _spaced(standing, openings[index], translation, low, high)))
                stack.append((index, end, ""))
            elif start == end and span.optional:  # ``**`` around nothing is no emphasis
                stack.append((index, end, ""))
            else:  # an element with nothing to wrap stays, empty, in its place
                inserts.append((start, openings[index]))
                stack.append((index, end, closings[index]))
        close_until(None)
        inserts.sort(key=lambda insert: insert[0])
        out: list[str] = []
        cursor = 0

        def text(low: int, high: int) -> str:
            return self.escape(
                "".join(translation[i] for i in range(low, high) if i not in dropped)
            )

        for position, markup in inserts:
            out.append(text(cursor, position))
            out.append(markup)
            cursor = position
        out.append(text(cursor, len(translation)))
        return "".join(out)

    def shown(self, text: str) -> str:
        """``text`` (the run's sentence, or a message quoting it) with each placeholder
        back as the markup it stands for, for people reading a report."""
        for span in self.spans:
            word = self.plain[span.start : span.end].strip()
            if span.verbatim and PLACEHOLDER.fullmatch(word):
                pattern = re.compile(rf"(?<!\w){word}(?!\w)")
                text = pattern.sub(span.opening.replace("\\", "\\\\"), text)
        return text

    def engine_text(self) -> str:
        """The run's text without its placeholders (for language detection)."""
        return " ".join(PLACEHOLDER.sub("", self.plain).split())


class SpanPairs:
    """Pairs opening and closing marks into spans as a run's plain text is built."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, Span]] = []  # (when it began, span)
        # kind, opening markup, start in plain, readable attributes, optional, when it began
        self._open: list[tuple[str, str, int, tuple[Attribute, ...], bool, int]] = []
        self._count = 0
        self.broken = False  # a closing without its opening, in the wrong order

    def tick(self) -> int:
        """The next place in source order (an element seen now, added later, keeps it)."""
        self._count += 1
        return self._count

    def add(self, span: Span, seen: int | None = None) -> None:
        """A span with nothing to pair: code, an image, a break, a reference."""
        self._spans.append((self.tick() if seen is None else seen, span))

    def open(
        self,
        kind: str,
        markup: str,
        position: int,
        attributes: tuple[Attribute, ...] = (),
        *,
        optional: bool = False,
    ) -> None:
        """An opening mark at ``position`` of the plain text (see ``Span`` for the rest)."""
        self._open.append((kind, markup, position, attributes, optional, self.tick()))

    def close(
        self, kind: str, markup: str, position: int, attributes: tuple[Attribute, ...] = ()
    ) -> None:
        """A closing mark; it must close the innermost open one. ``attributes``: readable
        values in the closing markup."""
        if not self._open or self._open[-1][0] != kind:
            self.broken = True
            return
        _, opening, start, opened, optional, seen = self._open.pop()
        attributes = opened + attributes
        span = Span(start, position, opening, markup, attributes=attributes, optional=optional)
        self._spans.append((seen, span))

    def result(self) -> list[Span] | None:
        """The spans, outermost first (of two over the same text, the one begun first), or
        None when the marks do not pair up."""
        if self.broken or self._open:
            return None
        ordered = sorted(self._spans, key=lambda item: (item[1].start, -item[1].end, item[0]))
        return [span for _, span in ordered]


def place_spans(
    run: InlineRun, translation: str, span_translations: list[str | None]
) -> list[tuple[int, int]]:
    """Where each span goes in ``translation``: (start, end), nested and ordered as the source."""
    places: list[tuple[int, int]] = []
    for index, span in enumerate(run.spans):
        if (span.start, span.end) == (0, len(run.plain)):  # the whole run: the whole sentence
            places.append((0, len(translation)))
            continue
        parent = _parent(run.spans, index)
        low, high = places[parent] if parent is not None else (0, len(translation))
        outer_low = low
        previous = _previous_sibling(run.spans, index, parent)
        if previous is not None:
            low = max(low, places[previous][1])
        low = min(low, high)
        source_text = run.plain[span.start : span.end]
        if span.verbatim:
            target = _relative(run, index, parent, low, high)
            places.append(_place_verbatim(run, span, translation, (low, high, outer_low), target))
            continue
        if span.start == span.end:  # a reference with no text: after the word before it
            before = re.search(r"[^\W_]+[\W_]*$", run.plain[: span.start])
            found = _find(translation, before.group(), outer_low, high) if before else None
            if found is not None and low <= found[1] <= high:
                position = found[1]
            else:  # where it was in its parent, on a word edge
                target = _relative(run, index, parent, low, high)
                position = _snap_back(translation, target, low) if target < high else high
            places.append((position, position))
            continue
        found = None
        for candidate in (span_translations[index], source_text):
            found = _find(translation, (candidate or "").strip(), low, high)
            if found is not None:
                break
        if found is None:
            found = _proportional(run, index, parent, translation, low, high)
        places.append(found)
    return places


def _relative(
    run: InlineRun, index: int, parent: int | None, low: int, high: int, at: int | None = None
) -> int:
    """The place in ``translation[low:high]`` at the span's relative place in its parent
    (its start, or ``at``)."""
    span = run.spans[index]
    first, last = (
        (run.spans[parent].start, run.spans[parent].end)
        if parent is not None
        else (0, len(run.plain))
    )
    where = span.start if at is None else at
    share = (where - first) / (last - first) if last > first else 0.0
    return low + round((high - low) * share)


def _place_verbatim(
    run: InlineRun, span: Span, translation: str, bounds: tuple[int, int, int], target: int
) -> tuple[int, int]:
    """A verbatim span's place: its placeholder, else a space after the word before it (when
    the engine kept that word), else the space nearest its relative place (``target``)."""
    low, high, outer_low = bounds
    standing = run.plain[span.start : span.end].strip()
    if standing and (found := _find(translation, standing, low, high)) is not None:
        start, end = found  # with the spaces it was glued by, where the engine kept them
        if run.plain[span.start] == " " and start > low and translation[start - 1].isspace():
            start -= 1
        if run.plain[span.end - 1] == " " and end < high and translation[end].isspace():
            end += 1
        return start, end
    before = re.search(r"[^\W_]+[\W_]*$", run.plain[: span.start])
    anchor = _find(translation, before.group().strip(), outer_low, high) if before else None
    if anchor is not None and low <= anchor[1] <= high:
        space = re.match(r"\s*", translation[anchor[1] : high])
        return anchor[1], anchor[1] + (len(space.group()) if space else 0)
    spaces = [m.span() for m in re.finditer(r"\s+", translation[low:high])]
    if spaces:
        start, end = min(spaces, key=lambda s: abs(low + s[0] - target))
        return low + start, low + end
    position = high if target - low > (high - low) / 2 else low
    return position, position


def placeholder_text(plain: str, word: str, glued_right: bool) -> str:
    """What a placeholder adds to a run's plain text: the word, with a space on each side
    where the code is glued to a word (``x<code>y</code>``), so the engine sees a word of
    its own; the span covers those spaces and the markup takes their place again."""
    left = " " if plain and not plain[-1].isspace() else ""
    return left + word + (" " if glued_right else "")


def lower_start(source: str, translation: str) -> str:
    """``translation`` starting in lower case where ``source`` does: an engine capitalises
    what it takes for a sentence ("a photo" is not "Una foto")."""
    if source.lstrip()[:1].islower() and translation[:1].isupper() and translation[1:2].islower():
        return translation[0].lower() + translation[1:]
    return translation


def _with_attributes(span: Span, translations: list[str], *, closing: bool) -> str:
    """The span's opening (or closing) markup with its readable attributes translated."""
    markup = span.closing if closing else span.opening
    out: list[str] = []
    cursor = 0
    for attribute, translated in zip(span.attributes, translations, strict=True):
        if attribute.closing == closing:
            out.append(markup[cursor : attribute.start])
            out.append(attribute.escape(translated.strip() or attribute.text))
            cursor = attribute.end
    out.append(markup[cursor:])
    return "".join(out)


def _spaced(standing: str, markup: str, translation: str, start: int, end: int) -> str:
    """A verbatim span's markup, spaced where a lost placeholder takes a space's place.

    ``standing`` is what the span is in the run's text: a placeholder word, or one space
    (an image or line break, whose markup carries its own spacing).
    """
    if not standing.strip() or translation[start:end].strip():
        return markup  # an image or break, or a placeholder found as the word it is
    if start < end:  # a space of the translation, replaced
        before, after = start > 0, end < len(translation)
    else:
        before = start > 0 and not translation[start - 1].isspace()
        after = start < len(translation) and not translation[start].isspace()
    return (" " if before else "") + markup + (" " if after else "")


def _trimmed(
    spans: list[Span], places: list[tuple[int, int]], translation: str, dropped: set[int]
) -> list[tuple[int, int]]:
    """Each span without spaces or stray placeholders at its edges (Markdown emphasis must
    touch its words; code it holds counts as words), kept inside its parent."""

    def shown(i: int) -> bool:
        return i not in dropped and not translation[i].isspace()

    out: list[tuple[int, int]] = []
    for index, span in enumerate(spans):
        start, end = places[index]
        if not span.verbatim:
            while start < end and not shown(start):
                start += 1
            while end > start and not shown(end - 1):
                end -= 1
        parent = _parent(spans, index)
        if parent is not None:
            low, high = out[parent]
            start, end = min(max(start, low), high), min(max(end, low), high)
            end = max(start, end) if span.verbatim else end
        out.append((start, max(start, end)))
    return out


def _stray_placeholders(
    run: InlineRun, translation: str, places: list[tuple[int, int]]
) -> set[int]:
    """Characters of placeholders the engine repeated, moved out of place or made up."""
    used = {places[i] for i, span in enumerate(run.spans) if span.verbatim}
    dropped: set[int] = set()
    for match in PLACEHOLDER.finditer(translation):
        if (match.start(), match.end()) not in used:
            low = (
                match.start() - 1
                if match.start() > 0 and translation[match.start() - 1] == " "
                else match.start()
            )
            dropped.update(range(low, match.end()))
    return dropped


def _parent(spans: list[Span], index: int) -> int | None:
    span = spans[index]
    for other in range(index - 1, -1, -1):
        if spans[other].start <= span.start and span.end <= spans[other].end:
            return other
    return None


def _previous_sibling(spans: list[Span], index: int, parent: int | None) -> int | None:
    for other in range(index - 1, -1, -1):
        if other == parent:
            return None
        if _parent(spans, other) == parent:
            return other
    return None


def _find(text: str, needle: str, low: int, high: int) -> tuple[int, int] | None:
    if not needle:
        return None
    pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)", re.IGNORECASE)
    match = pattern.search(text, low, high)
    return (match.start(), match.end()) if match else None


def _proportional(
    run: InlineRun, index: int, parent: int | None, translation: str, low: int, high: int
) -> tuple[int, int]:
    """The span at the same relative place in its parent's ``translation[low:high]``, on
    word edges, around one word at least where there is one."""
    span = run.spans[index]
    start = _relative(run, index, parent, low, high)
    end = _relative(run, index, parent, low, high, span.end)
    start = _nearest_edge(translation, start, low, high, r"(?<!\S)\S")
    end = max(_nearest_edge(translation, end, low, high, r"\S(?!\S)", 1), start)
    if start == end:  # nothing to wrap: the nearest word
        word = re.compile(r"\S+").search(translation, start, high)
        if word is None:
            before = list(re.finditer(r"\S+", translation[low:start]))
            word = before[-1] if before else None
            offset = low
        else:
            offset = 0
        if word is not None:
            start, end = offset + word.start(), offset + word.end()
    source = run.plain[span.start : span.end]
    while end - 1 > start and source[-1:].isalnum() and _STOP.match(translation[end - 1]):
        end -= 1  # the source span ends in a word: its translation's stop stays outside
    return start, end


def _snap_back(text: str, position: int, low: int) -> int:
    while position > low and not text[position - 1].isspace():
        position -= 1
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _nearest_edge(text: str, position: int, low: int, high: int, edge: str, shift: int = 0) -> int:
    """The word start (or, with ``shift=1``, word end) in ``text[low:high]`` nearest to
    ``position`` (a span crossing a sentence end keeps its share of each sentence)."""
    edges = [m.start() + shift for m in re.finditer(edge, text[low:high])]
    if not edges:
        return min(max(position, low), high)
    return low + min(edges, key=lambda e: (abs(low + e - position), -e if shift else e))
