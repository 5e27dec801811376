"""Markdown for people: a side-by-side English | Spanish brief and the folder's index.

The layout lives in templates under ``prompts/`` (``brief.md.txt``, ``index.md.txt``,
``string.Template`` syntax); this module only fills them in, escaping table cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template

from service.briefs import Brief
from service.errors import BriefsError
from service.languages import LANGUAGE_NAMES

BRIEF_TEMPLATE = "brief.md.txt"
INDEX_TEMPLATE = "index.md.txt"


class TemplateMissing(BriefsError):
    status_code = 500
    code = "template_missing"


def load_template(prompts_dir: Path, name: str) -> Template:
    """Load ``prompts_dir/name`` as a ``string.Template``."""
    try:
        return Template((prompts_dir / name).read_text(encoding="utf-8"))
    except OSError as exc:
        raise TemplateMissing(
            f"cannot read the template {name} in {prompts_dir}: {exc.strerror}",
            hint="set BRIEFS_PROMPTS_DIR to the folder holding the templates",
        ) from None


def cell(text: str | None) -> str:
    """Make text safe inside a Markdown table cell: one line, pipes escaped."""
    if not text:
        return "—"
    lines = [line.strip() for line in text.replace("\\", "\\\\").splitlines()]
    return "<br>".join(line for line in lines if line).replace("|", "\\|")


def render_brief(template: Template, brief: Brief, source: str) -> str:
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
    text = template.substitute(
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


def render_index(template: Template, rows: Sequence[IndexRow]) -> str:
    """The folder's ``index.md``, from ``index.md.txt``."""
    lines = [
        f"| [{cell(row.source)}]({_link(row.link)}) | {row.language} | "
        f"{cell(row.en_title)} | {cell(row.es_title)} |"
        for row in rows
    ]
    text = template.substitute(count=len(rows), rows="\n".join(lines))
    return text.rstrip("\n") + "\n"


def _link(path: str) -> str:
    return path.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
