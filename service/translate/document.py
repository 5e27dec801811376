"""Whole-text translation around any sentence engine.

PLACEHOLDER contract (helper H2 replaces the body): split into paragraphs and sentences,
translate in length-ordered batches with an LRU cache, reassemble with the original
whitespace, chunk over-long sentences, detect degenerate output.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service.config import Settings
from service.languages import Lang
from service.translate.base import DecodeOptions, EngineInfo, Translator


@dataclass
class TranslationResult:
    """Translated texts (one per input) and how they were made."""

    texts: list[str]
    source: Lang
    target: Lang
    engine: EngineInfo
    warnings: list[str] = field(default_factory=list)
    sentences: int = 0  # sentences sent to the engine
    cache_hits: int = 0


class DocumentTranslator:
    """Translates whole texts with a sentence ``Translator``. Thread-safe."""

    def __init__(self, translator: Translator, settings: Settings) -> None:
        self.translator = translator
        self.settings = settings

    def translate(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
    ) -> TranslationResult:
        """Translate each text; the output has one string per input text."""
        info = self.translator.info(source, target)
        out = self.translator.translate(texts, source, target, options)
        return TranslationResult(out, source, target, info, sentences=len(texts))
