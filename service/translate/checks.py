"""Checks on every translated sentence: what may be wrong, said out loud, never hidden.

Each check compares one source sentence with its translation, in the spirit of Okapi
CheckMate: numbers, dates (month and weekday names), untranslated text, degenerate length
and loops (``service.translate.quality``), and glossary terms (``service.translate.glossary``
reports those). A check never changes the translation; it is reported next to it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from service.languages import Lang
from service.text.calendar import MONTHS, SETIEMBRE, WEEKDAYS
from service.translate.quality import degeneracy

CHECK_KINDS = ("number", "term", "untranslated", "length", "repetition", "date")

# A number as written in news text: 2026, 1,000, 1.000, 2.5, 2,5, 40 %, 1 000 (thin spaces).
# Ordinals and codes ("1st", "B12") are words, not numbers.
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,\u00a0\u202f]\d{3})*(?:[.,]\d+)?(?!\w)")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
UNTRANSLATED_RUN_WORDS = 5  # this many source words in a row, copied, is untranslated text
UNTRANSLATED_RUNNING_WORDS = 3  # ... when this many of them are running (lower-case) words


@dataclass(frozen=True)
class Check:
    """One thing that may be wrong with one translated sentence of a text."""

    kind: str  # one of CHECK_KINDS
    message: str
    sentence: int = 0  # index of the sentence in its text (0-based, translated sentences only)
    source: str = ""  # the source sentence, for people reading the report
    target: str = ""  # the translated sentence, as written in the output (the page marks it)

    def to_dict(self) -> dict[str, object]:
        """The JSON shape: ``{"kind", "message", "sentence", "source", "target"}``."""
        return {
            "kind": self.kind,
            "message": self.message,
            "sentence": self.sentence,
            "source": self.source,
            "target": self.target,
        }


_UNCHECKED = object()


def check_sentence(
    source: str,
    target: str,
    source_lang: Lang,
    target_lang: Lang,
    problem: str | object | None = _UNCHECKED,
) -> list[Check]:
    """What may be wrong with ``target`` as the translation of ``source``.

    ``problem`` is what ``quality.degeneracy`` said of the engine output, when the caller
    already asked (DocumentTranslator does, to retry); otherwise it is asked here.
    """
    found: list[Check] = []
    if problem is _UNCHECKED:
        problem = degeneracy(source, target)
    if isinstance(problem, str):
        found.append(Check("repetition" if "repeated" in problem else "length", problem))
    missing = _missing_numbers(source, target)
    if missing:
        found.append(Check("number", f"{_listed(missing)} of the source is not in the translation"))
    dates = _missing_dates(source, target, source_lang, target_lang)
    if dates:
        found.append(Check("date", f"{_listed(dates)} has no counterpart in the translation"))
    untranslated = _untranslated(source, target)
    if untranslated:
        found.append(Check("untranslated", untranslated))
    return found


def number_key(number: str) -> str:
    """A number with its separators removed: 1,000 / 1.000 / 1 000 and 2.5 / 2,5 compare equal."""
    return re.sub(r"\D", "", number).lstrip("0") or "0"


def numbers(text: str) -> Counter[str]:
    """The numbers in ``text``, by ``number_key``."""
    return Counter(number_key(match.group()) for match in _NUMBER.finditer(text))


def _missing_numbers(source: str, target: str) -> list[str]:
    wanted = Counter({m.group(): 0 for m in _NUMBER.finditer(source)})
    if not wanted:
        return []
    have = numbers(target)
    missing: list[str] = []
    for written in wanted:
        key = number_key(written)
        if have[key] > 0:
            have[key] -= 1
        else:
            missing.append(written)
    return missing


# Per language: the months, then the weekdays (a name's (group, index) is its place here).
_DATE_NAMES: dict[Lang, tuple[tuple[str, ...], ...]] = {
    language: (MONTHS[language], WEEKDAYS[language]) for language in MONTHS
}


# A month or weekday name as a whole word (a run of letters), in any case, in any language.
_DATE_WORDS = sorted(
    {*(w for names in (*MONTHS.values(), *WEEKDAYS.values()) for w in names), SETIEMBRE},
    key=len,
    reverse=True,
)
_DATE_WORD = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(_DATE_WORDS)})(?![^\W\d_])", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
# Each name as a whole word, to find a name's counterpart in a lower-cased translation.
_DATE_NAME_WORDS = {
    language: tuple(
        tuple(re.compile(rf"(?<!\w){name}(?!\w)") for name in names) for names in groups
    )
    for language, groups in _DATE_NAMES.items()
}


def _names_in(text: str, language: Lang) -> list[tuple[int, int]]:
    """(group, index) of each month or weekday name in ``text``.

    English months that are also words ("May", "March") count only when capitalised and
    next to a number ("May 5", "March 2026", "5 May"); weekdays count when capitalised.
    Spanish ones are lower case; a capitalised one is a name unless a number is next to it.
    """
    found: list[tuple[int, int]] = []
    for match in _DATE_WORD.finditer(text):
        word = match.group()
        lowered = word.lower()
        if lowered == SETIEMBRE:
            lowered = "septiembre"
        for group, names in enumerate(_DATE_NAMES[language]):
            if lowered not in names:
                continue
            if language == "es" and word[0].isupper() and not _near_number(text, match):
                continue  # Spanish names are lower case: "Julio Reyes" is a man
            if language == "en":
                if not word[0].isupper():
                    continue
                if group == 0 and lowered in ("may", "march") and not _near_number(text, match):
                    continue
                first = _LETTER.search(text, 0, match.start()) is None  # the text's first word
                if first and group == 0 and not _near_number(text, match):
                    continue
            found.append((group, names.index(lowered)))
    return found


def _near_number(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 6) : match.start()]
    after = text[match.end() : match.end() + 6]
    return bool(re.search(r"\d\s*(?:de\s*)?$", before) or re.match(r"^\s*(?:de\s*)?,?\s*\d", after))


def _missing_dates(source: str, target: str, source_lang: Lang, target_lang: Lang) -> list[str]:
    wanted = _names_in(source, source_lang)
    if not wanted:
        return []
    lowered = target.lower().replace(SETIEMBRE, "septiembre")
    missing: list[str] = []
    for group, index in dict.fromkeys(wanted):
        if not _DATE_NAME_WORDS[target_lang][group][index].search(lowered):
            missing.append(_DATE_NAMES[source_lang][group][index].capitalize())
    return missing


def _untranslated(source: str, target: str) -> str | None:
    written = _WORD.findall(source)
    # Names stay as they are; only lower-case running text says "not translated".
    running = {w for w in written if w.islower() and len(w) > 3}
    if not running:
        return None
    source_words = [w.lower() for w in written]
    target_words = [w.lower() for w in _WORD.findall(target)]
    if source_words == target_words:
        return "the translation is the source, unchanged"
    if sum(w in running for w in target_words) < UNTRANSLATED_RUNNING_WORDS:
        return None  # no run of the target can hold enough of them (most translations)
    size = UNTRANSLATED_RUN_WORDS
    copied = {tuple(source_words[i : i + size]) for i in range(len(source_words) - size + 1)}
    for i in range(len(target_words) - size + 1):
        run = tuple(target_words[i : i + size])
        if run in copied and sum(w in running for w in run) >= UNTRANSLATED_RUNNING_WORDS:
            return f"“{' '.join(run)}” is copied from the source untranslated"
    return None


def _listed(items: list[str]) -> str:
    quoted = [f"“{item}”" for item in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
