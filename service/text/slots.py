"""A document as literal pieces (markup, kept byte for byte) with translatable slots among them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

HAS_WORD = re.compile(r"[^\W\d_]")


@dataclass
class Segmented:
    """A document as literal pieces with translatable slots among them."""

    pieces: list[str] = field(default_factory=list)
    slots: list[int] = field(default_factory=list)  # indices of pieces to translate
    escape: Callable[[str], str] = str
    slot_escapes: dict[int, Callable[[str], str]] = field(default_factory=dict)

    def add_literal(self, text: str) -> None:
        """Append markup or text that stays as it is."""
        if text:
            self.pieces.append(text)

    def add_text(self, text: str) -> None:
        """Append prose; only the part between its outer whitespace is translated."""
        core = text.strip()
        if not HAS_WORD.search(core):
            self.add_literal(text)
            return
        start = text.index(core)
        self.add_literal(text[:start])
        self.slots.append(len(self.pieces))
        self.pieces.append(core)
        self.add_literal(text[start + len(core) :])

    def texts(self) -> list[str]:
        """The text of each slot, in order."""
        return [self.pieces[i] for i in self.slots]

    def render(self, translations: list[str]) -> str:
        """The document with each slot replaced by its translation."""
        if len(translations) != len(self.slots):
            raise ValueError(f"{len(translations)} translations for {len(self.slots)} slots")
        pieces = list(self.pieces)
        for index, translated in zip(self.slots, translations, strict=True):
            pieces[index] = self.slot_escapes.get(index, self.escape)(translated)
        return "".join(pieces)
