"""Markdown for people: a side-by-side English | Spanish brief and the folder's index.

The layout lives in templates under ``prompts/`` (``brief.md.txt``, ``index.md.txt``, read by
``service.text.prompts``); this module only fills them in, escaping table cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from service.briefs import Brief
from service.languages import LANGUAGE_NAMES
from service.text.prompts import PromptTemplate

BRIEF_TEMPLATE = "brief.md"  # prompts/brief.md.txt
INDEX_TEMPLATE = "index.md"  # prompts/index.md.txt


def cell(text: str | None) -> str:
    """Make text safe inside a Markdown table cell: one line, pipes escaped."""
    if not text:
        return "—"
    lines = [line.strip() for line in text.replace("\\", "\\\\").splitlines()]
    return "<br>".join(line for line in lines if line).replace("|", "\\|")


def render_brief(template: PromptTemplate, brief: Brief, source: str) -> str:
    """The Markdown brief of one article, from ``brief.md.txt``."""
    own = brief.en if brief.source_language == "en" else brief.es
    translation = brief.engines.translation
    about = (
        f"Source: {source} · written in {LANGUAGE_NAMES[brief.source_language]} · "
        f"translated by {translation.engine} ({translation.model}) · "
        f"summaries: {brief.engines.summary.method}"
    )
    notes = "".join(f"\n> **Note:** {' '.join(w.split())}\n" for w in brief.warnings)
    if brief.full_translation is not None:
        full = brief.full_translation
        notes += f"\n## Full translation ({LANGUAGE_NAMES[full.language]})\n\n{full.text.strip()}\n"
    text = template.render(
        title=" ".join((own.title or source).split()),
        about=about.replace("_", "\\_"),
        en_title=cell(brief.en.title),
        es_title=cell(brief.es.title),
        en_short=cell(brief.en.short),
        es_short=cell(brief.es.short),
        en_long=cell(brief.en.long),
        es_long=cell(brief.es.long),
        notes=notes,
    )
    return text.rstrip("\n") + "\n"


@dataclass(frozen=True)
class IndexRow:
    """One brief in the index."""

    source: str  # the article's key
    link: str  # relative path of its brief
    language: str
    en_title: str | None
    es_title: str | None


def render_index(template: PromptTemplate, rows: Sequence[IndexRow]) -> str:
    """The folder's ``index.md``, from ``index.md.txt``."""
    lines = [
        f"| [{cell(row.source)}]({_link(row.link)}) | {row.language} | "
        f"{cell(row.en_title)} | {cell(row.es_title)} |"
        for row in rows
    ]
    text = template.render(count=len(rows), rows="\n".join(lines))
    return text.rstrip("\n") + "\n"


def _link(path: str) -> str:
    return path.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
