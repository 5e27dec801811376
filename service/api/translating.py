"""Where a request's texts are translated: on the event loop, or on a worker thread.

The engine never runs on the event loop: it runs in the batcher's workers. What a request
adds around it (splitting, protection, the cache, reassembly, the checks) is plain Python.
For a small input it costs less than handing the request to a thread and back (a one-sentence
request: about 0.15 ms of text work against 0.3 ms of CPU for the hop, under load), so a
small input is prepared on the loop and awaits its engine call there (``translate_texts_async``).
A large input would hold the loop (sentence splitting costs about 3 µs a character), and
alternatives make a second, blocking engine call: those run on the thread pool.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from starlette.concurrency import run_in_threadpool

from service.languages import Lang, LangOrAuto
from service.text.markup import Format
from service.translate.document import DocumentTranslator
from service.translate.glossary import Glossary
from service.translate.texts import TextsTranslation, translate_texts, translate_texts_async

# Characters (texts and request glossary together) prepared on the event loop. Preparing and
# checking 500 characters of prose took 2.2-3.0 ms (en, es, HTML); 300 hold the loop about
# 1.5 ms at most, and cover one-sentence requests and short paragraphs.
LOOP_CHARS = 300


def on_loop(texts: list[str], glossary: Glossary | None, alternatives: int) -> bool:
    """Whether a request this size is prepared on the event loop."""
    terms = glossary.terms if glossary else ()
    size = sum(map(len, texts)) + sum(len(term.en) + len(term.es) for term in terms)
    return not alternatives and size <= LOOP_CHARS


async def translate_request(
    translator: DocumentTranslator,
    texts: list[str],
    *,
    source: LangOrAuto,
    target: Lang,
    fmt: Format = "text",
    glossary: Glossary | None = None,
    keep_same_language: bool = False,
    alternatives: int = 0,
) -> TextsTranslation:
    """``translate_texts`` for a request: on the loop when small (``on_loop``), otherwise on
    a worker thread."""
    how: dict[str, Any] = {
        "source": source,
        "target": target,
        "fmt": fmt,
        "keep_same_language": keep_same_language,
        "glossary": glossary,
    }
    if on_loop(texts, glossary, alternatives):
        return await translate_texts_async(translator, texts, **how)
    run = partial(translate_texts, translator, texts, alternatives=alternatives, **how)
    return await run_in_threadpool(run)
