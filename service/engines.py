"""The one factory that builds the engines; the API lifespan and the CLI both call it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from service.briefs import BriefBuilder
from service.config import EngineName, Settings, SummaryMethod
from service.languages import Lang
from service.summarize.base import Summarizer
from service.translate.base import EngineInfo, Translator
from service.translate.document import DocumentTranslator, TranslationResult

TranslationHook = Callable[[TranslationResult], None]


@dataclass
class Engines:
    """Everything that does inference, built once per process."""

    translator: DocumentTranslator
    summarizer: Summarizer
    briefs: BriefBuilder
    sentences: Translator  # the sentence engine under ``translator``
    settings: Settings
    _summarizers: dict[str, Summarizer] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def info(self, source: Lang, target: Lang) -> EngineInfo:
        """Engine and model for one direction; raises UnsupportedPair / ModelNotAvailable."""
        return self.sentences.info(source, target)

    def summarizer_for(self, method: SummaryMethod | None) -> Summarizer:
        """The summarizer for ``method``; one other than the default is built on first use."""
        if method is None or method == self.summarizer.name:
            return self.summarizer
        with self._lock:
            if method not in self._summarizers:
                from service.summarize.factory import build_summarizer

                self._summarizers[method] = build_summarizer(self.settings, method)
            return self._summarizers[method]

    def close(self) -> None:
        """Stop background workers (the cross-request batcher), if any."""
        close = getattr(self.sentences, "close", None)
        if callable(close):
            close()


def build_engines(
    settings: Settings,
    *,
    engine: EngineName | None = None,
    summarizer: SummaryMethod | None = None,
    sentence_translator: Translator | None = None,
    on_translation: TranslationHook | None = None,
) -> Engines:
    """Build the translator, the summarizer and the brief pipeline from settings.

    ``sentence_translator`` replaces the engine the settings name (the API passes its
    cross-request batcher wrapped around the real engine; tests may pass a fake).
    ``on_translation`` sees every whole-text translation result (the API's metrics).
    """
    from service.summarize.factory import build_summarizer
    from service.translate.factory import build_translator

    sentences = sentence_translator or build_translator(settings, engine)
    document = DocumentTranslator(sentences, settings, on_result=on_translation)
    summary = build_summarizer(settings, summarizer)
    return Engines(
        document,
        summary,
        BriefBuilder(document, summary, settings),
        sentences=sentences,
        settings=settings,
    )
