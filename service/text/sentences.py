"""Sentence splitting for English and Spanish.

pysbd proposes the sentence boundaries; a boundary is then dropped when the text before it
ends in a known abbreviation or an initial ("EE. UU.", "Sr.", "a.m.", "John F. Kennedy"), or
when it falls inside a URL or an e-mail address. Boundaries are positions in the input, so
segments keep their trailing whitespace and ``"".join(parts)`` always gives the input back.

pysbd takes time quadratic in the length of what it is given, so long paragraphs are cut into
windows of about ``WINDOW_CHARS`` at an obvious sentence end before it sees them. A text that
pysbd can only return whole (no sentence-ending mark before its final run of them, no quote
or bracket: a one-sentence request, a headline) skips it: pysbd costs about as much per
sentence as a GPU translation does.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import pysbd

from service.languages import Lang

WINDOW_CHARS = 2000

# Lower-cased abbreviations (with their final period) that never end a sentence.
_ABBREVIATIONS: dict[Lang, frozenset[str]] = {
    "en": frozenset(
        "mr. mrs. ms. dr. prof. sr. jr. st. gen. gov. sen. rep. lt. col. sgt. capt. cmdr. "
        "adm. maj. pres. rev. hon. u.s. u.k. u.n. e.u. vs. approx. dept. "
        "a.m. p.m. inc. corp. co. ltd. e.g. i.e. ca.".split()
    ),
    "es": frozenset(
        "sr. sra. srta. sres. sras. dr. dra. dres. lic. licda. ing. arq. prof. profa. gral. "
        "cnel. tte. sto. sta. ee. uu. ee.uu. ud. uds. vd. vds. aprox. dto. depto. av. avda. "
        "cía. s.a. a.m. p.m. a.c. d.c.".split()
    ),
}
# Abbreviations only before a number ("No. 5", "Jan. 2024"): "no." and "mar." also end
# sentences ("He said no.", "Se fue al mar.").
_NUMBER_ABBREVIATIONS: dict[Lang, frozenset[str]] = {
    "en": frozenset(
        "no. nos. fig. jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.".split()
    ),
    "es": frozenset(
        "núm. nro. no. art. pág. págs. ene. feb. mar. abr. may. jun. jul. ago. sep. sept. "
        "oct. nov. dic.".split()
    ),
}
_OPENERS = "(\"'“\u2018«¿¡["
_INITIAL = re.compile(r"^[A-ZÁÉÍÓÚÑ]\.$")
_PROTECTED = re.compile(
    r"(?:https?://|www\.)\S+[^\s.,;:!?)\]\"'”»]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)
# Where a long paragraph may be cut into windows: after . ! ? (and closing quotes) + space.
_OBVIOUS_END = re.compile(r"[.!?…][\"'”\u2019»)\]]*\s+(?=[\"'“\u2018«¿¡(]?[A-ZÁÉÍÓÚÑ0-9])")
# One sentence for pysbd: it cuts only after . ! ? (or their full-width forms) and around
# quoted or bracketed runs, and opens a sentence at a leading quote or bracket. Apostrophes
# inside words are fine ("Guatemala's"); "…" is kept out, as pysbd has rules for ellipses.
_ENDS = ".!?\u3002\uff0e\uff01\uff1f\u2026"  # . ! ? (ASCII, ideographic, full-width), …
_QUOTES = '"\u201c\u201d\u2018\u00ab\u00bb\u201e()\\[\\]{}\uff08\uff09\u300c\u300d'
_ONE_SENTENCE = re.compile(rf"\s*[^\s{_ENDS}{_QUOTES}'\u2019][^{_ENDS}{_QUOTES}]*[.!?]?\s*")
_FLATTEN = str.maketrans("\r\n\t\f\v", "     ")
_LAST_WORD = re.compile(r"(\S+)\s*$")
_local = threading.local()


def _segmenter(language: Lang) -> pysbd.Segmenter:
    # pysbd segmenters keep state while segmenting, so each thread gets its own.
    cache: dict[Lang, pysbd.Segmenter] = _local.__dict__.setdefault("segmenters", {})
    if language not in cache:
        cache[language] = pysbd.Segmenter(language=language, clean=False, char_span=False)
    return cache[language]


@lru_cache(maxsize=4096)
def _is_abbreviation(word: str, language: Lang, before_number: bool) -> bool:
    word = word.lstrip(_OPENERS)
    lower = word.lower()
    if lower in _ABBREVIATIONS[language] or _INITIAL.match(word) is not None:
        return True
    return before_number and lower in _NUMBER_ABBREVIATIONS[language]


def _ends_with_abbreviation(segment: str, following: str, language: Lang) -> bool:
    match = _LAST_WORD.search(segment)
    if match is None:
        return False
    return _is_abbreviation(match.group(1), language, following.lstrip()[:1].isdigit())


def _windows(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > 2 * WINDOW_CHARS:
        cut = _OBVIOUS_END.search(text, start + WINDOW_CHARS)
        if cut is None:
            break
        spans.append((start, cut.end()))
        start = cut.end()
    spans.append((start, len(text)))
    return spans


def _pysbd_boundaries(text: str, language: Lang) -> list[int]:
    """Start offsets of the sentences pysbd finds in ``text`` (0 excluded)."""
    flat = text.translate(_FLATTEN)  # same length: offsets stay valid for ``text``
    starts: list[int] = []
    for begin, end in _windows(flat):
        if begin:
            starts.append(begin)
        cursor = begin
        for segment in _segmenter(language).segment(flat[begin:end]):
            content = segment.strip()
            if not content:
                continue
            found = flat.find(content, cursor, end)
            if found < 0:  # pysbd changed the text; skip this boundary rather than guess
                continue
            if found > begin:
                starts.append(found)
            cursor = found + len(content)
    return sorted(set(starts))


def split_sentences(text: str, language: Lang) -> list[str]:
    """Split one paragraph into sentences; joining the result gives ``text`` back."""
    if not text.strip():
        return [text] if text else []
    if _ONE_SENTENCE.fullmatch(text):
        return [text]  # what pysbd would give, without running it
    return _split_with_pysbd(text, language)


def _split_with_pysbd(text: str, language: Lang) -> list[str]:
    """``split_sentences`` without its one-sentence shortcut."""
    protected = [m.span() for m in _PROTECTED.finditer(text)]
    parts: list[str] = []
    previous = 0
    for start in [*_pysbd_boundaries(text, language), len(text)]:
        piece = text[previous:start]
        if not piece:
            continue
        if parts and (
            not parts[-1].strip()
            or any(a < previous < b for a, b in protected)
            or _ends_with_abbreviation(parts[-1], piece, language)
        ):
            parts[-1] += piece
        else:
            parts.append(piece)
        previous = start
    return parts
