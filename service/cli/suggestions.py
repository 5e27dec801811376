"""`briefs suggestions export`: the suggestions users sent to POST /suggest, for editors.

JSON lines (one suggestion a line: id, time, source, target, text, suggestion, key), or with
``--glossary`` glossary rows (``en,es``, the format ``BRIEFS_GLOSSARY`` and ``--glossary``
read) made of the short ones: terms and names an editor checks, then adds to the glossary.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from service.suggestions import Suggestion

suggestions_app = typer.Typer(help="Suggestions sent to POST /suggest (BRIEFS_SUGGESTIONS).")


@suggestions_app.command("export")
def export(
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write to this file (atomically) instead of stdout."
    ),
    glossary: bool = typer.Option(
        False,
        "--glossary",
        help="Write glossary CSV rows (en,es) of the short suggestions instead of JSON lines.",
    ),
    max_words: int = typer.Option(
        6, "--max-words", min=1, help="With --glossary: the most words a term may have."
    ),
) -> None:
    """Export the stored suggestions (BRIEFS_DATA_DIR) as JSON lines or glossary rows."""
    from service.config import get_settings
    from service.suggestions import SuggestionStore, suggestions_path

    with SuggestionStore(suggestions_path(get_settings()), create=False) as store:
        found = list(store.all())
    data = (_glossary_csv(found, max_words) if glossary else _jsonl(found)).encode("utf-8")
    if out is None:
        stdout = typer.get_binary_stream("stdout")
        stdout.write(data)
        stdout.flush()
        return
    from service.jobs.atomic import write_atomic

    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, data)
    what = "glossary rows" if glossary else "suggestions"
    typer.echo(f"{len(found)} suggestions -> {what} in {out}", err=True)


def _jsonl(found: list[Suggestion]) -> str:
    import json

    return "".join(json.dumps(s.to_json(), ensure_ascii=False) + "\n" for s in found)


def _glossary_csv(found: list[Suggestion], max_words: int) -> str:
    """``en,es`` rows of the suggestions short enough to be terms, each pair once (the
    latest suggestion for a text wins)."""
    import csv
    import io

    from service.translate.glossary import MAX_TERM_CHARS

    rows: dict[str, tuple[str, str]] = {}
    for s in found:
        text, suggestion = " ".join(s.text.split()), " ".join(s.suggestion.split())
        if any(len(t.split()) > max_words or len(t) > MAX_TERM_CHARS for t in (text, suggestion)):
            continue
        en, es = (text, suggestion) if s.source == "en" else (suggestion, text)
        rows[f"{s.source}:{text.casefold()}"] = (en, es)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["en", "es"])
    writer.writerows(rows.values())
    return buffer.getvalue()


def register(app: typer.Typer) -> None:
    """Add the `suggestions` command group to the root app."""
    app.add_typer(suggestions_app, name="suggestions")
