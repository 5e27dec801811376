"""The formats a text can be translated in (a light module: the CLI imports it for --help)."""

from __future__ import annotations

from typing import Literal

Format = Literal["text", "html", "markdown"]
FORMATS: tuple[Format, ...] = ("text", "html", "markdown")
