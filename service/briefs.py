"""The pipeline: article -> summaries in its language -> parallel English/Spanish brief.

The API and the CLI both call ``BriefBuilder.build``; nothing here knows about HTTP or files.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from service.config import Settings
from service.errors import EmptyInput
from service.languages import Lang, LangOrAuto, other_language
from service.limits import check_sizes
from service.summarize.base import Summarizer
from service.text.detect import declared_mismatch, resolve_language
from service.translate.document import DocumentTranslator, Sentences
from service.translate.glossary import Glossary

CheckedPart = Literal["title", "short", "long", "full_translation"]

LOW_QUALITY_WARNING = (
    "translated with the rule-based Apertium fallback, which is less fluent than Opus-MT; "
    "install the neural models with `briefs models pull` (or `briefs models import`)"
)


@dataclass(frozen=True)
class Article:
    """One news article as the pipeline receives it."""

    text: str
    title: str | None = None
    language: LangOrAuto = "auto"
    glossary: Glossary | None = None  # over the default glossary (BRIEFS_GLOSSARY)


class BriefSide(BaseModel):
    """Title and summaries in one language."""

    title: str | None
    short: str
    long: str


class TranslationEngineReport(BaseModel):
    engine: str
    model: str
    low_quality: bool


class SummaryEngineReport(BaseModel):
    method: str
    model: str | None


class EngineReport(BaseModel):
    translation: TranslationEngineReport
    summary: SummaryEngineReport


class FullTranslation(BaseModel):
    language: Lang
    text: str


class BriefCheck(BaseModel):
    """Something that may be wrong with one translated sentence of the brief (README, "Checks")."""

    part: CheckedPart
    kind: str
    message: str
    sentence: int = Field(description="Index of the sentence in that part (0-based).")
    source: str = Field(description="The source sentence.")
    # Optional on input: brief files written before it have none.
    target: str = Field(default="", description="The translated sentence, as in the brief.")


class Brief(BaseModel):
    """A parallel brief: the same title and summaries in English and Spanish."""

    source_language: Lang
    en: BriefSide
    es: BriefSide
    engines: EngineReport
    warnings: list[str]
    # Always filled in a response; optional on input, since brief files leave timings out.
    timings_ms: dict[str, float] = Field(default_factory=dict)
    full_translation: FullTranslation | None = None
    # The translated side's checks; optional on input, since older brief files have none.
    checks: list[BriefCheck] = Field(default_factory=list)


class BriefBuilder:
    """Builds briefs with one translator and one summarizer. Thread-safe."""

    def __init__(
        self, translator: DocumentTranslator, summarizer: Summarizer, settings: Settings
    ) -> None:
        self.translator = translator
        self.summarizer = summarizer
        self.settings = settings

    def build(self, article: Article, *, include_full_translation: bool = False) -> Brief:
        """Summarize the article in its language and translate the brief into the other."""
        self._check(article)
        timings: dict[str, float] = {}
        started = clock = time.perf_counter()

        language = resolve_language(article.text, article.language)
        mismatch = declared_mismatch(article.text, article.language)
        timings["detect"] = _elapsed_ms(clock)

        clock = time.perf_counter()
        short = self.summarizer.summarize(article.text, language, "short")
        long = self.summarizer.summarize(article.text, language, "long")
        timings["summarize"] = _elapsed_ms(clock)

        title = article.title.strip() if article.title and article.title.strip() else None
        # The summaries go as the sentences the summarizer picked: no second split.
        to_translate: list[str | Sentences] = [
            Sentences(tuple(short.sentences)),
            Sentences(tuple(long.sentences)),
        ]
        parts: list[CheckedPart] = ["short", "long"]
        if title is not None:
            to_translate.append(title)
            parts.append("title")
        if include_full_translation:
            to_translate.append(article.text)
            parts.append("full_translation")

        clock = time.perf_counter()
        target = other_language(language)
        result = self.translator.translate(
            to_translate, language, target, glossary=article.glossary
        )
        timings["translate"] = _elapsed_ms(clock)

        translated = iter(result.texts)
        other_short, other_long = next(translated), next(translated)
        other_side = BriefSide(
            title=next(translated) if title is not None else None,
            short=other_short,
            long=other_long,
        )
        full = (
            FullTranslation(language=target, text=next(translated))
            if include_full_translation
            else None
        )
        own_side = BriefSide(title=title, short=short.text, long=long.text)

        warnings = [*([mismatch] if mismatch else []), *short.warnings, *long.warnings]
        warnings += result.warnings
        if result.engine.low_quality:
            warnings.append(LOW_QUALITY_WARNING)
        timings["total"] = _elapsed_ms(started)
        sides = {language: own_side, target: other_side}
        return Brief(
            source_language=language,
            en=sides["en"],
            es=sides["es"],
            engines=EngineReport(
                translation=TranslationEngineReport(
                    engine=result.engine.engine,
                    model=result.engine.model,
                    low_quality=result.engine.low_quality,
                ),
                summary=SummaryEngineReport(method=short.method, model=short.model),
            ),
            warnings=list(dict.fromkeys(warnings)),
            timings_ms=timings,
            full_translation=full,
            checks=[
                BriefCheck.model_validate({"part": part, **check.to_dict()})
                for part, found in zip(parts, result.checks, strict=True)
                for check in found
            ],
        )

    def _check(self, article: Article) -> None:
        if not article.text.strip():
            raise EmptyInput("the article text is empty", hint="send the article body as text")
        check_sizes([article.text], self.settings, what="article")


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 2)
