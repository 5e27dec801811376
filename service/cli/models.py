"""`briefs models`: pull Opus-MT from the hub, import a local folder, list what is installed."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from service.models.store import InstalledModel, ModelStore

models_app = typer.Typer(
    help="Install and list models: Opus-MT translation (converted to CTranslate2), summarizers.",
    no_args_is_help=True,
)


class PullTarget(StrEnum):
    en_es = "en-es"
    es_en = "es-en"
    all = "all"


class Pair(StrEnum):
    en_es = "en-es"
    es_en = "es-en"


def _progress(message: str) -> None:
    typer.echo(message, err=True)


def _store() -> ModelStore:
    from service.config import get_settings
    from service.models.store import ModelStore

    return ModelStore.from_settings(get_settings())


@models_app.command("pull")
def pull(
    target: PullTarget = typer.Argument(PullTarget.all, help="Which direction to download."),
    no_convert: bool = typer.Option(
        False, "--no-convert", help="Keep only the Hugging Face files; skip CTranslate2."
    ),
    summarizer: str | None = typer.Option(
        None,
        "--summarizer",
        metavar="NAME",
        help="Instead: download the hub seq2seq model NAME (T5/mT5/mT0/BART, e.g. "
        "bigscience/mt0-small) for abstractive summaries.",
    ),
) -> None:
    """Download Helsinki-NLP/opus-mt-en-es and/or opus-mt-es-en, then convert to CTranslate2."""
    if summarizer is not None:
        _pull_summarizer(summarizer)
        return
    store = _store()
    pairs = [p.value for p in Pair] if target is PullTarget.all else [target.value]
    for pair in pairs:
        store.pull(pair, convert=not no_convert, report=_progress)


@models_app.command("import")
def import_(
    path: Path = typer.Argument(..., help="A Hugging Face Marian folder (the hub's layout)."),
    pair: Pair | None = typer.Option(
        None, "--pair", help="Direction of the model; read from the folder when left out."
    ),
    no_convert: bool = typer.Option(
        False, "--no-convert", help="Keep only the Hugging Face files; skip CTranslate2."
    ),
    summarizer: str | None = typer.Option(
        None,
        "--summarizer",
        metavar="NAME",
        help="Instead: install the folder as the summarizer model NAME (a seq2seq "
        "T5/mT5/mT0/BART model) for abstractive summaries.",
    ),
) -> None:
    """Install a local Opus-MT folder (for machines without access to the hub)."""
    if summarizer is not None:
        _import_summarizer(path, summarizer)
        return
    _store().import_folder(
        path, pair.value if pair else None, convert=not no_convert, report=_progress
    )


@models_app.command("convert")
def convert(
    target: PullTarget = typer.Argument(PullTarget.all, help="Which installed direction."),
) -> None:
    """(Re)build the CTranslate2 int8 conversion of installed models (after --no-convert)."""
    from service.errors import ModelNotAvailable

    store = _store()
    if target is PullTarget.all:
        pairs = [m.name for m in store.list("translation")]
    else:
        pairs = [target.value]
    if not pairs:
        raise ModelNotAvailable(
            f"no models are installed in {store.root}",
            hint="run `briefs models pull` or `briefs models import PATH --pair en-es`",
        )
    for pair in pairs:
        store.convert(pair, report=_progress)


@models_app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Show installed models, translation and summarizers: formats, size on disk, origin."""
    store = _store()
    models = store.list()
    if as_json:
        typer.echo(json.dumps([_row(m) for m in models], indent=2))
        return
    if not models:
        typer.echo(f"no models in {store.root}: run `briefs models pull` or `briefs models import`")
        return
    typer.echo(f"{'MODEL':<24} {'KIND':<11} {'FORMATS':<13} {'SIZE':>9}  ORIGIN")
    for m in models:
        size = f"{m.size_bytes() / 1e6:.1f} MB"
        typer.echo(f"{m.name:<24} {m.kind:<11} {','.join(m.formats):<13} {size:>9}  {m.origin}")


def _row(model: InstalledModel) -> dict[str, object]:
    return {
        "kind": model.kind,
        "name": model.name,
        "pair": model.name if model.kind == "translation" else None,
        "model_type": model.model_type,
        "formats": model.formats,
        "size_bytes": model.size_bytes(),
        "origin": model.origin,
        "origin_type": model.origin_type,
        "installed_at": model.installed_at,
        "path": str(model.path),
    }


def _pull_summarizer(name: str) -> None:
    installed = _store().pull_summarizer(name, report=_progress)
    typer.echo(f"installed summarizer {installed.name} ({installed.model_type}): {installed.path}")


def _import_summarizer(path: Path, name: str) -> None:
    installed = _store().import_summarizer(path, name, report=_progress)
    typer.echo(f"installed summarizer {installed.name} ({installed.model_type}): {installed.path}")


def register(app: typer.Typer) -> None:
    """Add the `models` command group to the root app."""
    app.add_typer(models_app, name="models")
