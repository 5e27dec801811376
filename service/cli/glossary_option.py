"""The ``--glossary FILE`` option that ``translate`` and ``brief`` share, and the check report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from service.config import Settings
    from service.translate.checks import Check

GLOSSARY = typer.Option(
    None,
    "--glossary",
    help="A glossary (CSV/TSV/JSON, header en,es; equal cells protect a name), used instead "
    "of BRIEFS_GLOSSARY.",
    show_default=False,
)
SHOWN_CHECKS = 20  # per run on stderr; the rest are counted


def settings_with_glossary(settings: Settings, glossary: Path | None) -> Settings:
    """The settings, with ``--glossary`` in place of BRIEFS_GLOSSARY; the file is read now, so
    a malformed one fails before any engine loads."""
    if glossary is None:
        return settings
    from service.translate.glossary import load_glossary

    load_glossary(glossary)
    return settings.model_copy(update={"glossary": glossary.resolve()})


def report_checks(name: str, checks: Iterable[Check]) -> None:
    """One stderr line per check (up to SHOWN_CHECKS), then a count by kind."""
    found = list(checks)
    for check in found[:SHOWN_CHECKS]:
        typer.echo(
            f"check: {name}: sentence {check.sentence + 1}: {check.kind}: {check.message}",
            err=True,
        )
    if found:
        typer.echo(f"checks: {name}: {count_line(Counter(c.kind for c in found))}", err=True)


def count_line(kinds: Counter[str]) -> str:
    """``"3 (2 date, 1 number)"``."""
    total = sum(kinds.values())
    parts = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
    return f"{total} ({parts})"
