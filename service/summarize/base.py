"""The interface every summarizer implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from service.languages import Lang

Length = Literal["short", "long"]
LENGTHS: tuple[Length, ...] = ("short", "long")


@dataclass(frozen=True)
class Summary:
    """A summary of one text: the sentences picked (extractive) or generated."""

    text: str
    sentences: list[str]
    language: Lang
    length: Length
    method: str  # "extractive" | "abstractive"
    model: str | None = None
    warnings: list[str] = field(default_factory=list)


class Summarizer(Protocol):
    """Makes a short or a long summary of a text in its own language. Thread-safe."""

    name: str

    def summarize(self, text: str, language: Lang, length: Length) -> Summary:
        """Summarize ``text`` (written in ``language``) to the ``length`` budget."""
        ...
