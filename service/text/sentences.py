"""Sentence splitting for English and Spanish.

pysbd does the heavy lifting; its Spanish rules still split after common honorifics and
the "EE. UU." abbreviation, so segments that end in a known abbreviation are joined to the
segment that follows. Segments keep their trailing whitespace, so ``"".join(parts)`` gives the
input back exactly.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import pysbd

from service.languages import Lang

# Lower-cased abbreviations (with their final period) that never end a sentence.
_ABBREVIATIONS: dict[Lang, frozenset[str]] = {
    "en": frozenset(
        "mr. mrs. ms. dr. prof. sr. jr. st. gen. gov. sen. rep. lt. col. sgt. capt. "
        "u.s. u.k. u.n. e.u. no. vs. etc. jan. feb. mar. apr. aug. sept. oct. nov. dec. "
        "a.m. p.m. inc. corp. co. ltd.".split()
    ),
    "es": frozenset(
        "sr. sra. srta. sres. dr. dra. lic. licda. ing. prof. profa. gral. cnel. sto. sta. "
        "ee. uu. ee.uu. uu. ud. uds. vd. vds. núm. art. pág. etc. a.m. p.m. "
        "ene. feb. mar. abr. jun. jul. ago. sept. oct. nov. dic.".split()
    ),
}
_LAST_WORD = re.compile(r"(\S+)\s*$")
_local = threading.local()


def _segmenter(language: Lang) -> pysbd.Segmenter:
    # pysbd segmenters keep state while segmenting, so each thread gets its own.
    cache: dict[Lang, pysbd.Segmenter] = _local.__dict__.setdefault("segmenters", {})
    if language not in cache:
        cache[language] = pysbd.Segmenter(language=language, clean=False, char_span=False)
    return cache[language]


@lru_cache(maxsize=4096)
def _ends_with_abbreviation(segment: str, language: Lang) -> bool:
    match = _LAST_WORD.search(segment)
    if match is None:
        return False
    word = match.group(1).lower().lstrip("(\"'“«¿¡")
    return word in _ABBREVIATIONS[language]


def split_sentences(text: str, language: Lang) -> list[str]:
    """Split one paragraph into sentences; joining the result gives ``text`` back."""
    if not text.strip():
        return [text] if text else []
    parts: list[str] = []
    for segment in _segmenter(language).segment(text):
        if parts and _ends_with_abbreviation(parts[-1], language):
            parts[-1] += segment
        else:
            parts.append(segment)
    if "".join(parts) != text:  # pysbd is meant to be lossless; never lose a character
        return [text]
    return parts
