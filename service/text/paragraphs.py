"""Paragraph splitting that keeps every character of the layout around the paragraphs.

A paragraph is a line of text, or several lines when the later ones are soft-wrapped
continuations (they start in lower case). A blank line, or a line that starts with a capital,
a digit or a list/heading/quote marker, starts a new paragraph: news text put one paragraph
(or headline) per line keeps its lines, and hard-wrapped prose is not cut mid-sentence.

Everything that is not paragraph text (line breaks in any style, blank lines, indentation,
trailing spaces, Markdown markers such as ``# ``, ``- ``, ``1. ``, ``> ``) is layout, kept as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Kept as layout at a line start: a BOM, Markdown headings, bullets, numbered items, quotes.
_MARKER = re.compile(r"[\s\ufeff]*(?:#{1,6}\s+|[-*+•]\s+|\d{1,3}[.)]\s+|>\s*)*")


@dataclass(frozen=True)
class Span:
    """A slice of the input: paragraph text (``is_text``) or the layout around it."""

    text: str
    is_text: bool


def split_paragraphs(text: str) -> list[Span]:
    """Split ``text`` into paragraphs and layout; joining every span's text gives it back."""
    regions: list[list[int]] = []  # [start, end] offsets of paragraph text
    position = 0
    previous_was_text = False
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        marker = _MARKER.match(body)
        lead = marker.end() if marker else 0
        start, end = position + lead, position + len(body.rstrip())
        if start < end:
            first = body[lead]
            if previous_was_text and lead == len(body) - len(body.lstrip()) and first.islower():
                regions[-1][1] = end  # a soft-wrapped continuation of the paragraph above
            else:
                regions.append([start, end])
            previous_was_text = True
        else:
            previous_was_text = False
        position += len(line)

    spans: list[Span] = []
    cursor = 0
    for start, end in regions:
        if start > cursor:
            spans.append(Span(text[cursor:start], is_text=False))
        spans.append(Span(text[start:end], is_text=True))
        cursor = end
    if cursor < len(text):
        spans.append(Span(text[cursor:], is_text=False))
    return spans


def count_paragraphs(text: str) -> int:
    """How many paragraphs ``split_paragraphs`` finds."""
    return sum(span.is_text for span in split_paragraphs(text))
