"""The size limits every way in shares: items per request and characters per text."""

from __future__ import annotations

from service.config import Settings
from service.errors import InputTooLarge


def check_count(count: int, settings: Settings) -> None:
    """Raise InputTooLarge when a list has more items than BRIEFS_MAX_ITEMS."""
    if count > settings.max_items:
        raise InputTooLarge(
            f"{count:,} items in one request; the limit is BRIEFS_MAX_ITEMS={settings.max_items:,}",
            hint="send fewer items per request",
        )


def check_sizes(texts: list[str], settings: Settings, what: str = "text") -> None:
    """Raise InputTooLarge when a list or one of its texts is over the limits."""
    check_count(len(texts), settings)
    for index, text in enumerate(texts):
        if len(text) > settings.max_text_chars:
            where = f"{what} {index}" if len(texts) > 1 else f"the {what}"
            raise InputTooLarge(
                f"{where} has {len(text):,} characters; the limit is BRIEFS_MAX_TEXT_CHARS="
                f"{settings.max_text_chars:,}",
                hint="split the text or raise BRIEFS_MAX_TEXT_CHARS",
            )
