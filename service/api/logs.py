"""Log setup for the app: the ``service.*`` loggers write to stderr at BRIEFS_LOG_LEVEL."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to the current ``sys.stderr``, looked up per record (test captures swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(level: str) -> None:
    """Set the ``service`` logger's level; give it a stderr handler unless it has one.

    Safe to call once per app: a process that builds several apps (tests, or ``briefs
    serve``, whose CLI already installed its own handler) still writes each line once.
    """
    logger = logging.getLogger("service")
    logger.setLevel(level.upper())
    if not logger.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
