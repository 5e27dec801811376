"""The size limits every way in shares: items per request, characters per text, and the XML
an uploaded .docx may hold for that many characters."""

from __future__ import annotations

from service.config import Settings
from service.errors import InputTooLarge

# The XML an uploaded .docx may hold: its styles, settings and theme (Word's own template
# takes about 1 MB), and this many bytes a character of prose (Word's markup takes about 25
# with every word formatted apart). Far more is markup, not prose: a zip bomb, refused
# before it is parsed.
DOCX_XML_BASE_BYTES = 2_000_000
DOCX_XML_BYTES_PER_CHAR = 100


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


def docx_xml_limit(settings: Settings) -> int:
    """The XML a .docx may unpack to for BRIEFS_MAX_TEXT_CHARS characters of prose."""
    return DOCX_XML_BASE_BYTES + DOCX_XML_BYTES_PER_CHAR * settings.max_text_chars
