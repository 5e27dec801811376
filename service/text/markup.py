"""Translate HTML and Markdown without touching their markup.

A document is cut into literal pieces (tags, attributes, entities, code, link targets) and
text slots (``service.text.slots``). Only the slots go to the translator, all slots of all
documents in one call, and the translations are put back between the untouched pieces. HTML
is read with the standard library's ``html.parser`` (``html_slots``) and Markdown with
markdown-it-py's token stream (``markdown_slots``); both keep source positions, so
everything that is not translated stays byte for byte as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from service.text.formats import FORMATS, Format
from service.text.slots import Segmented

__all__ = [
    "FORMATS",
    "Format",
    "Segmented",
    "render_segmented",
    "segment",
    "segmented_inputs",
    "translate_documents",
    "translate_segmented",
]


def segment(text: str, fmt: Format) -> Segmented:
    """Cut ``text`` into literal pieces and translatable slots for its format."""
    if fmt == "html":
        from service.text.html_slots import segment_html

        return segment_html(text)
    if fmt == "markdown":
        from service.text.markdown_slots import segment_markdown

        return segment_markdown(text)
    doc = Segmented()
    doc.add_text(text)
    return doc


def translate_documents(
    texts: list[str], fmt: Format, translate: Callable[[list[str]], list[str]]
) -> list[str]:
    """Translate the prose of every document with ONE call to ``translate``."""
    return translate_segmented([segment(text, fmt) for text in texts], translate)


def translate_segmented(
    docs: list[Segmented], translate: Callable[[list[str]], list[str]]
) -> list[str]:
    """Render each segmented document with its slots translated, in ONE ``translate`` call."""
    inputs = segmented_inputs(docs)
    return render_segmented(docs, translate(inputs) if inputs else [])


def segmented_inputs(docs: list[Segmented]) -> list[str]:
    """What ``docs`` need translated, in one list: every slot of every document, then the text
    of each inline element (so a run's tags can be put back around their words); none when
    the documents have no slots."""
    slots = [slot for doc in docs for slot in doc.texts()]
    spans = [text for doc in docs for text in doc.span_texts()]
    return slots + spans if slots else []


def render_segmented(docs: list[Segmented], translated: list[str]) -> list[str]:
    """Each document rendered with ``translated`` (``segmented_inputs``'s translations)."""
    slot_count = sum(len(doc.slots) for doc in docs)
    out: list[str] = []
    start, span_start = 0, slot_count
    for doc in docs:
        count, span_count = len(doc.slots), len(doc.span_texts())
        out.append(
            doc.render(
                translated[start : start + count],
                translated[span_start : span_start + span_count],
            )
        )
        start += count
        span_start += span_count
    return out
