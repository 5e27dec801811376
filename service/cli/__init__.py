"""The ``briefs`` command. Each subcommand lives in its own module and registers itself here.

Heavy imports (torch, transformers, ctranslate2) happen inside the commands, so
``briefs --help`` is instant.
"""

from __future__ import annotations

from service.cli import brief, keys, models, serve, suggestions, summarize, translate
from service.cli.app import app, main

for _module in (translate, summarize, brief, models, keys, serve, suggestions):
    _module.register(app)

__all__ = ["app", "main"]
