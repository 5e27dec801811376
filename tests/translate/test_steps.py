"""Translation as steps (``service.translate.steps``): the same results with the engine
called in the caller's thread (``drive``) or awaited on an event loop (``drive_async``)."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from service.config import Settings
from service.errors import InvalidInput
from service.languages import Lang
from service.translate.base import DecodeOptions
from service.translate.batching import BatchingTranslator
from service.translate.document import DocumentTranslator, TranslationResult
from service.translate.glossary import Glossary, Term
from service.translate.steps import EngineCall, drive, drive_async
from service.translate.texts import translate_texts, translate_texts_async
from tests.translate.fakes import LoopingEngine, UpperEngine


@dataclass
class DroppingEngine(UpperEngine):
    """Loses glossary placeholders (``Zxq…``) the first time it sees a sentence."""

    def translate(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> list[str]:
        out = super().translate(texts, source, target, options)
        return [" ".join(w for w in text.split() if not w.startswith("ZXQ")) for text in out]


@dataclass
class ThreadRecordingEngine(UpperEngine):
    """Upper-cases, and records the thread each call ran in."""

    threads: list[int] | None = None

    def translate(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> list[str]:
        if self.threads is None:
            self.threads = []
        self.threads.append(threading.get_ident())
        return super().translate(texts, source, target, options)


GLOSSARY = Glossary((Term(en="task force", es="fuerza de tarea"),))
TEXTS = [
    "The task force met on Monday. A loop here.\n\nIt cost 5 dollars.",
    "Fine here.",
    "",
]


def _settings() -> Settings:
    return Settings(cache_size=0)


def _same(a: TranslationResult, b: TranslationResult) -> None:
    assert a.texts == b.texts
    assert a.checks == b.checks
    assert a.warnings == b.warnings
    assert (a.sentences, a.retried, a.engine_inputs) == (b.sentences, b.retried, b.engine_inputs)


@pytest.mark.parametrize("engine_type", [LoopingEngine, DroppingEngine])
def test_awaited_and_threaded_translations_are_the_same(engine_type: type[UpperEngine]) -> None:
    """Every engine call the text work makes (the main one, the degenerate-output retry, the
    second look at sentences whose placeholders were lost) is made either way."""
    threaded, awaited = engine_type(), engine_type()
    sync = DocumentTranslator(threaded, _settings()).translate(TEXTS, "en", "es", glossary=GLOSSARY)
    document = DocumentTranslator(awaited, _settings())
    result = asyncio.run(document.translate_async(TEXTS, "en", "es", glossary=GLOSSARY))
    _same(sync, result)
    assert threaded.batches == awaited.batches
    assert len(awaited.batches) == 2  # the first call, then the retry or the second look
    if engine_type is LoopingEngine:
        assert result.retried == 1
    else:
        assert any(check.kind == "term" for check in result.checks[0])


def test_texts_in_a_format_translate_the_same_awaited() -> None:
    html = ["<p>The <b>task force</b> met.</p>", "<p>Fine here.</p>"]
    threaded, awaited = UpperEngine(), UpperEngine()
    sync = translate_texts(
        DocumentTranslator(threaded, _settings()), html, source="en", target="es", fmt="html"
    )
    result = asyncio.run(
        translate_texts_async(
            DocumentTranslator(awaited, _settings()), html, source="en", target="es", fmt="html"
        )
    )
    assert result.texts == sync.texts == ["<p>THE <b>TASK FORCE</b> MET.</p>", "<p>FINE HERE.</p>"]
    assert result.checks == sync.checks
    assert threaded.batches == awaited.batches


def test_an_engine_error_surfaces_from_inside_the_steps() -> None:
    """The driver throws the engine's error into the steps, where it is raised as the
    engine raised it (the steps could clean up on the way)."""

    class Failing(UpperEngine):
        def translate(
            self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
        ) -> list[str]:
            raise InvalidInput("no")

    cleaned: list[str] = []

    def steps():  # type: ignore[no-untyped-def]
        try:
            yield EngineCall(["a"], "en", "es")
        finally:
            cleaned.append("yes")

    with pytest.raises(InvalidInput, match="no"):
        drive(steps(), Failing())
    assert cleaned == ["yes"]
    with pytest.raises(InvalidInput, match="no"):
        asyncio.run(drive_async(steps(), Failing()))
    assert cleaned == ["yes", "yes"]


def test_an_engine_without_translate_async_runs_off_the_event_loop() -> None:
    engine = ThreadRecordingEngine()
    document = DocumentTranslator(engine, _settings())

    async def run() -> tuple[int, TranslationResult]:
        return threading.get_ident(), await document.translate_async(["Fine here."], "en", "es")

    loop_thread, result = asyncio.run(run())
    assert result.texts == ["FINE HERE."]
    assert engine.threads and loop_thread not in engine.threads


def test_the_batcher_is_awaited_without_a_thread_of_the_callers() -> None:
    """Behind the batcher, awaiting callers share one engine batch and hold no thread while
    they wait: 8 of them finish on a loop with a thread pool of one thread, held busy."""
    engine = ThreadRecordingEngine()
    batcher = BatchingTranslator(engine, Settings(batch_wait_ms=300), workers=1)  # room for all 8
    document = DocumentTranslator(batcher, _settings())
    release = threading.Event()

    async def run() -> list[TranslationResult]:
        loop = asyncio.get_running_loop()
        loop.set_default_executor(ThreadPoolExecutor(1))
        blocked = loop.run_in_executor(None, release.wait, 10)  # the only thread, held
        try:
            callers = (document.translate_async([f"Sentence {i}."], "en", "es") for i in range(8))
            return await asyncio.wait_for(asyncio.gather(*callers), 10)
        finally:
            release.set()
            await blocked

    try:
        results = asyncio.run(run())
    finally:
        batcher.close()
    assert [r.texts for r in results] == [[f"SENTENCE {i}."] for i in range(8)]
    assert len(engine.batches) == 1 and len(engine.batches[0]) == 8
