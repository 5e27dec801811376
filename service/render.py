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
    marks, footnotes = _check_footnotes(brief)
    if brief.full_translation is not None:
        full = brief.full_translation
        notes += (
            f"\n## Full translation ({LANGUAGE_NAMES[full.language]}){marks['full_translation']}"
            f"\n\n{full.text.strip()}\n"
        )
    translated = "es" if brief.source_language == "en" else "en"
    fields = {
        f"{lang}_{part}": cell(getattr(side, part)) + (marks[part] if lang == translated else "")
        for lang, side in (("en", brief.en), ("es", brief.es))
        for part in ("title", "short", "long")
    }
    text = template.render(
        title=" ".join((own.title or source).split()),
        about=about.replace("_", "\\_"),
        notes=notes + footnotes,
        **fields,
    )
    return text.rstrip("\n") + "\n"


_PART_NAMES = {
    "title": "Title",
    "short": "Short summary",
    "long": "Long summary",
    "full_translation": "Full translation",
}


def _check_footnotes(brief: Brief) -> tuple[dict[str, str], str]:
    """Footnote marks per part of the translated side, and the footnotes themselves."""
    marks = dict.fromkeys(_PART_NAMES, "")
    lines: list[str] = []
    for number, check in enumerate(brief.checks, start=1):
        marks[check.part] += f"[^check{number}]"
        lines.append(
            f"[^check{number}]: {_PART_NAMES[check.part]}, sentence {check.sentence + 1}, "
            f"{check.kind}: {' '.join(check.message.split())}"
        )
    footnotes = "\n**Checks** on the translation:\n\n" + "\n".join(lines) + "\n" if lines else ""
    return marks, footnotes


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
