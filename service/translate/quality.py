"""Spotting degenerate engine output: the known ways Opus-MT decoding goes wrong.

Neural decoders sometimes loop (the same word or phrase over and over), run on far past the
source, or return nothing. Each check compares the output with its source, so a source that
itself repeats ("ha ha ha ha") does not count against its translation.
"""

from __future__ import annotations

import re
from collections import Counter

MAX_LENGTH_RATIO = 3.0
LENGTH_SLACK_CHARS = 40  # short sources may grow a lot without being wrong ("EE. UU.")
MIN_REPEATS = 4  # an n-gram said this many times in a row is a loop
MAX_NGRAM = 8
_WORD = re.compile(r"\w+")
CHAR_LOOP_CHARS = 10  # a unit of 1-8 characters said 10 or more times over
_CHAR_LOOP = re.compile(r"(\S{1,8}?)\1{9,}")


def degeneracy(source: str, output: str) -> str | None:
    """Why ``output`` looks like a decoding failure for ``source``, or None when it looks fine."""
    if not output.strip():
        return "the engine returned nothing" if source.strip() else None
    if len(output) > MAX_LENGTH_RATIO * len(source) + LENGTH_SLACK_CHARS:
        return f"{len(output) / max(len(source), 1):.1f} times longer than the source"
    words = _WORD.findall(output.lower())
    # A loop says some word MIN_REPEATS times: most outputs are ruled out by counting
    # repeats (a set), the rest by counting each word.
    if (
        len(words) - len(set(words)) >= MIN_REPEATS - 1
        and max(Counter(words).values()) >= MIN_REPEATS
    ):
        times, phrase = longest_repeat(words)
        if times >= MIN_REPEATS and times > longest_repeat(_WORD.findall(source.lower()))[0]:
            return f"“{phrase}” repeated {times} times"
    # A character loop is a run of at least CHAR_LOOP_CHARS non-blank characters.
    if max(map(len, output.split())) < CHAR_LOOP_CHARS:
        return None
    loop = _CHAR_LOOP.search(output)
    if loop is not None and _CHAR_LOOP.search(source) is None:
        return f"“{loop.group(1)}” repeated {len(loop.group(0)) // len(loop.group(1))} times"
    return None


def longest_repeat(words: list[str]) -> tuple[int, str]:
    """The most consecutive repeats of any n-gram (n <= MAX_NGRAM), and that n-gram."""
    best, phrase = 1, ""
    for n in range(1, MAX_NGRAM + 1):
        i = 0
        while i + 2 * n <= len(words):
            gram = words[i : i + n]
            times = 1
            while words[i + times * n : i + (times + 1) * n] == gram:
                times += 1
            if times > best:
                best, phrase = times, " ".join(gram)
            i += (times - 1) * n if times > 1 else 1
    return best, phrase
