from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from service.errors import EmptyInput, UnsupportedLanguage
from service.text import detect
from service.text.detect import Detection, detect_language, resolve_detection, resolve_language
from tests.conftest import SEEDS

SHORT = {
    "en": "The president announced new border measures on Wednesday.",
    "es": "El presidente anunció nuevas medidas fronterizas el miércoles.",
    "fr": "Le président a annoncé mercredi de nouvelles mesures à la frontière.",
}
LONG_FR = (
    "Le gouvernement guatémaltèque a annoncé mercredi une hausse de quarante pour cent des "
    "vols d'expulsion. Le président a expliqué que les migrants renvoyés des États-Unis "
    "seraient accueillis dans des centres spéciaux, et que les étrangers seraient ramenés dans "
    "leur pays d'origine en coordination avec Washington. "
) * 20


def _seed(language: str) -> str:
    return next(SEEDS.glob(f"*.{language}.txt")).read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_detects_short_text(language: str) -> None:
    detection = detect_language(SHORT[language])
    assert detection.language == language
    assert 0.0 < detection.confidence <= 1.0


@pytest.mark.parametrize(("text", "language"), [(_seed("en"), "en"), (_seed("es"), "es")])
def test_detects_long_articles_confidently(text: str, language: str) -> None:
    detection = detect_language(text)
    assert detection.language == language
    assert detection.confidence > 0.9


def test_detects_long_french() -> None:
    assert detect_language(LONG_FR).language == "fr"


def test_auto_resolves_english_and_spanish() -> None:
    assert resolve_language(SHORT["en"], "auto") == "en"
    assert resolve_language(SHORT["es"], "auto") == "es"
    # A few ambiguous words lean towards the closest supported language.
    assert resolve_language("La casa es grande.", "auto") == "es"


def test_explicit_language_wins_without_detection() -> None:
    assert resolve_language(SHORT["fr"], "es") == "es"
    assert resolve_language(SHORT["es"], "en") == "en"


@pytest.mark.parametrize("text", [SHORT["fr"], LONG_FR])
def test_other_languages_are_named_in_the_error(text: str) -> None:
    with pytest.raises(UnsupportedLanguage) as caught:
        resolve_language(text, "auto")
    message = str(caught.value)
    assert "detected French (fr)" in message
    assert "English (en) and Spanish (es)" in message


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text(text: str) -> None:
    with pytest.raises(EmptyInput):
        detect_language(text)
    with pytest.raises(EmptyInput):
        resolve_language(text, "auto")


def test_text_without_letters_cannot_be_detected() -> None:
    with pytest.raises(UnsupportedLanguage, match="could not detect"):
        resolve_language("12 345 678 -- 90", "auto")


def test_detection_from_many_threads_agrees() -> None:
    texts = [SHORT["en"], SHORT["es"], SHORT["fr"]] * 8
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda t: detect_language(t).language, texts))
    assert found == ["en", "es", "fr"] * 8


def test_resolve_detection_gives_the_language_and_confidence_in_one_pass(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    ranked = detect._ranked

    def counting(text: str) -> list[detect.Detection]:
        calls.append(text)
        return ranked(text)

    monkeypatch.setattr(detect, "_ranked", counting)
    found = resolve_detection("El presidente anunció un aumento de los vuelos.", "auto")
    assert found.language == "es" and 0.5 < found.confidence <= 1.0
    assert len(calls) == 1
    assert resolve_detection("anything at all", "en") == detect.Detection("en", 1.0)
    assert len(calls) == 1  # an explicit language is not detected


@pytest.mark.parametrize(
    ("text", "language"),
    [("Hello", "en"), ("Thank you!", "en"), ("OK", "en"), ("¡Hola!", "es"), ("Gracias", "es")],
)
def test_short_greetings_are_placed_with_certainty(text: str, language: str) -> None:
    assert detect_language(text) == Detection(language, 1.0)


def test_letters_that_are_not_words_are_uncertain_not_guessed() -> None:
    with pytest.raises(UnsupportedLanguage, match="does not read as words"):
        detect_language("zzzz qqqq")
