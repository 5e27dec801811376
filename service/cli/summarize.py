"""`briefs summarize`: a short and/or long summary of one article, in its own language."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import typer

from service.cli.options import LanguageChoice, MethodChoice

if TYPE_CHECKING:
    from service.config import Settings
    from service.summarize.base import Length, Summary

LengthChoice = Literal["short", "long", "both"]
_HTML = (".html", ".htm")


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the root app."""
    app.command("summarize")(summarize)


def summarize(
    path: str = typer.Argument(
        ...,
        metavar="PATH|-",
        help="An article: a .txt or .md file (each line a paragraph), an .html page, "
        "or - for standard input.",
        show_default=False,
    ),
    length: LengthChoice = typer.Option("both", "--length", help="Which summary to write."),
    language: LanguageChoice = typer.Option(
        "auto", "--language", help="The article's language; auto detects it."
    ),
    method: MethodChoice | None = typer.Option(
        None,
        "--method",
        help="extractive (picks sentences, no model) or abstractive (needs an installed "
        "summarizer model). Default: BRIEFS_SUMMARIZER.",
        show_default=False,
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of plain text."),
) -> None:
    """Summarize an English or Spanish article in its own language."""
    from service.config import get_settings
    from service.summarize.base import LENGTHS
    from service.summarize.factory import build_summarizer
    from service.text.detect import declared_mismatch, resolve_language

    settings = get_settings()
    text = _read(path, settings)
    lang = resolve_language(text, language)
    mismatch = declared_mismatch(text, language)
    if mismatch:
        typer.echo(f"warning: {mismatch}", err=True)
    summarizer = build_summarizer(settings, method)
    lengths: tuple[Length, ...] = LENGTHS if length == "both" else (length,)
    summaries = {one: summarizer.summarize(text, lang, one) for one in lengths}
    for summary in summaries.values():
        for warning in summary.warnings:
            typer.echo(f"warning: {summary.length} summary: {warning}", err=True)
    if as_json:
        typer.echo(json.dumps(_as_json(summaries, language), ensure_ascii=False, indent=2))
    elif len(summaries) == 1:
        typer.echo(next(iter(summaries.values())).text)
    else:
        blocks = [f"{one.capitalize()} summary:\n{s.text}" for one, s in summaries.items()]
        typer.echo("\n\n".join(blocks))


# stdin has no suffix: a document that opens like HTML is read as HTML, as a .html file is.
_HTML_START = re.compile(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|main|div|p|h[1-6])[\s>]",
    re.IGNORECASE | re.DOTALL,
)


def _read(path: str, settings: Settings) -> str:
    """The article's text from a file or stdin; domain errors for anything unreadable."""
    from service.errors import EmptyInput, InputTooLarge, InvalidInput
    from service.jobs.readers import read_html
    from service.limits import check_sizes
    from service.text.utf8 import decode_utf8

    if path == "-":
        data = sys.stdin.buffer.read()
        suffix = ""
    else:
        file = Path(path)
        if file.is_dir():
            raise InvalidInput(
                f"{path} is a folder; summarize takes one article",
                hint="use `briefs brief FOLDER` for a folder of articles",
            )
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
        suffix = file.suffix.lower()
    limit = settings.max_text_chars
    if len(data) > 4 * limit:  # UTF-8 spends at most 4 bytes a character: no need to decode
        raise InputTooLarge(
            f"the article is longer than the limit of {limit:,} characters "
            f"(BRIEFS_MAX_TEXT_CHARS={limit:,})",
            hint="split the text or raise BRIEFS_MAX_TEXT_CHARS",
        )
    is_html = suffix in _HTML or (path == "-" and _HTML_START.match(data[:1024]) is not None)
    text = read_html(data).text if is_html else decode_utf8(data)
    check_sizes([text], settings, what="article")
    if not text.strip():
        raise EmptyInput("the article is empty")
    return text


def _as_json(summaries: dict[Length, Summary], requested: str) -> dict[str, object]:
    first = next(iter(summaries.values()))
    return {
        "language": first.language,
        "language_detected": requested == "auto",
        "method": first.method,
        "model": first.model,
        "summaries": {
            length: {
                "text": summary.text,
                "sentences": summary.sentences,
                "words": len(summary.text.split()),
                "warnings": summary.warnings,
            }
            for length, summary in summaries.items()
        },
    }
