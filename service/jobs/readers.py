"""Article readers, one per input format; each turns a file's bytes into ``Article``s.

- ``.txt``: UTF-8; the first non-empty line is the title when it reads as a headline
  (``service.text.headline``, the rule ``POST /v1/briefs`` uses too), the rest the text.
- ``.md``: UTF-8; the first level-1 heading is the title; the rest stays Markdown.
- ``.json``: ``{"title", "text", "language"?}``, or a list of such objects (several articles).
- ``.jsonl``: one such object per line, with an optional ``id`` (see ``articles``).
- ``.html``/``.htm``: the main text and title extracted by trafilatura (navigation, footers
  and comments dropped); the encoding comes from the page.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from service.briefs import Article
from service.errors import EmptyInput, InvalidInput
from service.languages import LangOrAuto
from service.text.headline import split_headline
from service.text.utf8 import decode_utf8

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
ARTICLE_SUFFIXES = (*TEXT_SUFFIXES, ".json", ".jsonl")


class ArticleRecord(BaseModel):
    """One article in a ``.json`` file."""

    model_config = ConfigDict(extra="ignore")

    title: str | None = None
    text: str = Field(min_length=1)
    language: LangOrAuto = "auto"

    def to_article(self) -> Article:
        """The pipeline's article."""
        return Article(text=self.text, title=self.title, language=self.language)


def read_text_article(data: bytes, suffix: str) -> Article:
    """Read a ``.txt``, ``.md`` or ``.html`` article."""
    suffix = suffix.lower()
    if suffix == ".txt":
        return read_txt(decode_utf8(data))
    if suffix == ".md":
        return read_markdown(decode_utf8(data))
    if suffix in (".html", ".htm"):
        return read_html(data)
    raise InvalidInput(f"unsupported article format {suffix!r}")


def read_txt(content: str) -> Article:
    """The headline line (when the first line reads as one): the title; the rest: the text."""
    if not content.strip():
        raise EmptyInput("the file is empty")
    title, rest = split_headline(content)
    return _article(rest.splitlines(), title)


def read_markdown(content: str) -> Article:
    """The first ``#`` heading is the title; the text keeps its Markdown minus that heading."""
    from markdown_it import MarkdownIt

    if not content.strip():
        raise EmptyInput("the file is empty")
    lines = content.splitlines()
    tokens = MarkdownIt("commonmark").parse(content)
    for at, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and token.map:
            title = tokens[at + 1].content.strip()
            start, end = token.map
            return _article(lines[:start] + lines[end:], title or None)
    return _article(lines, None)


def read_html(data: bytes) -> Article:
    """The page's main text and title, via trafilatura."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_tables=False
        )
    except ValueError as exc:
        raise InvalidInput(f"could not read the HTML: {exc}") from None
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not text:
        raise EmptyInput("no article text found in the HTML page")
    title = (getattr(document, "title", None) or "").strip() or None
    lines = text.splitlines()
    if title and lines and lines[0].strip() == title:
        lines = lines[1:]  # trafilatura keeps the page's <h1>, which repeats the title
    return _article(lines, title)


def parse_json_articles(data: bytes) -> list[dict[str, Any]] | dict[str, Any]:
    """Parse a ``.json`` article file: one object, or a list of objects."""
    try:
        value = json.loads(decode_utf8(data))
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"invalid JSON: {exc}") from None
    if isinstance(value, dict):
        return value
    if isinstance(value, list) and value:
        return value
    raise InvalidInput(
        "a .json article must be an object or a non-empty list of objects",
        hint='e.g. {"title": "...", "text": "...", "language": "en"}',
    )


def record_article(value: Any) -> Article:
    """Validate one JSON article object."""
    if not isinstance(value, dict):
        raise InvalidInput("an article must be a JSON object with at least a 'text' field")
    try:
        return ArticleRecord.model_validate(value).to_article()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'article'}: {err['msg']}"
            for err in exc.errors()
        )
        raise InvalidInput(f"invalid article: {problems}") from None


def _article(lines: list[str], title: str | None) -> Article:
    text = "\n".join(lines).strip()
    if not text:
        raise EmptyInput("the article has a title but no text" if title else "the file is empty")
    return Article(text=text, title=title)
