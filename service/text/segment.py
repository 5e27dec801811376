"""A text as a sequence of sentences to translate and layout to keep, and its reassembly.

``segment_text`` cuts a text into segments whose concatenation is the text, exactly: each
sentence's words are one segment, and everything around them (whitespace between sentences,
line breaks, blank lines, list markers) is kept verbatim. ``reassemble`` puts translations
in the sentences' places, so only sentence content ever changes.

Segments without a letter outside URLs and e-mail addresses (numbers, URLs, punctuation,
emoji) are not sentences: they are kept as they are rather than sent to an engine, which
would only garble them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from service.languages import Lang
from service.text.paragraphs import split_paragraphs
from service.text.sentences import split_sentences

_LINK = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)


@dataclass(frozen=True)
class Segment:
    """A slice of a text: a sentence to translate, or text kept as it is."""

    text: str
    translate: bool


def is_sentence(text: str) -> bool:
    """Whether ``text`` has a letter outside URLs and e-mail addresses."""
    return any(char.isalpha() for char in _LINK.sub(" ", text))


def sentence_key(text: str) -> str:
    """A sentence as engines receive it: whitespace runs (line breaks too) become one space."""
    return " ".join(text.split())


def segment_text(text: str, language: Lang) -> list[Segment]:
    """Cut ``text`` into sentences and kept layout; joining all segments gives ``text``."""
    segments: list[Segment] = []
    for span in split_paragraphs(text):
        if not span.is_text:
            segments.append(Segment(span.text, translate=False))
            continue
        for sentence in split_sentences(span.text, language):
            content = sentence.strip()
            if not content:
                segments.append(Segment(sentence, translate=False))
                continue
            start = sentence.index(content)
            if start:
                segments.append(Segment(sentence[:start], translate=False))
            segments.append(Segment(content, translate=is_sentence(content)))
            if start + len(content) < len(sentence):
                segments.append(Segment(sentence[start + len(content) :], translate=False))
    return _merge_kept(segments)


def _merge_kept(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if merged and not segment.translate and not merged[-1].translate:
            merged[-1] = Segment(merged[-1].text + segment.text, translate=False)
        else:
            merged.append(segment)
    return merged


def reassemble(segments: list[Segment], translations: Iterable[str]) -> str:
    """Put one translation in place of each sentence segment, in order; keep the rest."""
    replacements = list(translations)
    wanted = sum(segment.translate for segment in segments)
    if len(replacements) != wanted:
        raise ValueError(f"{len(replacements)} translations for {wanted} sentences")
    pending = iter(replacements)
    return "".join(next(pending) if s.translate else s.text for s in segments)
