"""`briefs keys add`: a new API key, its hash appended to the keys file, the key shown once."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import typer

keys_app = typer.Typer(help="API keys for `briefs serve` (BRIEFS_API_KEYS_FILE).")
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@keys_app.command("add")
def add(
    name: str = typer.Argument(..., help="A name for the key, shown in logs and errors."),
    file: Path = typer.Option(..., "--file", help="The keys file (BRIEFS_API_KEYS_FILE)."),
    rate: str | None = typer.Option(None, "--rate", help="Its rate, e.g. 10/second;1000/day."),
    chars: str | None = typer.Option(None, "--chars", help="Its quota, e.g. 200000/day."),
) -> None:
    """Make a key, append its SHA-256 (never the key) to FILE, and print the key once.

    The server picks the new line up within a second, without a restart.
    """
    from service.api.keys import HASH_PREFIX, key_hash, parse_keys_file
    from service.config import SettingsError

    if not _NAME.match(name):
        raise SettingsError(f"the name {name!r} must be 1-64 letters, digits, '.', '_' or '-'")
    key = secrets.token_urlsafe(32)
    line = " ".join(
        [name, HASH_PREFIX + key_hash(key)]
        + ([f"rate={rate}"] if rate else [])
        + ([f"chars={chars}"] if chars else [])
    )
    existing = file.read_text(encoding="utf-8") if file.exists() else ""
    names = {line.split()[0] for line in existing.splitlines() if line.split("#", 1)[0].strip()}
    if name in names:
        raise SettingsError(f"{file} already has a key named {name!r}")
    separator = "" if not existing or existing.endswith("\n") else "\n"
    parse_keys_file(existing + separator + line + "\n", str(file))  # refuse a bad limit first
    with file.open("a", encoding="utf-8") as out:
        out.write(separator + line + "\n")
    typer.echo(key)
    typer.echo(f"added {name!r} to {file}; the key is shown only now", err=True)


def register(app: typer.Typer) -> None:
    """Add the `keys` command group to the root app."""
    app.add_typer(keys_app, name="keys")
