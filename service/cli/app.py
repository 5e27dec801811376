"""The root Typer app, and the one place where domain errors become a CLI error line."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from service.errors import BriefsError

EXIT_ERROR = 1


class BriefsGroup(TyperGroup):
    """Turns any ``BriefsError`` raised by a subcommand into one readable line, exit 1."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BriefsError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_ERROR) from None


app = typer.Typer(
    cls=BriefsGroup,
    name="briefs",
    help="Parallel English/Spanish news briefs: summaries and Opus-MT translation.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _show_version(value: bool) -> None:
    if value:
        from service import __version__

        typer.echo(f"briefs {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Parallel English/Spanish news briefs: summaries and Opus-MT translation."""


def main() -> None:
    """Console-script entry point."""
    app()
