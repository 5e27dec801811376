"""A fake sentence engine for plumbing tests: marks each sentence with its target."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from service.languages import Lang
from service.translate.base import DecodeOptions, EngineInfo


@dataclass
class TagEngine:
    """Upper-cases each sentence and appends ``~es``/``~en``; can hold batches at a gate."""

    name: str = "tag"
    fail_with: Exception | None = None
    gate: threading.Event = field(default_factory=threading.Event)
    entered: threading.Event = field(default_factory=threading.Event)
    batches: list[list[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.gate.set()

    def info(self, source: Lang, target: Lang) -> EngineInfo:
        return EngineInfo(self.name, f"tag {source}-{target}")

    def max_input_tokens(self, source: Lang, target: Lang) -> int | None:
        return None

    def count_tokens(self, texts: list[str], source: Lang, target: Lang) -> list[int]:
        return [len(text.split()) for text in texts]

    def translate(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> list[str]:
        self.entered.set()
        self.gate.wait(timeout=10)
        if self.fail_with is not None:
            raise self.fail_with
        self.batches.append(list(texts))
        return [tag(text, target) for text in texts]


def tag(sentence: str, target: Lang) -> str:
    """What ``TagEngine`` makes of one sentence."""
    return f"{sentence.upper()} ~{target}"
