"""The brief pipeline and the engine factory, on the real DocumentTranslator and summarizer."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from service.briefs import LOW_QUALITY_WARNING, Article
from service.config import Settings
from service.engines import Engines, build_engines
from service.errors import EmptyInput, InputTooLarge, ModelNotAvailable, UnsupportedLanguage
from service.languages import Lang
from service.translate.base import EngineInfo
from service.translate.batching import BatchingTranslator
from service.translate.document import TranslationResult
from tests.api.conftest import ENGLISH, SPANISH
from tests.api.fakes import TagEngine, tag


@dataclass
class RuleBasedTag(TagEngine):
    def info(self, source: Lang, target: Lang) -> EngineInfo:
        return EngineInfo("rules", "tag rules", low_quality=True)


def _engines(engine: TagEngine | None = None, **overrides: object) -> Engines:
    settings = Settings(**overrides)  # type: ignore[arg-type]
    return build_engines(settings, sentence_translator=engine or TagEngine())


def test_english_article_gets_a_spanish_side() -> None:
    engines = _engines()
    brief = engines.briefs.build(Article(ENGLISH, title="  Guatemala flights "))
    assert brief.source_language == "en"
    assert brief.en.title == "Guatemala flights"
    assert brief.es.title == tag("Guatemala flights", "es")
    assert brief.en.short and brief.en.long and len(brief.en.short) < len(brief.en.long)
    first_sentence = brief.en.short.split(". ")[0].removesuffix(".") + "."  # often the lead alone
    assert first_sentence in ENGLISH
    assert brief.es.short.startswith(tag(first_sentence, "es"))
    assert brief.es.long.count("~es") >= brief.es.short.count("~es") >= 1
    assert brief.engines.translation.engine == "tag"
    assert brief.engines.summary.method == "extractive"
    assert set(brief.timings_ms) == {"detect", "summarize", "translate", "total"}
    assert brief.full_translation is None and brief.warnings == []


def test_spanish_article_gets_an_english_side_and_full_translation() -> None:
    brief = _engines().briefs.build(Article(SPANISH), include_full_translation=True)
    assert brief.source_language == "es"
    assert brief.es.title is None and brief.en.title is None
    assert brief.en.short.endswith("~en")
    assert brief.full_translation is not None
    assert brief.full_translation.language == "en"
    paragraphs = brief.full_translation.text.split("\n\n")
    assert len(paragraphs) == 2 and all(p.endswith("~en") for p in paragraphs)


def test_explicit_language_skips_detection() -> None:
    brief = _engines().briefs.build(Article(SPANISH, language="es"))
    assert brief.source_language == "es"


def test_a_rule_based_engine_adds_the_low_quality_warning_once() -> None:
    brief = _engines(RuleBasedTag()).briefs.build(Article(ENGLISH, title="Title here"))
    assert brief.engines.translation.low_quality is True
    assert brief.warnings.count(LOW_QUALITY_WARNING) == 1


def test_one_translation_call_per_brief() -> None:
    results: list[TranslationResult] = []
    engines = build_engines(
        Settings(), sentence_translator=TagEngine(), on_translation=results.append
    )
    engines.briefs.build(Article(ENGLISH, title="A title"), include_full_translation=True)
    assert len(results) == 1
    assert len(results[0].texts) == 4  # short, long, title, full text
    assert results[0].cache_hits > 0  # the short summary's sentences are in the long one


@pytest.mark.parametrize(
    ("article", "error", "words"),
    [
        (Article("   \n"), EmptyInput, "empty"),
        (Article("word " * 30), InputTooLarge, "BRIEFS_MAX_TEXT_CHARS"),
        (
            Article("Le gouvernement a annoncé aujourd'hui un nouveau plan pour la sécurité."),
            UnsupportedLanguage,
            "French",
        ),
    ],
)
def test_bad_articles_raise_domain_errors(
    article: Article, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        _engines(max_text_chars=100).briefs.build(article)


def test_engines_switch_summary_method_on_demand() -> None:
    engines = _engines()
    assert engines.summarizer_for(None) is engines.summarizer
    assert engines.summarizer_for("extractive") is engines.summarizer
    with pytest.raises(ModelNotAvailable):
        engines.summarizer_for("abstractive")
    assert engines.info("es", "en") == EngineInfo("tag", "tag es-en")


def test_close_stops_the_batcher() -> None:
    settings = Settings()
    batcher = BatchingTranslator(TagEngine(), settings)
    engines = build_engines(settings, sentence_translator=batcher)
    assert engines.translator.translate(["Hello there."], "en", "es").texts == [
        tag("Hello there.", "es")
    ]
    engines.close()
    with pytest.raises(Exception, match="shutting down"):
        batcher.translate(["x"], "en", "es")
