"""Language detection with lingua, offline: its language models ship inside the wheel.

The detector knows a handful of common languages only, so it is fast and small, and text in
French or Portuguese is named as such instead of being forced into English or Spanish.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from service.errors import EmptyInput, UnsupportedLanguage
from service.languages import LANGUAGE_NAMES, LANGUAGES, Lang, LangOrAuto

if TYPE_CHECKING:
    from lingua import LanguageDetector

# ISO 639-1 code -> lingua's name for it. English and Spanish must stay in the set.
_KNOWN: dict[str, str] = {
    "en": "ENGLISH",
    "es": "SPANISH",
    "fr": "FRENCH",
    "pt": "PORTUGUESE",
    "it": "ITALIAN",
    "de": "GERMAN",
    "nl": "DUTCH",
    "ca": "CATALAN",
}
_NAMES: dict[str, str] = {code: name.title() for code, name in _KNOWN.items()}

# Long texts are judged on their beginning: plenty for a confident answer, and it keeps
# detection of a 50,000-word article as fast as that of a paragraph.
SAMPLE_CHARS = 3000

# On short, ambiguous text (a few words) the top guess is often a close neighbour: when a
# supported language scores within this margin of an unsure guess, the supported one wins.
UNSURE_BELOW = 0.5
SUPPORTED_MARGIN = 0.1
# A declared language is doubted only when the detector is this sure of another one, on a
# text long enough to judge (a few words are often both English and Spanish).
CONTRADICTION_CONFIDENCE = 0.9
CONTRADICTION_MIN_WORDS = 5
# Function words only one of the two languages uses: a text whose declared language has at
# least as many of them as the other is consistent, and the detector is not run at all.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to is was that for with from are were will has have this".split()),
    "es": frozenset("el la los las del y que por con para una es fue se al su sus como".split()),
}

# Greetings and courtesies too short for a statistical detector ("Hello" reads as Italian to
# it): known here, answered with certainty.
SHORT_PHRASES: dict[str, str] = {
    phrase: language
    for language, phrases in {
        "en": "hello|hi|hey|thanks|thank you|thank you very much|ok|okay|yes|please|sorry|"
        "goodbye|bye|good morning|good afternoon|good evening|good night|welcome",
        "es": "hola|gracias|muchas gracias|sí|por favor|perdón|lo siento|adiós|buenos días|"
        "buenas tardes|buenas noches|bienvenido|bienvenida|bienvenidos|de nada|vale",
    }.items()
    for phrase in phrases.split("|")
}
_PUNCTUATION = re.compile(r"[\s!¡?¿.,;:…\"'“”«»()]+")
_VOWEL = re.compile(r"[aeiouyáéíóúüàèìòùâêîôûäëïöãõ]", re.IGNORECASE)

_lock = threading.Lock()
_detector: LanguageDetector | None = None


@dataclass(frozen=True)
class Detection:
    """The most likely language of a text (ISO 639-1) and how sure the detector is (0-1)."""

    language: str
    confidence: float


def _get_detector() -> LanguageDetector:
    global _detector
    with _lock:
        if _detector is None:
            from lingua import Language, LanguageDetectorBuilder

            languages = [getattr(Language, name) for name in _KNOWN.values()]
            _detector = LanguageDetectorBuilder.from_languages(*languages).build()
        return _detector


def language_name(code: str) -> str:
    """A readable name for a code the detector can return, e.g. ``fr`` -> ``French``."""
    return _NAMES.get(code, code)


def _ranked(text: str) -> list[Detection]:
    sample = text.strip()[:SAMPLE_CHARS]
    if not sample:
        raise EmptyInput("the text is empty: there is nothing to detect a language in")
    phrase = _PUNCTUATION.sub(" ", sample.lower()).strip()
    if phrase in SHORT_PHRASES:
        return [Detection(SHORT_PHRASES[phrase], 1.0)]
    words = [word for word in re.findall(r"[^\W\d_]+", sample) if len(word) > 2]
    if words and sum(_VOWEL.search(word) is not None for word in words) < len(words) / 2:
        raise UnsupportedLanguage(
            "could not detect the language of the text: it does not read as words of a language",
            hint="pass the language explicitly: en or es",
        )
    values = _get_detector().compute_language_confidence_values(sample)
    if not values or values[0].value <= 0.0:
        raise UnsupportedLanguage(
            "could not detect the language of the text",
            hint="pass the language explicitly: en or es",
        )
    return [Detection(v.language.iso_code_639_1.name.lower(), v.value) for v in values]


def detect_language(text: str) -> Detection:
    """Detect the language of ``text``; raises EmptyInput or, when unsure, UnsupportedLanguage."""
    return _ranked(text)[0]


def resolve_detection(text: str, requested: LangOrAuto) -> Detection:
    """The language to work in and how sure: an explicit ``en``/``es`` wins (1.0), ``auto`` detects.

    One detection pass. When the top guess is an unsupported language the detector is unsure
    of, a supported language scoring close to it wins; raises UnsupportedLanguage otherwise.
    """
    if requested != "auto":
        return Detection(requested, 1.0)
    ranked = _ranked(text)
    detection = ranked[0]
    if detection.language not in LANGUAGES and detection.confidence < UNSURE_BELOW:
        closest = next((d for d in ranked if d.language in LANGUAGES), None)
        if closest and closest.confidence >= detection.confidence - SUPPORTED_MARGIN:
            detection = closest
    if detection.language in LANGUAGES:
        return detection
    supported = " and ".join(f"{LANGUAGE_NAMES[code]} ({code})" for code in LANGUAGES)
    raise UnsupportedLanguage(
        f"detected {language_name(detection.language)} ({detection.language}); "
        f"Briefs supports {supported}",
        hint="if the detection is wrong, pass the language explicitly",
    )


def detect_each(
    texts: list[str], detect: Callable[[str], Detection] = detect_language
) -> list[Detection]:
    """The language of each text on its own (one detection pass per text). When one of
    several cannot be detected, the error names it: in a list, "detected French" alone does
    not say which text."""
    found: list[Detection] = []
    for index, text in enumerate(texts):
        try:
            found.append(detect(text))
        except (EmptyInput, UnsupportedLanguage) as exc:
            if len(texts) == 1:
                raise
            where = f"text {index + 1} of {len(texts)}"
            raise type(exc)(f"{where}: {exc.message}", hint=exc.hint) from None
    return found


def resolve_language(text: str, requested: LangOrAuto) -> Lang:
    """The language to work in: an explicit ``en``/``es`` wins, ``auto`` detects."""
    return cast(Lang, resolve_detection(text, requested).language)


def declared_mismatch(text: str, declared: LangOrAuto) -> str | None:
    """A warning when ``text`` reads as another language than the one declared, else None.

    The work is still done in the declared language: the caller said so, and the detector can
    be wrong; the warning names what was detected and how sure the detector is.
    """
    words = text.lower().split()
    if declared == "auto" or len(words) < CONTRADICTION_MIN_WORDS:
        return None
    other = "es" if declared == "en" else "en"
    hits = {lang: sum(w in _FUNCTION_WORDS[lang] for w in words) for lang in (declared, other)}
    if hits[declared] > 0 and hits[declared] >= hits[other]:
        return None  # reads as the declared language: no detector run on the hot path
    try:
        found = detect_language(text)
    except (EmptyInput, UnsupportedLanguage):
        return None
    if found.language == declared or found.confidence < CONTRADICTION_CONFIDENCE:
        return None
    return (
        f"the text reads as {language_name(found.language)} ({found.language}, "
        f"{found.confidence:.0%} sure) but {declared} was declared; it was treated as "
        f"{declared} (pass auto to detect it)"
    )
