"""Inline markup inside a sentence: translate the sentence whole, then put the tags back.

A run of prose with inline tags (``She said <a href="/x">the minister</a> would resign.``) is
sent to the engine as its plain text, so no tag cuts the sentence into pieces translated
alone. Each tagged span's own text is translated in the same engine call; the tags are put
back around that translation where it occurs in the sentence's translation (or around the
span's source text, for names and links left as they are). Where neither occurs, the span is
placed at the same relative position, on word boundaries. Spans are placed outermost first,
each inside its parent and after its previous sibling, so every tag comes back exactly once
and the result is well-formed, whatever the engine emits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Span:
    """An inline element over ``plain[start:end]``: its opening and closing markup as written."""

    start: int
    end: int
    opening: str
    closing: str


@dataclass
class InlineRun:
    """A sentence run's plain text and the inline elements over it."""

    plain: str
    spans: list[Span] = field(default_factory=list)
    escape: Callable[[str], str] = str

    def looked_up(self) -> list[int]:
        """The spans whose text is translated alongside the run to find its place: those
        with a word that do not cover the whole run."""
        whole = (0, len(self.plain))
        return [
            index
            for index, span in enumerate(self.spans)
            if (span.start, span.end) != whole and _WORD.search(self.plain[span.start : span.end])
        ]

    def span_texts(self) -> list[str]:
        """The text of each ``looked_up`` span."""
        return [self.plain[self.spans[i].start : self.spans[i].end] for i in self.looked_up()]

    def render(self, translation: str, span_translations: list[str]) -> str:
        """``translation`` with every span's tags put back once, well-formed, text escaped.

        ``span_translations`` has one translation per ``looked_up`` span.
        """
        found: list[str | None] = [None] * len(self.spans)
        for index, translated in zip(self.looked_up(), span_translations, strict=True):
            found[index] = translated
        places = place_spans(self, translation, found)
        inserts: list[tuple[int, int, int, str]] = []  # position, order, tie-break, markup
        for index, ((start, end), span) in enumerate(zip(places, self.spans, strict=True)):
            # At one position: closings before openings; outer openings first, inner
            # closings first.
            if start == end:  # nothing to wrap: the element stays, empty, in its place
                inserts.append((start, 1, index, span.opening + span.closing))
                continue
            inserts.append((start, 1, index, span.opening))
            inserts.append((end, 0, -index, span.closing))
        inserts.sort()
        out: list[str] = []
        cursor = 0
        for position, _, _, markup in inserts:
            out.append(self.escape(translation[cursor:position]))
            out.append(markup)
            cursor = position
        out.append(self.escape(translation[cursor:]))
        return "".join(out)


class SpanPairs:
    """Pairs opening and closing marks into spans as a run's plain text is built."""

    def __init__(self) -> None:
        self.spans: list[Span] = []
        self._open: list[tuple[str, str, int]] = []  # kind, opening markup, start in plain
        self.broken = False  # a closing without its opening, in the wrong order

    def open(self, kind: str, markup: str, position: int) -> None:
        """An opening mark at ``position`` of the plain text."""
        self._open.append((kind, markup, position))

    def close(self, kind: str, markup: str, position: int) -> None:
        """A closing mark; it must close the innermost open one."""
        if not self._open or self._open[-1][0] != kind:
            self.broken = True
            return
        _, opening, start = self._open.pop()
        self.spans.append(Span(start, position, opening, markup))

    def result(self) -> list[Span] | None:
        """The spans, outermost first, or None when the marks do not pair up."""
        if self.broken or self._open:
            return None
        return sorted(self.spans, key=lambda span: (span.start, -span.end))


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
        if span.start == span.end:  # a reference with no text: after the word before it
            before = re.search(r"[^\W_]+[\W_]*$", run.plain[: span.start])
            found = _find(translation, before.group(), outer_low, high) if before else None
            if found:
                position = max(found[1], low)
            else:
                position = _relative_point(run, span, translation, low, high)
            places.append((position, position))
            continue
        found = None
        for candidate in (span_translations[index], source_text):
            found = _find(translation, (candidate or "").strip(), low, high)
            if found is not None:
                break
        if found is None:
            found = _proportional(run, span, translation, low, high)
        places.append(found)
    return places


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
    run: InlineRun, span: Span, translation: str, low: int, high: int
) -> tuple[int, int]:
    """The span at the same relative place in ``translation[low:high]``, on word edges."""
    size = max(len(run.plain), 1)
    width = high - low
    start = low + round(width * span.start / size)
    end = low + round(width * span.end / size)
    start = min(_snap_back(translation, start, low), high)
    end = max(_snap_forward(translation, end, high), start)
    return start, end


def _relative_point(run: InlineRun, span: Span, translation: str, low: int, high: int) -> int:
    """Where an empty span goes when the word before it is not found: at the same relative
    place in ``translation[low:high]``, after a word (the start stays the start, the end the
    end)."""
    if span.start == 0:
        return low
    if span.start >= len(run.plain.rstrip()):
        return high
    position = low + round((high - low) * span.start / max(len(run.plain), 1))
    return max(low, min(_snap_forward(translation, position, high), high))


def _snap_back(text: str, position: int, low: int) -> int:
    while position > low and not text[position - 1].isspace():
        position -= 1
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _snap_forward(text: str, position: int, high: int) -> int:
    while position < high and not text[position].isspace():
        position += 1
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return min(position, high)
