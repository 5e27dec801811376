"""Markdown slots: markdown-it-py's inline tokens, each located in the source."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from service.text.slots import HAS_WORD, Segmented

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
        if not self.run:
            return
        start, end = self.run[0][0], self.run[-1][1]
        # Soft line breaks inside one run become spaces: the translation is one line.
        text = " ".join(core for _, _, core in self.run)
        self.run.clear()
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
        if self.run and self.source[self.run[-1][1] : found].strip(" \t\n>") != "":
            self._close_run()
        lead = len(content) - len(content.lstrip())
        core = content.strip()
        if core:
            self.run.append((found + lead, found + lead + len(core), core))


def segment_markdown(source: str) -> Segmented:
    """Cut a Markdown document into literal pieces and prose slots."""
    return _MarkdownSegmenter(source).segment()


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
