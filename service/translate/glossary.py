"""Glossaries and protected terms: the words a translation must get right, on any engine.

A glossary is a table whose header names the languages (``en,es``), one term pair a row, in
CSV, TSV or JSON (a list of objects with the same keys). A row whose two cells are equal
protects a name: it is copied verbatim. Whatever the glossary says, URLs, e-mail addresses,
@handles, #hashtags and numbers with a unit symbol are protected too.

How it holds on every engine: before translation each matched term is replaced by a
placeholder the engines copy through (an unknown capitalised word such as ``Zxqa``);
afterwards the placeholder becomes the target term. When the engine drops or mangles a
placeholder, the sentence is translated again without placeholders, and if the target term
is not in that translation the sentence gets a ``term`` check. Never a silently wrong term,
never a dropped sentence.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from service.errors import InputTooLarge, InvalidInput
from service.languages import LANGUAGES, Lang
from service.text.inline import placeholder_word

MAX_TERMS = 5000  # in a glossary file
MAX_REQUEST_TERMS = 500  # in one request's glossary field
MAX_TERM_CHARS = 200
MAX_FILE_BYTES = 2_000_000
HINT = "a glossary has a header naming the languages (en,es) and one term pair a row"

# Protected whatever the glossary says: copied verbatim into every translation.
_PROTECTED = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]]"  # URLs (not their final punctuation)
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<![\w@])@\w{2,}"  # @handles
    r"|(?<![\w#&])#[^\W\d_]\w+"  # #hashtags (not &#38; entities or #1 ranks)
    r"|(?<![\w.,])(?:US\$|\$|€|£|Q)?\d+(?:[.,]\d+)*\s?(?:%|km²|km|kg|mg|mm|cm|ml|°C|°F|MW|GW)"
    r"(?!\w)"  # numbers with a unit symbol
)


@dataclass(frozen=True)
class Term:
    """One glossary row: the term in each language (equal cells protect a name)."""

    en: str
    es: str

    def side(self, language: Lang) -> str:
        """The term in ``language``."""
        return self.en if language == "en" else self.es


@dataclass(frozen=True)
class Glossary:
    """Term pairs; later rows win over earlier ones with the same source term."""

    terms: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    def merged(self, other: Glossary | None) -> Glossary:
        """This glossary with ``other``'s rows over it (a request's rows over the default)."""
        if not other:
            return self
        return Glossary(self.terms + other.terms)

    def digest(self) -> str:
        """A short fingerprint of the rows (a changed glossary redoes a folder's files)."""
        rows = json.dumps([[t.en, t.es] for t in self.terms], ensure_ascii=False)
        return hashlib.sha256(rows.encode("utf-8")).hexdigest()[:16]

    def pairs(self, source: Lang, target: Lang) -> list[tuple[str, str]]:
        """(source term, target term), one per source term, longest source term first."""
        chosen: dict[str, tuple[str, str]] = {}
        for term in self.terms:
            chosen[term.side(source).casefold()] = (term.side(source), term.side(target))
        return sorted(chosen.values(), key=lambda pair: -len(pair[0]))


def glossary_from_rows(
    rows: Iterable[Mapping[str, object]], *, where: str = "row", limit: int = MAX_TERMS
) -> Glossary:
    """A glossary from rows like ``{"en": "task force", "es": "fuerza de tarea"}``."""
    terms: list[Term] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise InvalidInput(f"glossary {where} {number} is not an object", hint=HINT)
        cells: dict[str, str] = {}
        for language in LANGUAGES:
            value = row.get(language)
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput(f"glossary {where} {number} has no {language!r} term", hint=HINT)
            if len(value) > MAX_TERM_CHARS:
                raise InputTooLarge(
                    f"glossary {where} {number}: a term is over {MAX_TERM_CHARS} characters",
                    hint="glossary terms are words and names, not sentences",
                )
            cells[language] = " ".join(value.split())
        terms.append(Term(en=cells["en"], es=cells["es"]))
        if len(terms) > limit:
            raise InputTooLarge(
                f"the glossary has over {limit} terms",
                hint="send fewer terms, or set BRIEFS_GLOSSARY on the server for a large one",
            )
    return Glossary(tuple(terms))


def load_glossary(path: Path) -> Glossary:
    """Read a CSV, TSV or JSON glossary file; a malformed one is refused naming the row."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputTooLarge(
                f"the glossary {path} is {size:,} bytes, over {MAX_FILE_BYTES:,}", hint=HINT
            )
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"cannot read the glossary {path}: {exc.strerror}", hint=HINT) from None
    except UnicodeDecodeError:
        raise InvalidInput(f"the glossary {path} is not UTF-8 text", hint=HINT) from None
    if path.suffix.lower() == ".json":
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                f"the glossary {path} is not valid JSON (line {exc.lineno})", hint=HINT
            ) from None
        if not isinstance(rows, list):
            raise InvalidInput(f"the glossary {path} is not a JSON list of rows", hint=HINT)
        return glossary_from_rows(rows, where=f"{path.name} item")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [language for language in LANGUAGES if language not in header]
    if missing:
        raise InvalidInput(
            f"the glossary {path} has no {' or '.join(missing)} column in its header", hint=HINT
        )
    table: list[dict[str, str]] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InvalidInput(
                f"the glossary {path}, line {number}: {len(cells)} cells for {len(header)} columns",
                hint=HINT,
            )
        table.append({"line": str(number), **dict(zip(header, cells, strict=True))})
    try:
        return glossary_from_rows(table)
    except (InvalidInput, InputTooLarge) as exc:
        # Name the file's line, not the row's position among the rows.
        line = _row_line(exc.message, table)
        raise type(exc)(f"the glossary {path}, line {line}: {exc.message}", hint=HINT) from None


def _row_line(message: str, table: list[dict[str, str]]) -> str:
    found = re.search(r"row (\d+)", message)
    return table[int(found.group(1)) - 1]["line"] if found else "?"


@dataclass(frozen=True)
class Slot:
    """A protected span of one sentence: its placeholder and what must replace it."""

    placeholder: str
    source: str  # as written in the source sentence
    target: str  # what the translation must contain
    glossary: bool  # a glossary term (a missing one is a ``term`` check)


@dataclass(frozen=True)
class Protected:
    """A sentence with its protected spans replaced by placeholders."""

    text: str
    slots: tuple[Slot, ...]


def placeholder(index: int) -> str:
    """The ``index``-th glossary placeholder: ``Zxqb``, ``Zxqc``..."""
    return placeholder_word("Zxq", index)


@dataclass(frozen=True)
class TermMatcher:
    """A glossary direction, compiled once: one pattern for all terms, longest first."""

    pattern: re.Pattern[str] | None
    targets: dict[str, str]

    @classmethod
    def of(cls, pairs: list[tuple[str, str]]) -> TermMatcher:
        """The matcher for ``Glossary.pairs`` (at each place the longest term wins); the
        same pairs (the default glossary, call after call) are compiled once."""
        return _matcher(tuple(pairs))


@functools.lru_cache(maxsize=64)
def _matcher(pairs: tuple[tuple[str, str], ...]) -> TermMatcher:
    if not pairs:
        return TermMatcher(None, {})
    alternatives = _trie_pattern([term for term, _ in pairs])
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return TermMatcher(pattern, {term.casefold(): target for term, target in pairs})


_Trie = dict[str, "_Trie"]  # a character -> the tree after it; "" marks a term's end


def _trie_pattern(terms: list[str]) -> str:
    """One regular expression for ``terms`` shaped as their prefix tree: ``re`` tries a flat
    alternation one term after another at every word start (202 terms: 40% of the trust work
    on a seed article), a tree once per letter. Greedy and backtracking, the longest term
    that ends on a word edge still wins at each place."""
    tree: _Trie = {}
    for term in terms:
        node = tree
        for char in term:  # case folded: the pattern ignores case, so "Task" and "task" meet
            folded = char.casefold()
            node = node.setdefault(folded if len(folded) == 1 else char, {})
        node[""] = {}  # a term ends here

    def pattern(node: _Trie) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in node.items() if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a shorter term ends here: the longer ones are tried first
            return f"(?:{body})?"
        return body

    return pattern(tree)


NO_TERMS = TermMatcher(None, {})


def protect(sentence: str, terms: TermMatcher = NO_TERMS) -> Protected:
    """Replace glossary terms (longest first) and always-protected spans by placeholders."""
    spans: list[tuple[int, int, str, bool]] = []  # start, end, target, glossary

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _, _ in spans)

    if terms.pattern is not None:
        for match in terms.pattern.finditer(sentence):
            target = terms.targets.get(match.group().casefold())
            if target is not None:  # None: a case folding the pattern matched differently
                spans.append((match.start(), match.end(), target, True))
    for match in _PROTECTED.finditer(sentence):
        if free(match.start(), match.end()):
            spans.append((match.start(), match.end(), match.group(), False))
    if not spans:
        return Protected(sentence, ())
    spans.sort()
    pieces: list[str] = []
    slots: list[Slot] = []
    cursor = 0
    for start, end, target, glossary in spans:
        mark = placeholder(len(slots))
        pieces.append(sentence[cursor:start])
        pieces.append(mark)
        slots.append(Slot(mark, sentence[start:end], target, glossary))
        cursor = end
    pieces.append(sentence[cursor:])
    return Protected("".join(pieces), tuple(slots))


def restore(translation: str, protected: Protected) -> str | None:
    """The translation with each placeholder replaced, or None when one did not survive once."""
    text = translation
    for slot in protected.slots:
        if len(re.findall(rf"(?<!\w){slot.placeholder}(?!\w)", text, re.IGNORECASE)) != 1:
            return None
    for slot in protected.slots:
        found = re.search(rf"(?<!\w){slot.placeholder}(?!\w)", text, re.IGNORECASE)
        assert found is not None
        replacement = slot.target
        if found.start() == _sentence_start(text) and slot.glossary:
            replacement = replacement[:1].upper() + replacement[1:]
        text = text[: found.start()] + replacement + text[found.end() :]
    return text


def _sentence_start(text: str) -> int:
    match = re.search(r"\w", text)
    return match.start() if match else 0


def missing_terms(translation: str, protected: Protected) -> list[Slot]:
    """The slots whose target is not in ``translation`` (case-insensitive, whole words)."""
    folded = translation.casefold()
    return [
        slot
        for slot in protected.slots
        if not re.search(rf"(?<!\w){re.escape(slot.target.casefold())}(?!\w)", folded)
    ]
