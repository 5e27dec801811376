"""The batcher with an engine that decodes on threads of its own (``StartingTranslator``):
callers awaiting on a loop are started from that loop and polled there, never through a
worker thread."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

import pytest

from service.config import Settings
from service.errors import EngineUnavailable, InvalidInput
from service.languages import Lang
from service.translate.base import DecodeOptions, EngineInfo
from service.translate.batching import BatchingTranslator


@dataclass
class _Running:
    """A started batch: done once its engine's gate is open."""

    texts: list[str]
    target: str
    gate: threading.Event
    poison: str | None

    def done(self) -> bool:
        return self.gate.is_set()

    def result(self) -> list[str]:
        if self.poison is not None and self.poison in self.texts:
            raise InvalidInput(f"cannot translate {self.poison!r}")
        return [f"{text}>{self.target}" for text in self.texts]


@dataclass
class StartingEngine:
    """Starts batches that finish when ``gate`` opens; ``room``: sentences a start may take
    (None: the direction cannot be started from a loop). Records starts and blocking calls."""

    name: str = "starting"
    room: int | None = 64
    gate: threading.Event = field(default_factory=threading.Event)
    poison: str | None = None
    started: list[list[str]] = field(default_factory=list)
    blocking: list[list[str]] = field(default_factory=list)
    gates: list[threading.Event] | None = None  # a gate of its own for each batch, closed

    def __post_init__(self) -> None:
        self.gate.set()

    def info(self, source: Lang, target: Lang) -> EngineInfo:
        return EngineInfo(self.name, f"{source}-{target}")

    def max_input_tokens(self, source: Lang, target: Lang) -> int | None:
        return None

    def count_tokens(self, texts: list[str], source: Lang, target: Lang) -> list[int]:
        return [len(text) for text in texts]

    def translate(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> list[str]:
        self.blocking.append(list(texts))
        return [f"{text}>{target}" for text in texts]

    def start_size(self, source: Lang, target: Lang, options: DecodeOptions | None) -> int | None:
        return self.room

    def start(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> _Running | None:
        if self.room is None or len(texts) > max(1, self.room):
            return None
        self.started.append(list(texts))
        gate = self.gate
        if self.gates is not None:
            gate = threading.Event()
            self.gates.append(gate)
        return _Running(list(texts), target, gate, self.poison)


def _batcher(engine: StartingEngine, **settings: float) -> BatchingTranslator:
    return BatchingTranslator(engine, Settings(**{"batch_wait_ms": 0, **settings}), workers=1)


async def _callers(
    batcher: BatchingTranslator, texts: list[str]
) -> list[list[str] | BaseException]:
    calls = [batcher.translate_async([text], "en", "es") for text in texts]
    return list(await asyncio.gather(*calls, return_exceptions=True))


def test_awaiting_callers_are_started_from_their_loop_and_share_a_batch() -> None:
    engine = StartingEngine()
    batcher = _batcher(engine)
    try:
        answers = asyncio.run(_callers(batcher, ["a", "b", "c", "d", "e"]))
        assert answers == [["a>es"], ["b>es"], ["c>es"], ["d>es"], ["e>es"]]
        assert engine.started == [["a", "b", "c", "d", "e"]]
        assert engine.blocking == []  # no worker thread ran any of it
        assert batcher.held == 0
        assert not batcher._lanes  # an idle loop leaves nothing behind
    finally:
        batcher.close()


@pytest.mark.parametrize(
    ("room", "shared_batch_size"),
    [(2, 64), (64, 2)],
    ids=["beyond-the-free-decoders-start-when-a-batch-lands", "at-most-the-shared-batch-size"],
)
def test_a_start_takes_no_more_than_it_may(room: int, shared_batch_size: int) -> None:
    engine = StartingEngine(room=room)
    batcher = _batcher(engine, shared_batch_size=shared_batch_size)
    try:
        answers = asyncio.run(_callers(batcher, ["a", "b", "c", "d", "e"]))
        assert answers == [["a>es"], ["b>es"], ["c>es"], ["d>es"], ["e>es"]]
        assert engine.started == [["a", "b"], ["c", "d"], ["e"]]
    finally:
        batcher.close()


def test_a_failed_started_batch_runs_each_caller_alone() -> None:
    engine = StartingEngine(poison="bad")
    batcher = _batcher(engine)
    try:
        answers = asyncio.run(_callers(batcher, ["a", "bad", "c"]))
        assert answers[0] == ["a>es"] and answers[2] == ["c>es"]
        assert isinstance(answers[1], InvalidInput)
        assert engine.started == [["a", "bad", "c"], ["a"], ["bad"], ["c"]]
        assert batcher.held == 0
    finally:
        batcher.close()


def test_a_direction_that_cannot_start_on_the_loop_goes_to_the_workers() -> None:
    engine = StartingEngine(room=None)
    batcher = _batcher(engine)
    try:
        assert asyncio.run(_callers(batcher, ["a"])) == [["a>es"]]
        assert engine.started == [] and engine.blocking == [["a"]]
    finally:
        batcher.close()


def test_a_caller_cancelled_before_its_batch_starts_is_never_started() -> None:
    engine = StartingEngine(room=0)  # every decoder busy for now
    batcher = _batcher(engine)

    async def scenario() -> list[str]:
        kept = asyncio.ensure_future(batcher.translate_async(["kept"], "en", "es"))
        left = asyncio.ensure_future(batcher.translate_async(["left"], "en", "es"))
        await asyncio.sleep(0.01)  # both queued, polled while no decoder is free
        left.cancel()
        engine.room = 64
        return await kept

    try:
        assert asyncio.run(scenario()) == ["kept>es"]
        assert engine.started == [["kept"]]
        assert batcher.held == 0
    finally:
        batcher.close()


def test_closing_fails_the_callers_still_waiting_to_start() -> None:
    engine = StartingEngine(room=0)
    batcher = _batcher(engine)

    async def scenario() -> BaseException | None:
        waiting = asyncio.ensure_future(batcher.translate_async(["a"], "en", "es"))
        await asyncio.sleep(0.01)
        await asyncio.to_thread(batcher.close)
        try:
            await asyncio.wait_for(waiting, 5)
        except EngineUnavailable as exc:
            return exc
        return None

    assert isinstance(asyncio.run(scenario()), EngineUnavailable)
    assert engine.started == []


def test_a_batch_in_flight_is_answered_when_the_engine_finishes() -> None:
    engine = StartingEngine()
    engine.gate.clear()
    batcher = _batcher(engine)

    async def scenario() -> list[list[str] | BaseException]:
        calls = asyncio.ensure_future(_callers(batcher, ["a", "b"]))
        await asyncio.sleep(0.02)  # started, polled, not done
        assert not calls.done() and engine.started == [["a", "b"]]
        engine.gate.set()
        return await asyncio.wait_for(calls, 5)

    try:
        assert asyncio.run(scenario()) == [["a>es"], ["b>es"]]
    finally:
        batcher.close()


def test_under_load_the_next_start_waits_for_the_callers_of_the_batch_that_landed() -> None:
    engine = StartingEngine(gates=[])
    batcher = _batcher(engine, batch_gather_ms=5000)  # ample: the callers come back in ms

    def call(text: str) -> asyncio.Future[list[str]]:
        return asyncio.ensure_future(batcher.translate_async([text], "en", "es"))

    async def scenario() -> None:
        first = [call(t) for t in ("a1", "a2", "a3")]
        await asyncio.sleep(0.01)
        second = [call(t) for t in ("b1", "b2")]
        await asyncio.sleep(0.01)
        assert engine.gates is not None and len(engine.gates) == 2  # both batches fly
        engine.gates[0].set()
        await asyncio.wait_for(asyncio.gather(*first), 5)  # the first landed; b's still fly
        third = [call("c1")]
        await asyncio.sleep(0.02)  # one of its three callers back: the start waits
        assert engine.started == [["a1", "a2", "a3"], ["b1", "b2"]]
        third += [call("c2"), call("c3")]
        await asyncio.sleep(0.02)
        assert engine.started[2:] == [["c1", "c2", "c3"]]
        for gate in engine.gates:
            gate.set()
        await asyncio.wait_for(asyncio.gather(*second, *third), 5)

    try:
        asyncio.run(scenario())
    finally:
        batcher.close()


def test_with_nothing_else_in_flight_a_start_waits_for_no_one() -> None:
    engine = StartingEngine(gates=[])
    batcher = _batcher(engine, batch_gather_ms=5000)

    async def scenario() -> float:
        first = asyncio.gather(*(batcher.translate_async([t], "en", "es") for t in "ab"))
        await asyncio.sleep(0.01)
        engine.room = 0  # every decoder busy: the next caller waits in the queue
        waiting = asyncio.ensure_future(batcher.translate_async(["c"], "en", "es"))
        await asyncio.sleep(0.01)
        engine.room = 64
        assert engine.gates is not None
        engine.gates[0].set()  # the batch lands; none of its callers is back, none flies
        await asyncio.wait_for(first, 5)
        since = time.monotonic()
        while len(engine.gates) < 2:
            await asyncio.sleep(0.001)
        engine.gates[1].set()
        assert await asyncio.wait_for(waiting, 10) == ["c>es"]
        return time.monotonic() - since

    try:
        assert asyncio.run(scenario()) < 1
        assert engine.started == [["a", "b"], ["c"]]
    finally:
        batcher.close()


def test_a_start_waits_batch_wait_ms_for_company() -> None:
    engine = StartingEngine()
    batcher = _batcher(engine, batch_wait_ms=300)

    async def scenario() -> list[list[str]]:
        early = asyncio.ensure_future(batcher.translate_async(["a"], "en", "es"))
        await asyncio.sleep(0.02)
        late = asyncio.ensure_future(batcher.translate_async(["b"], "en", "es"))
        return list(await asyncio.wait_for(asyncio.gather(early, late), 5))

    try:
        assert asyncio.run(scenario()) == [["a>es"], ["b>es"]]
        assert engine.started == [["a", "b"]]
    finally:
        batcher.close()


@pytest.mark.parametrize("threads", [1, 3])
def test_blocking_callers_still_go_through_the_workers(threads: int) -> None:
    engine = StartingEngine()
    batcher = _batcher(engine)
    try:
        results: list[list[str]] = []
        callers = [
            threading.Thread(
                target=lambda i=i: results.append(batcher.translate([f"t{i}"], "en", "es"))
            )
            for i in range(threads)
        ]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join()
        assert sorted(results) == [[f"t{i}>es"] for i in range(threads)]
        assert engine.started == []
    finally:
        batcher.close()
