"""From an article's text to the sentences a summary may use.

Articles are plain text where each line is a paragraph (the first is the title), or Markdown.
Headings, bylines, datelines, photo credits and "read more" lines are not body text and are
never offered as summary sentences; a dateline in front of the lead ("GUATEMALA CITY (AP) —")
is cut off the sentence it opens. A heading that follows body text opens a new section: each
sentence knows the headed section it stands in (0 in an article without such headings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from service.languages import Lang
from service.text.sentences import split_sentences

# A line this short without final punctuation is a heading (section title, kicker, title).
HEADING_MAX_WORDS = 20
# Bylines, datelines and credits are short lines; a long line is body text whatever it starts with.
META_MAX_WORDS = 25
# Hard-wrapped text (Markdown) breaks lines at a fixed width, between these many characters.
WRAP_MIN_CHARS, WRAP_MAX_CHARS = 40, 100

_ANY_END = re.compile(r"[.!?…]")
_FINAL = re.compile(r"[.!?…:;][\"'”\u2019»)\]]*\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_MD_RULE = re.compile(r"^\s{0,3}([-*_]\s*){3,}$")
_MD_IMAGE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_MD_PREFIX = re.compile(r"^\s{0,3}(?:>\s?)*(?:[-*+]\s+|\d{1,3}[.)]\s+)?")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|(?<!\w)_|_(?!\w)|`)")

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    "noviembre|diciembre"
)
_DATE = (
    rf"(?:(?:\w+,?\s+)?(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\s+(?:de\s+)?(?:{_MONTHS})\.?,?\s+(?:de\s+|del\s+)?\d{{4}}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}))"
)
# "Guatemala City, March 12, 2025", "Ciudad de Guatemala, 12 de marzo de 2025 — 10:30 GMT"
_DATELINE = re.compile(
    rf"^(?:[^,\d]{{2,50}},\s*)?{_DATE}(?:\s*[-—\u2013|,]?\s*\d{{1,2}}[:.]\d{{2}}.*)?\s*\.?$", re.I
)
# Bylines, time stamps, credits and links, recognised by their first words. Such a line is meta
# when a separator follows the keyword ("Photo: ...", "Lee también | ...") or when it has no
# final punctuation ("By Ana Pérez"); "By fostering growth, the plan ... ." stays body text.
_META_START = re.compile(
    r"^(?:by|por|written by|reporting by|additional reporting by|editing by|writing by|"
    r"published|updated|last updated|publicado|actualizado|redacción|con información de|"
    r"photo|photograph|picture|image|caption|credit|credits|foto|fotografía|imagen|"
    r"crédito|créditos|video|vídeo|"
    r"read more|read also|also read|see also|related|more on this|more|"
    r"lee también|leer más|lea también|lea más|ver también|vea también|"
    r"te puede interesar|le puede interesar|más información|relacionad[oa]s?|sigue leyendo)"
    r"(?P<sep>\s*[:|»→/—\u2013-])?(?=\s|$)",
    re.I,
)
_PROMO = re.compile(
    r"^(?:subscribe|sign up|follow us|click here|suscríbete|síguenos|haz clic)\b", re.I
)
_CREDIT_ANYWHERE = re.compile(
    r"(?:getty images|ap photo|afp photo|reuters/|efe/|/ ?afp\b|/ ?ap\b|shutterstock)", re.I
)
# "GUATEMALA CITY (AP) — ", "CIUDAD DE GUATEMALA, 12 mar (EFE) - ", "Washington (Reuters) - "
_LEAD_DATELINE = re.compile(
    r"^(?:[A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ.'\-]*(?:\s+[A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ.'\-]*)*"
    r"(?:,\s*[^—\u2013()\n]{1,40}?)?\s*(?:\([^)\n]{1,30}\))?"
    r"|[^—\u2013()\n]{1,60}?\s*\([A-Za-z .]{2,30}\))"
    r"\s*(?:—|\u2013|--|-)\s+"
)


@dataclass(frozen=True)
class Candidate:
    """A body sentence that a summary may use, with where it stands in the article."""

    text: str
    index: int  # among body sentences, from 0
    paragraph: int  # among body paragraphs, from 0
    first_in_paragraph: bool
    section: int = 0  # among headed sections, from 0; headings before the first body text open none

    @property
    def words(self) -> int:
        """Word count, the unit of the summary budgets."""
        return len(self.text.split())


def _clean_markdown(line: str) -> str:
    line = _MD_PREFIX.sub("", line, count=1)
    line = _MD_LINK.sub(r"\1", line)
    return _MD_EMPHASIS.sub("", line).strip()


def _paragraphs(text: str) -> list[tuple[str, bool]]:
    """(paragraph, is_heading_by_markup) pairs; hard-wrapped blocks are joined into one."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    out: list[tuple[str, bool]] = []
    block: list[str] = []

    def flush() -> None:
        if _wrapped(block):
            out.append((" ".join(block), False))
        else:
            out.extend((line, False) for line in block)
        block.clear()

    for raw in lines:
        if not raw.strip() or _MD_RULE.match(raw) or _MD_IMAGE.match(raw):
            flush()
            continue
        if _MD_HEADING.match(raw):
            flush()
            out.append((_clean_markdown(raw.lstrip().lstrip("#")), True))
            continue
        prefix = _MD_PREFIX.match(raw)
        if prefix and prefix.group(0).strip():  # a list item or quote starts a new block
            flush()
        line = _clean_markdown(raw)
        if line:
            block.append(line)
    flush()
    return out


