"""Translation as steps: the text work written once, run with or without an event loop.

Splitting, protection, the cache, reassembly and the checks are plain Python; only the engine
call waits. ``DocumentTranslator`` (and ``translate_texts`` above it) are written as
generators that *yield* each ``EngineCall`` and get its translations sent back. ``drive``
answers the calls in the caller's thread (the CLI, the jobs, a route on the thread pool);
``drive_async`` awaits them (a route on the event loop, whose sentences join the batcher's
shared batches without holding a thread while they wait).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TypeVar

from service.languages import Lang
from service.translate.base import DecodeOptions, Translator, translate_async

T = TypeVar("T")


@dataclass(frozen=True)
class EngineCall:
    """One call the steps need answered: these sentences, translated in this direction."""

    texts: list[str]
    source: Lang
    target: Lang
    options: DecodeOptions | None = None


# Yields engine calls, is sent each call's translations (one per text), returns a T.
Steps = Generator[EngineCall, list[str], T]


def drive(steps: Steps[T], translator: Translator) -> T:
    """Run ``steps``, answering each engine call with ``translator`` in this thread."""
    try:
        call = next(steps)
        while True:
            try:
                out = translator.translate(call.texts, call.source, call.target, call.options)
            except BaseException as exc:
                call = steps.throw(exc)
            else:
                call = steps.send(out)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


async def drive_async(steps: Steps[T], translator: Translator) -> T:
    """Run ``steps``, awaiting each engine call (``base.translate_async``). The steps between
    calls run on the caller's event loop: give it only inputs that are cheap to prepare."""
    try:
        call = next(steps)
        while True:
            try:
                out = await translate_async(
                    translator, call.texts, call.source, call.target, call.options
                )
            except BaseException as exc:
                call = steps.throw(exc)
            else:
                call = steps.send(out)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
