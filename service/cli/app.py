"""The root Typer app, and the one place where errors become a CLI error line."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from service.errors import BriefsError

EXIT_ERROR = 1
EXIT_BROKEN_PIPE = 141  # what a shell reports for a command killed by SIGPIPE


class BriefsGroup(TyperGroup):
    """Turns a ``BriefsError`` or an ``OSError`` from a subcommand into one line, exit 1."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except BriefsError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_ERROR) from None
        except BrokenPipeError:
            # The reader went away (`briefs translate ... | head`): nothing left to say to it.
            _silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except OSError as exc:
            typer.echo(f"error: {_os_error_line(exc)}", err=True)
            raise typer.Exit(EXIT_ERROR) from None


def _os_error_line(exc: OSError) -> str:
    """``No space left on device: /out/a.txt`` rather than a traceback."""
    message = exc.strerror or str(exc)
    names = [str(name) for name in (exc.filename, exc.filename2) if name is not None]
    return ": ".join([message, *names])


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's flush at exit does not fail on the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test runner's buffer): nothing will flush to the pipe


class _LineFormatter(logging.Formatter):
    """``warning: message``, like the command's own warning lines."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {super().format(record)}"


class _EchoHandler(logging.Handler):
    """Writes log lines to the current stderr (click's, so test runners capture them)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            typer.echo(self.format(record), err=True)
        except Exception:
            self.handleError(record)


def _configure_logging(level: str) -> None:
    """Send the ``service`` loggers to stderr at ``level``; installs one handler per process."""
    logger = logging.getLogger("service")
    logger.setLevel(level.upper())
    if not any(isinstance(handler, _EchoHandler) for handler in logger.handlers):
        handler = _EchoHandler()
        handler.setFormatter(_LineFormatter())
        logger.addHandler(handler)


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
    from service.config import get_settings

    _configure_logging(get_settings().log_level)


def main() -> None:
    """Console-script entry point."""
    app()
