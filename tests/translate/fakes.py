"""Small fake engines for testing the plumbing around a real one."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from service.languages import Lang
from service.translate.base import DecodeOptions, EngineInfo


@dataclass
class UpperEngine:
    """Upper-cases each sentence; records every batch; counts words as tokens."""

    limit: int | None = None
    name: str = "upper"
    batches: list[list[str]] = field(default_factory=list)
    options: list[DecodeOptions | None] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def info(self, source: Lang, target: Lang) -> EngineInfo:
        return EngineInfo(engine=self.name, model="upper-case")

    def max_input_tokens(self, source: Lang, target: Lang) -> int | None:
        return self.limit

    def count_tokens(self, texts: list[str], source: Lang, target: Lang) -> list[int]:
        return [len(text.split()) for text in texts]

    def translate(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> list[str]:
        if self.limit is not None:
            assert all(n <= self.limit for n in self.count_tokens(texts, source, target))
        with self._lock:
            self.batches.append(list(texts))
            self.options.append(options)
        return [self.convert(text) for text in texts]

    def convert(self, text: str) -> str:
        return text.upper()

    @property
    def sent(self) -> list[str]:
        return [text for batch in self.batches for text in batch]


@dataclass
class LoopingEngine(UpperEngine):
    """Falls into a repetition loop on sentences containing ``trigger``.

    With repetition-suppressing options it recovers, unless ``stubborn``.
    """

    trigger: str = "loop"
    stubborn: bool = False

    def translate(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> list[str]:
        out = super().translate(texts, source, target, options)
        suppressed = options is not None and options.no_repeat_ngram_size is not None
        return [
            " ".join(["de la"] * 12)
            if self.trigger in text and (self.stubborn or not suppressed)
            else translated
            for text, translated in zip(texts, out, strict=True)
        ]
