"""Markdown slots: markdown-it-py's inline tokens, each located in the source."""

from __future__ import annotations

import re
from itertools import pairwise

from markdown_it import MarkdownIt
from markdown_it.token import Token

from service.text.inline import InlineRun, SpanPairs
from service.text.slots import HAS_WORD, Segmented

# Inline marks a sentence runs through: translated with the sentence, marks put back.
_MARKS = frozenset({"em", "strong", "s", "link"})

_MD_ESCAPE = re.compile(r"([\\`*_\[\]<>])")
# Left as written inside text: footnote marks ("[^1]", "[^1]:") and link syntax the parser
# refused to make a link (``[x](javascript:...)``), which must not be translated or escaped.
_KEEP = re.compile(r"\[\^[^\]\s]+\]:?|\[[^\]]*\]\((?:[^()\s]|\([^()\s]*\))*\)")


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # Keep escapes and entities as their own tokens so they stay untouched in the source.
    md.core.ruler.disable("text_join")
    return md


def _escape_markdown(text: str) -> str:
    return _MD_ESCAPE.sub(r"\\\1", text)


class _MarkdownSegmenter:
    """Walks markdown-it's inline tokens and finds each text token's place in the source."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.doc = Segmented(escape=_escape_markdown)
        self.cursor = 0  # everything before it is already in doc.pieces
        self.search = 0  # where the next inline token is looked for
        self.run: list[tuple[int, int, str]] = []  # located text tokens: (start, end, core)
        # Marks inside the run: (text pieces before it, "open"/"close", kind, link target).
        self.marks: list[tuple[int, str, str, str]] = []
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def segment(self) -> Segmented:
        for block in _markdown().parse(self.source):
            if block.type == "inline" and block.children:
                if block.map:
                    self.search = max(self.search, self.line_starts[block.map[0]])
                self._inline(block.children)
        self._take_until(len(self.source))
        return self.doc

    def _take_until(self, position: int) -> None:
        if position > self.cursor:
            self.doc.add_literal(self.source[self.cursor : position])
            self.cursor = position

    def _close_run(self) -> None:
        run, marks = list(self.run), list(self.marks)
        self.run.clear()
        self.marks.clear()
        if not marks:
            self._add_run(run)
            return
        built = self._marked(run, marks)
        if built is not None:
            self._take_until(run[0][0])
            self.doc.add_run(built)
            self.cursor = run[-1][1]
            return
        # Marks that do not pair up inside the run: each stretch between them on its own.
        cuts = sorted({count for count, _, _, _ in marks} | {0, len(run)})
        for low, high in pairwise(cuts):
            self._add_run(run[low:high])

    def _marked(
        self, run: list[tuple[int, int, str]], marks: list[tuple[int, str, str, str]]
    ) -> InlineRun | None:
        """The run's plain text with a span per mark pair, or None when they do not pair up
        between its text pieces."""
        plain = run[0][2]
        pairs = SpanPairs()
        for index in range(1, len(run)):
            gap = self.source[run[index - 1][1] : run[index][0]]
            pos = 0
            spaced = False
            for _, event, kind, href in (m for m in marks if m[0] == index):
                blank = len(gap[pos:]) - len(gap[pos:].lstrip(" \t\n>"))
                if blank:
                    pos += blank
                    if not spaced:
                        plain += " "
                        spaced = True
                markup = _markup_at(gap, pos, event, kind, href)
                if markup is None:
                    return None
                if event == "open":
                    pairs.open(kind, markup, len(plain))
                else:
                    pairs.close(kind, markup, len(plain))
                pos += len(markup)
            rest = gap[pos:]
            if rest.strip(" \t\n>"):
                return None
            if rest and not spaced:
                plain += " "
            plain += run[index][2]
        spans = pairs.result()
        if spans is None or any(m[0] in (0, len(run)) for m in marks):
            return None
        return InlineRun(plain, spans, _escape_markdown)

    def _add_run(self, run: list[tuple[int, int, str]]) -> None:
        if not run:
            return
        start, end = run[0][0], run[-1][1]
        # Soft line breaks inside one run become spaces: the translation is one line.
        text = " ".join(core for _, _, core in run)
        if HAS_WORD.search(text):
            self._take_until(start)
            self.doc.slots.append(len(self.doc.pieces))
            self.doc.pieces.append(text)
            self.cursor = end

    def _inline(self, tokens: list[Token]) -> None:
        in_autolink = 0
        hrefs: list[str] = []
        for token in tokens:
            if token.type == "text" and not in_autolink and token.content:
                self._text(token.content)
                continue
            if token.type == "softbreak":
                continue
            if self._mark(token, in_autolink, hrefs):
                continue
            self._close_run()
            self.search = _skip_token(self.source, token, self.search)
            if token.type == "link_open":
                hrefs.append(str(token.attrs.get("href", "")))
                if token.markup in ("autolink", "linkify"):
                    in_autolink += 1
            elif token.type == "link_close":
                href = hrefs.pop() if hrefs else ""
                if in_autolink:
                    in_autolink -= 1
                elif href and (found := self.source.find(href, self.search)) >= 0:
                    self.search = found + len(href)
        self._close_run()

    def _mark(self, token: Token, in_autolink: int, hrefs: list[str]) -> bool:
        """Record an emphasis or link mark inside the current run; False when it ends the run."""
        kind, _, event = token.type.rpartition("_")
        if kind not in _MARKS or event not in ("open", "close") or not self.run:
            return False
        if token.type == "link_open" and token.markup in ("autolink", "linkify"):
            return False
        if event == "open":
            href = str(token.attrs.get("href", "")) if kind == "link" else token.markup
            self.marks.append((len(self.run), "open", kind, href))
            if kind == "link":
                hrefs.append(href)
            return True
        if in_autolink or not any(m[2] == kind and m[1] == "open" for m in self.marks):
            return False
        href = hrefs.pop() if kind == "link" and hrefs else token.markup
        self.marks.append((len(self.run), "close", kind, href))
        if kind == "link" and href and (found := self.source.find(href, self.search)) >= 0:
            self.search = found + len(href)
        return True

    def _text(self, content: str) -> None:
        found = self.source.find(content, self.search)
        if found < 0:  # unescaped by the parser: not literally in the source, leave it
            self._close_run()
            return
        cursor = 0
        for keep in _KEEP.finditer(content):
            self._located(content[cursor : keep.start()], found + cursor)
            self._close_run()  # the kept part stays in the literal text around the slots
            cursor = keep.end()
        self._located(content[cursor:], found + cursor)
        self.search = found + len(content)

    def _located(self, content: str, found: int) -> None:
        """Add a piece of a text token that starts at ``found`` in the source."""
        if not content:
            return
        marked = any(m[0] == len(self.run) for m in self.marks)
        if self.run and not marked and self.source[self.run[-1][1] : found].strip(" \t\n>"):
            self._close_run()
        lead = len(content) - len(content.lstrip())
        core = content.strip()
        if core:
            self.run.append((found + lead, found + lead + len(core), core))


def segment_markdown(source: str) -> Segmented:
    """Cut a Markdown document into literal pieces and prose slots."""
    return _MarkdownSegmenter(source).segment()


def _markup_at(gap: str, pos: int, event: str, kind: str, target: str) -> str | None:
    """The markup of one mark as written at ``gap[pos:]``, or None when it is not there."""
    if kind != "link":
        return target if gap.startswith(target, pos) else None  # target: the mark ("*")
    if event == "open":
        return "[" if gap.startswith("[", pos) else None
    if not gap.startswith("](", pos):
        return None
    end = gap.find(")", gap.find(target, pos) + len(target) if target else pos)
    return gap[pos : end + 1] if end >= 0 else None


def _skip_token(source: str, token: Token, search: int) -> int:
    """Move the search position past the source of a token that is not translated."""
    text = ""
    if token.type in ("code_inline", "text_special", "html_inline"):
        text = token.markup if token.type == "text_special" else token.content
    elif token.type == "image":
        text = str(token.attrs.get("src", ""))
    if text:
        found = source.find(text, search)
        if found >= 0:
            return found + len(text)
    return search
