"""The interface every translation engine implements.

Engines translate *sentences*: splitting, batching by length, caching, long-input chunking
and degenerate-output checks live in ``service.translate.document`` and work for any engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from service.languages import Lang


@dataclass(frozen=True)
class DecodeOptions:
    """Per-call decoding overrides; ``None`` keeps the model's or the settings' default."""

    beam_size: int | None = None
    max_length: int | None = None
    repetition_penalty: float | None = None
    no_repeat_ngram_size: int | None = None


@dataclass(frozen=True)
class EngineInfo:
    """Which engine and model serve one translation direction."""

    engine: str  # "ctranslate2" | "transformers" | "apertium" | a test engine's name
    model: str  # e.g. "Helsinki-NLP/opus-mt-en-es (ctranslate2 int8)" or "apertium eng-spa"
    low_quality: bool = False  # rule-based fallback: results are labelled as lower quality


class Translator(Protocol):
    """A sentence translator for one or more language directions. Thread-safe."""

    name: str

    def info(self, source: Lang, target: Lang) -> EngineInfo:
        """Engine and model for this direction; raises UnsupportedPair / ModelNotAvailable."""
        ...

    def max_input_tokens(self, source: Lang, target: Lang) -> int | None:
        """The model's input limit in tokens (Opus-MT: 512), or None when unlimited."""
        ...

    def count_tokens(self, texts: list[str], source: Lang, target: Lang) -> list[int]:
        """Input length of each text in the units ``max_input_tokens`` uses."""
        ...

    def translate(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
    ) -> list[str]:
        """Translate each sentence; the output has exactly one string per input."""
        ...
