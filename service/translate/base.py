"""The interface every translation engine implements.

Engines translate *sentences*: splitting, batching by length, caching, long-input chunking
and degenerate-output checks live in ``service.translate.document`` and work for any engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, cast

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


class NBestTranslator(Protocol):
    """An optional capability: engines that can give several translations of a sentence
    (beam search hypotheses) implement ``n_best`` besides the ``Translator`` protocol."""

    def n_best(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        n: int,
        options: DecodeOptions | None = None,
    ) -> list[list[str]] | None:
        """Up to ``n`` distinct translations of each sentence, best first (a blank sentence
        has none); ``None`` when this direction's engine cannot give any (Apertium)."""
        ...


def n_best(
    translator: Translator,
    texts: list[str],
    source: Lang,
    target: Lang,
    n: int,
    options: DecodeOptions | None = None,
) -> list[list[str]] | None:
    """``translator``'s ``n`` best translations of each sentence, or ``None`` when the engine
    has no such capability (a rule-based engine gives one translation only)."""
    method = getattr(translator, "n_best", None)
    if method is None:
        return None
    return cast(NBestTranslator, translator).n_best(texts, source, target, n, options)


class Started(Protocol):
    """Sentences decoding on an engine's own threads (``StartingTranslator.start``)."""

    def done(self) -> bool:
        """Whether the engine has finished them; never blocks."""
        ...

    def result(self) -> list[str]:
        """The translations, once ``done``; raises what the engine raised."""
        ...


class StartingTranslator(Protocol):
    """An optional capability: engines that decode on threads of their own, which never take
    Python's GIL (CTranslate2), can start a batch and return at once. The batcher starts
    batches for callers on an event loop from the loop itself and polls them there, so no
    Python thread has to win the GIL from a busy loop before a batch can run."""

    def start(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
    ) -> Started | None:
        """Start translating ``texts`` and return at once; None when that cannot happen
        without waiting (every decoder busy, or the direction's model not loaded yet)."""
        ...

    def start_size(self, source: Lang, target: Lang, options: DecodeOptions | None) -> int | None:
        """How many sentences one ``start`` may take now: 0 while every decoder is busy, None
        when this direction cannot be started from a loop at all (its model not loaded)."""
        ...


class AsyncTranslator(Protocol):
    """An optional capability: translators that can be awaited without holding a thread while
    the engine works (the cross-request batcher) implement ``translate_async``."""

    async def translate_async(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
    ) -> list[str]:
        """``translate``, awaited on the caller's event loop."""
        ...


async def translate_async(
    translator: Translator,
    texts: list[str],
    source: Lang,
    target: Lang,
    options: DecodeOptions | None = None,
) -> list[str]:
    """``translator.translate`` awaited: through its own ``translate_async`` when it has one,
    otherwise in a worker thread (an engine call never runs on the event loop)."""
    method = getattr(translator, "translate_async", None)
    if method is None:
        import anyio

        return await anyio.to_thread.run_sync(translator.translate, texts, source, target, options)
    return await cast(AsyncTranslator, translator).translate_async(texts, source, target, options)
