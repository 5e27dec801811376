"""Cutting a sentence that is too long for an engine into pieces that fit, losing nothing.

A sentence over the budget is cut at clause boundaries first (``;`` ``:`` dashes), then at
commas, then into word windows; neighbouring pieces are packed back together while they fit.
A single "word" longer than the budget (a hash, a run of symbols) is kept verbatim: an engine
cannot translate it and would only garble it. The pieces, joined with single spaces, are the
sentence with its whitespace runs collapsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Counter = Callable[[list[str]], list[int]]

_LEVELS = (
    re.compile(r"(?<=[;:])\s+|\s+(?=[\u2014\u2013]\s)|(?<=\s[\u2014\u2013])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+"),
)


@dataclass(frozen=True)
class Chunk:
    """A piece of a sentence; ``translate`` is False for an over-long word kept verbatim."""

    text: str
    translate: bool = True


def split_long(sentence: str, budget: int, count: Counter) -> list[Chunk]:
    """Cut ``sentence`` into chunks of at most ``budget`` tokens as ``count`` measures them."""
    text = " ".join(sentence.split())
    if not text:
        return []
    if count([text])[0] <= budget:
        return [Chunk(text)]
    return _split(text, budget, count, 0)


def _split(text: str, budget: int, count: Counter, level: int) -> list[Chunk]:
    if level == len(_LEVELS):
        return [Chunk(text, translate=False)]  # one word over the budget
    units = [unit for unit in _LEVELS[level].split(text) if unit]
    if len(units) == 1:
        return _split(text, budget, count, level + 1)
    chunks: list[Chunk] = []
    packed: list[str] = []
    size = 0
    for unit, tokens in zip(units, count(units), strict=True):
        if tokens > budget:
            if packed:
                chunks.append(Chunk(" ".join(packed)))
                packed, size = [], 0
            chunks.extend(_split(unit, budget, count, level + 1))
            continue
        if packed and size + tokens > budget:
            chunks.append(Chunk(" ".join(packed)))
            packed, size = [], 0
        packed.append(unit)
        size += tokens
    if packed:
        chunks.append(Chunk(" ".join(packed)))
    return chunks
