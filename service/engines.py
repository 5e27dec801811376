"""The one factory that builds the engines; the API lifespan and the CLI both call it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from service.briefs import BriefBuilder
from service.config import EngineName, Settings, SummaryMethod
from service.languages import Lang
from service.summarize.base import Summarizer
from service.translate.base import EngineInfo, Translator
from service.translate.document import DocumentTranslator, TranslationResult

TranslationHook = Callable[[TranslationResult], None]


class _ObservedDocumentTranslator(DocumentTranslator):
    """A DocumentTranslator that reports every result (the API counts cache hits)."""

    def __init__(self, translator: Translator, settings: Settings, hook: TranslationHook) -> None:
        super().__init__(translator, settings)
        self._hook = hook

    def translate(self, *args: Any, **kwargs: Any) -> TranslationResult:
        result = super().translate(*args, **kwargs)
        self._hook(result)
        return result


@dataclass
class Engines:
    """Everything that does inference, built once per process."""

    translator: DocumentTranslator
    summarizer: Summarizer
    briefs: BriefBuilder
    sentences: Translator | None = None  # the sentence engine under ``translator``
    settings: Settings | None = None
    _summarizers: dict[str, Summarizer] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def info(self, source: Lang, target: Lang) -> EngineInfo:
        """Engine and model for one direction; raises UnsupportedPair / ModelNotAvailable."""
        engine = self.sentences if self.sentences is not None else self.translator.translator
        return engine.info(source, target)

    def summarizer_for(self, method: SummaryMethod | None) -> Summarizer:
        """The summarizer for ``method``; one other than the default is built on first use."""
        if method is None or method == getattr(self.summarizer, "name", None):
            return self.summarizer
        with self._lock:
            if method not in self._summarizers:
                from service.summarize.factory import build_summarizer

                if self.settings is None:
                    raise RuntimeError("Engines built without settings cannot switch method")
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
    document = (
        _ObservedDocumentTranslator(sentences, settings, on_translation)
        if on_translation is not None
        else DocumentTranslator(sentences, settings)
    )
    summary = build_summarizer(settings, summarizer)
    return Engines(
        document,
        summary,
        BriefBuilder(document, summary, settings),
        sentences=sentences,
        settings=settings,
    )
