"""DocumentTranslator over the real Marian engines with a tiny random model."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import get_settings
from service.languages import Lang
from service.translate.base import DecodeOptions, Translator
from service.translate.document import DocumentTranslator
from service.translate.factory import build_translator


class Spy:
    """Passes calls through to a real engine, recording what it was asked to translate."""

    def __init__(self, engine: Translator) -> None:
        self.engine = engine
        self.name = engine.name
        self.sent: list[str] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.engine, name)

    def translate(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> list[str]:
        self.sent.extend(texts)
        return self.engine.translate(texts, source, target, options)


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ["ctranslate2", "transformers"])
def test_tiny_marian_article_with_an_over_long_sentence(
    installed_models: Path, engine_name: str
) -> None:
    settings = get_settings()
    spy = Spy(build_translator(settings, engine_name))  # type: ignore[arg-type]
    limit = spy.max_input_tokens("en", "es")
    assert limit == 512
    long_sentence = ", ".join(
        f"the {i}th convoy of deportation flights crossed the eastern border" for i in range(60)
    )
    text = (
        "Guatemala Announces Increased Deportation Flights\n\n"
        f"Dr. Smith met U.S. officials at 10 a.m. today. {long_sentence}.\r\n"
        "  The task force will fight crime.  \n"
    )
    assert spy.count_tokens([long_sentence], "en", "es")[0] > limit

    result = DocumentTranslator(spy, settings).translate(  # type: ignore[arg-type]
        [text, "", "The task force will fight crime."], "en", "es", DecodeOptions(max_length=8)
    )

    out = result.texts[0]
    assert len(out.splitlines()) == len(text.splitlines())
    assert out.startswith(out.lstrip()) and "\n\n" in out and out.endswith("  \n")
    assert result.texts[1] == ""
    assert result.sentences == 5 and result.cache_hits == 1  # the repeated sentence
    assert result.chunked == 1
    assert all(n <= limit for n in spy.count_tokens(spy.sent, "en", "es"))
    assert engine_name in result.engine.engine
