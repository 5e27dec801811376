"""A document as literal pieces (markup, kept byte for byte) with translatable slots among them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from service.text.inline import InlineRun

HAS_WORD = re.compile(r"[^\W\d_]")


@dataclass
class Segmented:
    """A document as literal pieces with translatable slots among them."""

    pieces: list[str] = field(default_factory=list)
    slots: list[int] = field(default_factory=list)  # indices of pieces to translate
    escape: Callable[[str], str] = str
    slot_escapes: dict[int, Callable[[str], str]] = field(default_factory=dict)
    runs: dict[int, InlineRun] = field(default_factory=dict)  # slots with inline markup

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

    def add_run(self, run: InlineRun) -> None:
        """Append a sentence run with inline markup: translated whole, tags put back."""
        self.slots.append(len(self.pieces))
        self.runs[len(self.pieces)] = run
        self.pieces.append(run.plain)

    def texts(self) -> list[str]:
        """The text of each slot, in order."""
        return [self.pieces[i] for i in self.slots]

    def shown(self, slot: int, text: str) -> str:
        """Text about the ``slot``-th slot (its sentence, a message quoting it) as the reader
        wrote it: placeholders back as the code they stand for."""
        run = self.runs.get(self.slots[slot])
        return run.shown(text) if run is not None else text

    def prose(self) -> str:
        """The words of every slot, placeholders left out (for language detection)."""
        return " ".join(
            self.runs[i].engine_text() if i in self.runs else self.pieces[i] for i in self.slots
        )

    def span_texts(self) -> list[str]:
        """The text inside each inline element of every run, in slot order."""
        return [text for i in self.slots if i in self.runs for text in self.runs[i].span_texts()]

    def render(self, translations: list[str], span_translations: list[str] | None = None) -> str:
        """The document with each slot replaced by its translation (runs get their tags back
        from ``span_translations``, as ``span_texts`` lists them)."""
        if len(translations) != len(self.slots):
            raise ValueError(f"{len(translations)} translations for {len(self.slots)} slots")
        spans = iter(span_translations or [])
        pieces = list(self.pieces)
        for index, translated in zip(self.slots, translations, strict=True):
            run = self.runs.get(index)
            if run is not None:
                wanted = len(run.span_texts())
                pieces[index] = run.render(translated, [next(spans) for _ in range(wanted)])
            else:
                pieces[index] = self.slot_escapes.get(index, self.escape)(translated)
        return "".join(pieces)
