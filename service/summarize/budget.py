"""Summary budgets: how many sentences and words a short or a long summary may have."""

from __future__ import annotations

from dataclasses import dataclass

from service.config import Settings
from service.summarize.base import Length

ELLIPSIS = "…"


@dataclass(frozen=True)
class Budget:
    """At most ``max_sentences`` whole sentences and ``max_words`` words."""

    max_sentences: int
    max_words: int

    def fits(self, sentences: list[str]) -> bool:
        """Whether these sentences together stay within the budget."""
        return len(sentences) <= self.max_sentences and word_count(sentences) <= self.max_words


@dataclass(frozen=True)
class Budgets:
    """The short and the long budget, from the settings."""

    short: Budget
    long: Budget

    @classmethod
    def from_settings(cls, settings: Settings) -> Budgets:
        """Budgets from ``BRIEFS_SHORT_MAX_*`` and ``BRIEFS_LONG_MAX_*``."""
        return cls(
            short=Budget(settings.short_max_sentences, settings.short_max_words),
            long=Budget(settings.long_max_sentences, settings.long_max_words),
        )

    def of(self, length: Length) -> Budget:
        """The budget for ``length``."""
        return self.short if length == "short" else self.long


def word_count(sentences: list[str]) -> int:
    """Words in these sentences, counted as whitespace-separated tokens."""
    return sum(len(sentence.split()) for sentence in sentences)


def shorten(sentence: str, max_words: int) -> str:
    """The first ``max_words`` words of a sentence too long for any budget, marked with "…"."""
    words = sentence.split()
    if len(words) <= max_words:
        return sentence
    return " ".join(words[:max_words]).rstrip(",;:") + ELLIPSIS
