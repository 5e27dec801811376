"""Sentence compression for news summaries: cut what a news editor cuts, keep the facts.

Rules in the spirit of Dorr & Zajic's Hedge Trimmer (headlines made by trimming the lead),
applied to the sentence's surface with regular expressions, and only where the cut is safe:

- ``attribution``: a trailing attribution clause after a comma, in either order and only at
  the end of the sentence (", officials said on Tuesday.", ", said the ministry.",
  ", according to the ministry.", ", informó este lunes el ICF.", ", según datos del MAGA.");
- ``day``: the relative day that dates the news ("on Tuesday", "early Thursday", "este lunes",
  "el domingo"), not a day that says when something will happen;
- ``acronym``: a name's acronym in parentheses ("Instituto de Conservación Forestal (ICF)"),
  only when no other sentence of the summary uses the acronym (``drop_unused_acronyms``).

A cut never takes a figure, a negation or a quotation, and leaves a sentence that still has
a verb and its final punctuation; when a guard fails, the words are kept. Every function is
pure, and the patterns are compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Literal, get_args

from service.languages import Lang
from service.text.calendar import WEEKDAYS

Rule = Literal["attribution", "day", "acronym"]
RULES: tuple[Rule, ...] = get_args(Rule)

_UPPER = "A-ZÁÉÍÓÚÑÜ"
_NAME_CHARS = "\\w'\u2019.-"  # letters, apostrophes (straight and curly), "EE.UU.", "Ho-Chi"
_FINAL = re.compile(r"[.!?]$")
_DIGIT = re.compile(r"\d")
_QUOTES = re.compile(r"[\"“”«»]")
_WORD = re.compile("[\\w'\u2019]+")
# An attribution that names a source may run over commas only inside a name
# ("Ministerio de Agricultura, Ganadería y Alimentación"); a comma before a lower-case word
# opens a clause ("el ICF, que atribuye ..."), which is content.
_CLAUSE_COMMA = re.compile(rf",\s+(?![{_UPPER}])")
_ATTRIBUTION_MAX_WORDS = 18
# What is left after a cut must still be a sentence, not a fragment.
_MIN_REMAINING_WORDS = 6

_NEGATIONS: dict[Lang, frozenset[str]] = {
    "en": frozenset("not no never none nobody nothing neither nor without cannot n't".split()),
    "es": frozenset("no nunca jamás ni tampoco nadie nada ninguno ninguna sin".split()),
}
# Words that open a clause of their own: a tail holding one says more than who said it.
_CLAUSE_WORDS: dict[Lang, frozenset[str]] = {
    "en": frozenset(
        "who whom whose which that where when while because as after before if since "
        "although though unless until".split()
    ),
    "es": frozenset(
        "que quien quienes cual cuales cuyo cuya cuyos cuyas donde cuando mientras porque "
        "aunque si lo".split()
    ),
}
# The words a source can start with (besides a capital): "the ministry", "preliminary
# figures", "datos del MAGA", "fuentes oficiales".
_SOURCE_START: dict[Lang, frozenset[str]] = {
    "en": frozenset(
        "the a an its his her their official officials preliminary government police "
        "local state authorities data figures estimates witnesses residents sources "
        "experts analysts reports records".split()
    ),
    "es": frozenset(
        "el la los las un una unos unas su sus datos cifras fuentes estimaciones testigos "
        "vecinos expertos analistas medios informes autoridades".split()
    ),
}
# What a source may end with when it does not start like one ("civil protection officials",
# "el portavoz de la policía" starts like one already).
_SOURCE_END: dict[Lang, frozenset[str]] = {
    "en": frozenset(
        "officials authorities police spokesman spokeswoman spokesperson experts analysts "
        "witnesses residents sources organizers organisers ministry government agency "
        "company association report statement data figures he she they it we".split()
    ),
    "es": frozenset(
        "autoridades funcionarios policía portavoz vocero vocera expertos analistas testigos "
        "vecinos fuentes organizadores ministerio gobierno agencia empresa asociación informe "
        "comunicado".split()
    ),
}
_PREPOSITIONS: dict[Lang, frozenset[str]] = {
    "en": frozenset("in on at after before during for from with by asked speaking".split()),
    "es": frozenset("en a tras durante después antes con por para ante desde".split()),
}

_EN_WEEKDAYS = "|".join(day.capitalize() for day in WEEKDAYS["en"])  # "Monday|Tuesday|..."
_ES_WEEKDAYS = "|".join(WEEKDAYS["es"])  # "lunes|martes|..."
_EN_DAY = rf"(?:{_EN_WEEKDAYS})(?: (?:morning|afternoon|evening|night))?"
_ES_DAY = rf"(?:{_ES_WEEKDAYS})"
_ES_DAY_PHRASE = (
    rf"(?:(?:este|el)(?: pasado)? {_ES_DAY}(?: por la (?:mañana|tarde|noche))?"
    rf"|en la (?:madrugada|mañana|tarde|noche) del (?:pasado )?{_ES_DAY})"
)

# The reporting verbs, past and present; English "told" needs whom it told.
_EN_SAID = (
    r"(?:said|says|told (?:reporters|journalists|[A-Z][\w.]*)|announced|reported|confirmed"
    r"|added|stated|explained|noted|wrote|estimated)"
)
_ES_SAID = (
    r"(?:dijo|dijeron|informó|informaron|anunció|anunciaron|afirmó|afirmaron|aseguró"
    r"|aseguraron|señaló|señalaron|indicó|indicaron|explicó|explicaron|declaró|declararon"
    r"|confirmó|confirmaron|reportó|reportaron|precisó|precisaron|detalló|detallaron|agregó"
    r"|agregaron|añadió|añadieron|comunicó|comunicaron|advirtió|advirtieron|estimó|estimaron)"
)
# Verb first: ", said the ministry on Tuesday", ", según el ICF", ", informó este lunes a EFE
# el Sistema Nacional ...". What may stand between the verb and the source is skipped.
_VERB_FIRST: dict[Lang, re.Pattern[str]] = {
    "en": re.compile(r"(?:said|says|added|according to)\s+(?P<source>.+)", re.S),
    "es": re.compile(
        rf"(?:{_ES_SAID}|según|de acuerdo (?:con|a))"
        rf"(?: {_ES_DAY_PHRASE})?(?: (?:en|mediante|a través de) un comunicado)?"
        rf"(?: a (?:la prensa|los periodistas|periodistas|[{_UPPER}][\w.]*))?"
        r"\s+(?P<source>.+)",
        re.S,
    ),
}
# Source first: ", officials said on Tuesday", ", the report says", ", la policía informó".
_SOURCE_FIRST: dict[Lang, re.Pattern[str]] = {
    "en": re.compile(
        rf"(?P<source>.+?) {_EN_SAID}"
        rf"(?: in a statement)?(?: (?:(?:on|early|late|early on|late on) )?{_EN_DAY}"
        r"| on (?:its|his|her|their) website| last week| this week| yesterday| today)?",
        re.S,
    ),
    "es": re.compile(
        rf"(?P<source>.+?) {_ES_SAID}(?: {_ES_DAY_PHRASE})?(?: (?:en|mediante) un comunicado)?",
        re.S,
    ),
}
_SOURCE_FIRST_MAX_WORDS = 8

# English: verbs a lead has (past tense in -ed, auxiliaries, common irregular pasts).
_EN_VERBS = frozenset(
    """is are was were be been has have had will would can could may might must shall should
    did does do won struck hit fell rose said told made took gave sent came went began broke
    built bought brought caught chose cut drew drove fought found flew got grew held hurt kept
    knew led left lost met paid put ran saw sold set shot shut sank spent spoke stood stole
    swept threw understood wrote beat became burst cost dealt fed felt heard laid lent let lit
    meant overtook quit read rode sought shook slid slept split spread stuck taught tore
    thought withdrew""".split()
)
_EN_VERB_ENDING = re.compile(r"[a-z]{2,}ed$")
_ES_VERBS = frozenset(
    """es son fue fueron era eran está están estaba estaban hay hubo ha han había habían
    tiene tienen sigue siguen será serán""".split()
)
_ES_VERB_ENDING = re.compile(r"\w{2,}(?:ó|aron|ieron|yeron|aban|aba|ían|rá|rán|ría|rían)$")

# A relative day: "on Tuesday night", "early Thursday"; "este lunes", "el pasado domingo".
_DAY: dict[Lang, re.Pattern[str]] = {
    "en": re.compile(rf" (?:on|(?:early|late)(?: on)?) {_EN_DAY}(?=[\s,.;:!?])"),
    "es": re.compile(rf" {_ES_DAY_PHRASE}(?=[\s,.;:!?])"),
}
# Where a dated event is in the future, its day is the news ("will vote on Tuesday").
_FUTURE: dict[Lang, re.Pattern[str]] = {
    "en": re.compile(
        r"\b(?:will|would|'ll|shall|going to|is to|are to|due|scheduled|expected|planned|plans"
        r"|set to)\b",
        re.I,
    ),
    "es": re.compile(
        r"\b(?:\w{2,}(?:rá|rán|remos|ría|rían)|va a|van a|prevé|previsto|prevista"
        r"|programado|programada)\b",
        re.I,
    ),
}
# A day right after one of these dates the report itself, even in a sentence about the future.
_REPORTED = re.compile(rf"(?:{_EN_SAID}|{_ES_SAID})$")
# The word after the day: English keeps the day before anything but these (a noun after it,
# "on Sunday trading", would lose its sense); Spanish before any of these ("el domingo de
# Ramos", "el lunes y el martes").
_EN_AFTER_DAY = frozenset(
    """after as when while in at for with by the a an that its his her their amid despite
    before during following and but""".split()
)
_ES_NOT_AFTER_DAY = frozenset("de del y e o u a al pasado próximo santo electoral".split())
_NOT_BEFORE_DAY: dict[Lang, frozenset[str]] = {
    "en": frozenset("is was were are be been it starting beginning effective from until".split()),
    "es": frozenset(
        "desde hasta para de del al a entre y o cada todos que es fue era será sea".split()
    ),
}
_AND_OR = frozenset("and or y e o u".split())
_DAY_NAME = re.compile(rf"^(?:{_EN_WEEKDAYS}|on|{_ES_WEEKDAYS}|el|este)$")

# "(ICF)", "(Inguat)", "(Banco Central)": capitalised words only, after a capitalised name.
_ACRONYM = re.compile(
    rf" \((?P<inner>[{_UPPER}][&{_NAME_CHARS}]*"
    rf"(?: (?:de|del|la|las|los|y|of|the|and|for|[{_UPPER}][&{_NAME_CHARS}]*)){{0,3}})\)"
)
_NAME_BEFORE = re.compile(rf"[{_UPPER}][{_NAME_CHARS}]*$")


def compress(sentence: str, language: Lang, rules: Collection[Rule] = RULES) -> str:
    """``sentence`` without its trailing attribution and its relative day (as ``rules``
    allow); the acronym rule needs the whole summary: ``drop_unused_acronyms``."""
    if "attribution" in rules:
        sentence = trim_attribution(sentence, language)
    if "day" in rules:
        sentence = trim_relative_day(sentence, language)
    return sentence


def trim_attribution(sentence: str, language: Lang) -> str:
    """Cut the attribution clause that ends ``sentence`` (", the ministry said."), if any."""
    end = _FINAL.search(sentence)
    if end is None:
        return sentence
    body, final = sentence[: end.start()], sentence[end.start() :]
    for comma in re.finditer(r",\s+", body):
        head, tail = body[: comma.start()], body[comma.end() :]
        if (
            _is_attribution(tail, language)
            and not _is_enumeration(head, tail, language)
            and _stands_alone(head, language)
        ):
            return head + final
    return sentence


def trim_relative_day(sentence: str, language: Lang) -> str:
    """Cut the relative day that dates a past event ("on Tuesday", "este lunes")."""
    for match in reversed(list(_DAY[language].finditer(sentence))):
        before, after = sentence[: match.start()], sentence[match.end() :]
        if _day_is_cuttable(before, after, language):
            sentence = before + after
    return sentence


def drop_unused_acronyms(sentences: list[str]) -> list[str]:
    """The sentences without the parenthesised acronyms ("(ICF)") that no other sentence of
    them uses: an acronym is defined for a later mention, and a summary without one needs
    the name alone."""
    result = []
    for i, sentence in enumerate(sentences):
        others = " ".join(sentences[:i] + sentences[i + 1 :])

        def unused(match: re.Match[str], others: str = others) -> str:
            inner = match.group("inner")
            if _DIGIT.search(inner) or re.search(rf"\b{re.escape(inner)}\b", others):
                return match.group(0)
            if not _NAME_BEFORE.search(match.string[: match.start()]):
                return match.group(0)
            return ""

        result.append(_ACRONYM.sub(unused, sentence))
    return result


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _is_attribution(tail: str, language: Lang) -> bool:
    """Whether ``tail`` (what follows a comma, without the final stop) only says who said it."""
    words = _words(tail)
    if not words or len(words) > _ATTRIBUTION_MAX_WORDS:
        return False
    if _DIGIT.search(tail) or _QUOTES.search(tail):
        return False
    if _NEGATIONS[language].intersection(words) or "n't" in tail:
        return False
    verb_first = _VERB_FIRST[language].fullmatch(tail)
    if verb_first is not None:
        return _is_source(verb_first.group("source"), language)
    source_first = _SOURCE_FIRST[language].fullmatch(tail)
    if source_first is not None:
        source = source_first.group("source")
        return len(_words(source)) <= _SOURCE_FIRST_MAX_WORDS and _is_source(source, language)
    return False


def _is_source(source: str, language: Lang) -> bool:
    """A name or a noun phrase that says who: no clause of its own, no clause after a comma."""
    words = source.split()
    if not words:
        return False
    first, last = words[0], words[-1].lower()
    if not (
        first[0].isupper()
        or first.lower() in _SOURCE_START[language]
        or last in _SOURCE_END[language]
    ):
        return False
    if _CLAUSE_COMMA.search(source) or source.rstrip().endswith(","):
        return False
    return not _CLAUSE_WORDS[language].intersection(_words(source))


def _is_enumeration(head: str, tail: str, language: Lang) -> bool:
    """Whether the comma continues a list of names ("migrants from Guatemala, Honduras and
    El Salvador said"): then the names are the subject, not an attribution."""
    last = head.split()[-1:] or [""]
    conjunction = " and " if language == "en" else " y "
    return last[0][:1].isupper() and tail[:1].isupper() and conjunction in tail


def _stands_alone(head: str, language: Lang) -> bool:
    """Whether ``head`` is a whole sentence without the attribution that followed it."""
    words = head.split()
    if len(words) < _MIN_REMAINING_WORDS or _QUOTES.search(head[-1:]) or head[-1:] in ",;:":
        return False
    if head.count("(") != head.count(")") or head.count("«") != head.count("»"):
        return False
    if head.count("“") != head.count("”") or head.count('"') % 2:
        return False
    # "In a statement on Tuesday, the ministry said." has no sentence left.
    if words[0].lower() in _PREPOSITIONS[language] and "," not in head:
        return False
    return _has_verb(head, language)


def _has_verb(text: str, language: Lang) -> bool:
    """Whether ``text`` has a word that reads as a finite verb (a cheap check, not a parse:
    a miss keeps the sentence whole)."""
    words = _words(text)
    if language == "en":
        return any(w in _EN_VERBS or _EN_VERB_ENDING.match(w) for w in words)
    return any(w in _ES_VERBS or _ES_VERB_ENDING.match(w) for w in words)


def _day_is_cuttable(before: str, after: str, language: Lang) -> bool:
    previous = before.split()[-1:] or [""]
    following = after.split(maxsplit=2)
    if not following:
        return False
    next_word = following[0]
    # "at 2:15 a.m. on Sunday": an abbreviation's stop would meet the sentence's own.
    if before.endswith(".") or _DIGIT.match(next_word):
        return False
    if previous[0].lower() in _NOT_BEFORE_DAY[language]:
        return False
    if _REPORTED.search(before) is None and _FUTURE[language].search(before):
        return False
    # "did not reopen on Monday": the negation may be about the day.
    if _NEGATIONS[language].intersection(_words(before)) or "n't" in before:
        return False
    if after[:1] in ",.;:!?":
        return True
    word = next_word.lower().strip(",.;:!?")
    if word in _AND_OR and len(following) > 1 and _DAY_NAME.match(following[1].strip(",.;:")):
        return False  # "on Monday and Tuesday"
    if language == "en":
        return word in _EN_AFTER_DAY
    return word not in _ES_NOT_AFTER_DAY
