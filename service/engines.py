"""The one factory that builds the engines; the API lifespan and the CLI both call it."""

from __future__ import annotations

from dataclasses import dataclass

from service.briefs import BriefBuilder
from service.config import EngineName, Settings, SummaryMethod
from service.summarize.base import Summarizer
from service.translate.base import Translator
from service.translate.document import DocumentTranslator


@dataclass
class Engines:
    """Everything that does inference, built once per process."""

    translator: DocumentTranslator
    summarizer: Summarizer
    briefs: BriefBuilder


def build_engines(
    settings: Settings,
    *,
    engine: EngineName | None = None,
    summarizer: SummaryMethod | None = None,
    sentence_translator: Translator | None = None,
) -> Engines:
    """Build the translator, the summarizer and the brief pipeline from settings.

    ``sentence_translator`` replaces the engine the settings name (the API passes its
    cross-request batcher wrapped around the real engine; tests may pass a fake).
    """
    from service.summarize.factory import build_summarizer
    from service.translate.factory import build_translator

    sentences = sentence_translator or build_translator(settings, engine)
    document = DocumentTranslator(sentences, settings)
    summary = build_summarizer(settings, summarizer)
    return Engines(document, summary, BriefBuilder(document, summary, settings))
