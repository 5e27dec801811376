"""Log setup for the app: the ``service.*`` loggers write to stderr at BRIEFS_LOG_LEVEL, and
no API key sent in a query string (``?api_key=...``, LibreTranslate's way) reaches a log."""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
_QUERY_KEY = re.compile(r"(?i)([?&]api_key=)[^&\s]*")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` with the value of every ``api_key`` query parameter replaced."""
    return _QUERY_KEY.sub(lambda m: m.group(1) + REDACTED, text)


class RedactKeys(logging.Filter):
    """Rewrites a record's arguments (uvicorn's access line has the path with its query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


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
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactKeys) for f in access.filters):
        access.addFilter(RedactKeys())
    logger = logging.getLogger("service")
    logger.setLevel(level.upper())
    if not logger.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(handler)