def _wrapped(block: list[str]) -> bool:
    """Whether a block's lines are one paragraph hard-wrapped at a fixed width (Markdown).

    Plain-text articles put one paragraph per line, so their lines vary widely in length
    (a title, then 300-character paragraphs); wrapped lines all come close to the width.
    """
    if len(block) < 2:
        return False
    inner = [len(line) for line in block[:-1]]
    width = max(inner)
    return (
        WRAP_MIN_CHARS <= width <= WRAP_MAX_CHARS
        and min(inner) >= 0.6 * width
        and any(not _FINAL.search(line) for line in block[:-1])
    )


def is_heading(paragraph: str) -> bool:
    """A short line with no final punctuation: a title, section heading or kicker."""
    return not _FINAL.search(paragraph) and len(paragraph.split()) <= HEADING_MAX_WORDS


def is_meta(line: str) -> bool:
    """Bylines, datelines, photo credits, "read more" and sharing lines."""
    if len(line.split()) > META_MAX_WORDS:
        return False
    start = _META_START.match(line)
    if start and (start.group("sep") or not _FINAL.search(line)):
        return True
    return bool(_PROMO.match(line) or _DATELINE.match(line) or _CREDIT_ANYWHERE.search(line))


def strip_lead_dateline(sentence: str) -> str:
    """Cut a wire-style dateline off the front of a lead sentence."""
    match = _LEAD_DATELINE.match(sentence)
    if match is None:
        return sentence
    rest = sentence[match.end() :]
    # Only a real dateline: what is left must still be a sentence, starting with a capital.
    return rest if len(rest.split()) >= 3 and rest[:1].isupper() else sentence


def candidate_sentences(
    text: str, language: Lang, limit: int | None = None
) -> tuple[list[Candidate], bool]:
    """Body sentences of ``text`` in order, at most ``limit``; and whether some were left out.

    A brief asks for a short and a long summary of the same text: the split is done once.
    """
    candidates, truncated = _candidate_sentences(text, language, limit)
    return list(candidates), truncated


@lru_cache(maxsize=8)
def _candidate_sentences(
    text: str, language: Lang, limit: int | None
) -> tuple[tuple[Candidate, ...], bool]:
    paragraphs = _paragraphs(text)
    single_line = len(paragraphs) == 1 and "\n" not in text.strip() and not paragraphs[0][1]
    candidates: list[Candidate] = []
    body_index = 0
    section, heading_since_body = 0, False
    for paragraph, marked_heading in paragraphs:
        if marked_heading or (not is_meta(paragraph) and is_heading(paragraph) and not single_line):
            heading_since_body = body_index > 0
            continue
        if is_meta(paragraph):
            continue
        if heading_since_body:
            section, heading_since_body = section + 1, False
        first = True
        # No sentence end anywhere: one sentence. (The splitter is slow on long unbroken runs.)
        sentences = (
            split_sentences(paragraph, language) if _ANY_END.search(paragraph) else [paragraph]
        )
        for raw in sentences:
            sentence = raw.strip()
            if first and body_index == 0:  # datelines open the article, nowhere else
                sentence = strip_lead_dateline(sentence)
            if not sentence or not any(ch.isalnum() for ch in sentence) or is_meta(sentence):
                continue
            if limit is not None and len(candidates) >= limit:
                return tuple(candidates), True
            candidates.append(Candidate(sentence, len(candidates), body_index, first, section))
            first = False
        body_index += 1
    return tuple(candidates), False
