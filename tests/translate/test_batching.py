"""The cross-request batcher: shared batches, per-caller results, bounded queue, errors."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from service.config import Settings
from service.errors import Busy, EngineUnavailable, InvalidInput
from service.languages import Lang
from service.translate.base import DecodeOptions, EngineInfo
from service.translate.batching import BatchingTranslator


@dataclass
class GatedEngine:
    """Tags each sentence with its direction; can hold batches at a gate; records batches."""

    name: str = "gated"
    gate: threading.Event = field(default_factory=threading.Event)
    entered: threading.Event = field(default_factory=threading.Event)
    batches: list[tuple[str, list[str]]] = field(default_factory=list)
    poison: str | None = None

    def __post_init__(self) -> None:
        self.gate.set()

    def info(self, source: Lang, target: Lang) -> EngineInfo:
        return EngineInfo(self.name, f"{source}-{target}")

    def max_input_tokens(self, source: Lang, target: Lang) -> int | None:
        return 7

    def count_tokens(self, texts: list[str], source: Lang, target: Lang) -> list[int]:
        return [len(text) for text in texts]

    def translate(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> list[str]:
        self.entered.set()
        self.gate.wait(timeout=10)
        self.batches.append((f"{source}-{target}", list(texts)))
        if self.poison is not None and self.poison in texts:
            raise InvalidInput(f"cannot translate {self.poison!r}")
        return [f"{text}>{target}" for text in texts]


def _settings(**overrides: object) -> Settings:
    return Settings(**{"batch_wait_ms": 50.0, "shared_batch_size": 64, **overrides})  # type: ignore[arg-type]


@pytest.fixture
def engine() -> GatedEngine:
    return GatedEngine()


def test_one_caller_gets_its_own_results_in_order(engine: GatedEngine) -> None:
    batcher = BatchingTranslator(engine, workers=1, settings=_settings(batch_wait_ms=0))
    try:
        assert batcher.translate(["a", "b", "c"], "en", "es") == ["a>es", "b>es", "c>es"]
        assert batcher.translate([], "en", "es") == []
    finally:
        batcher.close()


def test_protocol_calls_go_to_the_wrapped_engine(engine: GatedEngine) -> None:
    batcher = BatchingTranslator(engine, workers=1, settings=_settings())
    try:
        assert batcher.name == "gated"
        assert batcher.info("es", "en") == EngineInfo("gated", "es-en")
        assert batcher.max_input_tokens("en", "es") == 7
        assert batcher.count_tokens(["abc"], "en", "es") == [3]
    finally:
        batcher.close()


def test_concurrent_callers_share_batches_and_get_their_own_results(
    engine: GatedEngine,
) -> None:
    """Callers that arrive while the engine is busy are merged into one batch."""
    engine.gate.clear()
    batcher = BatchingTranslator(engine, workers=1, settings=_settings(batch_wait_ms=20))
    try:
        with ThreadPoolExecutor(max_workers=9) as pool:
            first = pool.submit(batcher.translate, ["first"], "en", "es")
            assert engine.entered.wait(5)
            futures = {
                i: pool.submit(batcher.translate, [f"s{i}a", f"s{i}b"], "en", "es")
                for i in range(8)
            }
            _wait_for(lambda: batcher.pending >= 16)  # all eight callers are queued behind the gate
            engine.gate.set()
            assert first.result(5) == ["first>es"]
            for i, future in futures.items():
                assert future.result(5) == [f"s{i}a>es", f"s{i}b>es"]
    finally:
        batcher.close()
    assert len(engine.batches) == 2  # the first alone, then all eight callers together
    assert sorted(engine.batches[1][1]) == sorted(f"s{i}{x}" for i in range(8) for x in "ab")


def test_directions_run_as_separate_batches(engine: GatedEngine) -> None:
    engine.gate.clear()
    batcher = BatchingTranslator(engine, workers=1, settings=_settings())
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            blocker = pool.submit(batcher.translate, ["x"], "en", "es")
            assert engine.entered.wait(5)
            to_es = pool.submit(batcher.translate, ["hello"], "en", "es")
            to_en = pool.submit(batcher.translate, ["hola"], "es", "en")
            _wait_for(lambda: batcher.pending >= 2)
            engine.gate.set()
            assert blocker.result(5) == ["x>es"]
            assert to_es.result(5) == ["hello>es"]
            assert to_en.result(5) == ["hola>en"]
    finally:
        batcher.close()
    assert sorted(engine.batches[1:]) == [("en-es", ["hello"]), ("es-en", ["hola"])]


def test_a_caller_larger_than_the_shared_batch_goes_whole_to_the_engine(
    engine: GatedEngine,
) -> None:
    """The batcher never re-sorts or cuts: the engine owns its batches (engine_batch_size)."""
    batcher = BatchingTranslator(
        engine, workers=1, settings=_settings(shared_batch_size=4, batch_wait_ms=0)
    )
    try:
        texts = [f"sentence {i:02d}" + "x" * (i % 5) for i in range(10)]
        assert batcher.translate(texts, "en", "es") == [f"{t}>es" for t in texts]
    finally:
        batcher.close()
    assert engine.batches == [("en-es", texts)]


def test_a_full_queue_answers_busy_at_once(engine: GatedEngine) -> None:
    """The bound counts the sentences being translated as well as those waiting."""
    engine.gate.clear()
    observed: list[str] = []

    class Observer:
        def batch_run(self, source: Lang, target: Lang, requests: int, sentences: int) -> None:
            observed.append(f"batch {requests}/{sentences}")

        def queue_depth(self, sentences: int) -> None:
            observed.append(f"depth {sentences}")

        def rejected(self) -> None:
            observed.append("rejected")

    batcher = BatchingTranslator(engine, _settings(queue_size=3), observer=Observer(), workers=1)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            running = pool.submit(batcher.translate, ["a"], "en", "es")
            assert engine.entered.wait(5)
            queued = pool.submit(batcher.translate, ["b", "c"], "en", "es")
            _wait_for(lambda: batcher.pending >= 2)
            assert batcher.held == 3
            with pytest.raises(Busy, match="BRIEFS_QUEUE_SIZE=3") as caught:
                batcher.translate(["d"], "en", "es")  # 2 waiting + 1 running + 1 > 3
            assert "2 sentences waiting, 1 being translated" in caught.value.message
            assert caught.value.retry_after_s >= 1
            engine.gate.set()
            assert running.result(5) == ["a>es"]
            assert queued.result(5) == ["b>es", "c>es"]
        assert batcher.held == 0
        assert batcher.translate(["d", "e", "f"], "en", "es") == ["d>es", "e>es", "f>es"]
    finally:
        batcher.close()
    assert "rejected" in observed
    assert "depth 2" in observed
    assert "batch 1/2" in observed


def test_an_error_fails_only_the_caller_that_caused_it(engine: GatedEngine) -> None:
    engine.gate.clear()
    engine.poison = "bad"
    batcher = BatchingTranslator(engine, workers=1, settings=_settings())
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            blocker = pool.submit(batcher.translate, ["x"], "en", "es")
            assert engine.entered.wait(5)
            good = pool.submit(batcher.translate, ["good"], "en", "es")
            bad = pool.submit(batcher.translate, ["bad"], "en", "es")
            _wait_for(lambda: batcher.pending >= 2)
            engine.gate.set()
            assert blocker.result(5) == ["x>es"]
            assert good.result(5) == ["good>es"]
            with pytest.raises(InvalidInput, match="cannot translate 'bad'"):
                bad.result(5)
    finally:
        batcher.close()


def test_closed_batcher_refuses_work(engine: GatedEngine) -> None:
    batcher = BatchingTranslator(engine, workers=1, settings=_settings())
    batcher.close()
    with pytest.raises(EngineUnavailable, match="shutting down"):
        batcher.translate(["a"], "en", "es")


def test_one_key_per_batch_gathers_every_queued_job_of_that_key(engine: GatedEngine) -> None:
    """Queued jobs of another direction wait for their own batch instead of splitting this one."""
    engine.gate.clear()
    batcher = BatchingTranslator(engine, workers=1, settings=_settings(batch_wait_ms=0))
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            blocker = pool.submit(batcher.translate, ["x"], "en", "es")
            assert engine.entered.wait(5)
            futures = []
            for text, source, target in [("a", "es", "en"), ("b", "en", "es"), ("c", "es", "en")]:
                futures.append(pool.submit(batcher.translate, [text], source, target))
                _wait_for(lambda: batcher.pending >= len(futures))  # keep the queue order a, b, c
            engine.gate.set()
            assert blocker.result(5) == ["x>es"]
            assert [f.result(5) for f in futures] == [["a>en"], ["b>es"], ["c>en"]]
    finally:
        batcher.close()
    assert engine.batches[1:] == [("es-en", ["a", "c"]), ("en-es", ["b"])]


def test_one_worker_per_batch_the_engine_runs_at_once() -> None:
    """With inter_threads=2 two batches (here: two directions) run side by side."""
    both_inside = threading.Barrier(2, timeout=5)

    class SideBySide(GatedEngine):
        def translate(
            self,
            texts: list[str],
            source: Lang,
            target: Lang,
            options: DecodeOptions | None = None,
        ) -> list[str]:
            both_inside.wait()  # breaks (and fails the caller) unless two batches overlap
            return super().translate(texts, source, target, options)

    batcher = BatchingTranslator(SideBySide(), _settings(inter_threads=2, batch_wait_ms=0))
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            to_es = pool.submit(batcher.translate, ["a"], "en", "es")
            to_en = pool.submit(batcher.translate, ["b"], "es", "en")
            assert to_es.result(10) == ["a>es"] and to_en.result(10) == ["b>en"]
    finally:
        batcher.close()


def _wait_for(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Poll until ``condition`` holds; fail (never hang) after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the batcher's queue"
        threading.Event().wait(0.005)


class _Fatal(BaseException):
    """Not an ``Exception``: what the batcher's error handling does not expect."""


def test_an_unexpected_base_exception_fails_the_callers_instead_of_hanging() -> None:
    class Fatal(GatedEngine):
        def translate(
            self,
            texts: list[str],
            source: Lang,
            target: Lang,
            options: DecodeOptions | None = None,
        ) -> list[str]:
            if "fatal" in texts:
                raise _Fatal("the engine blew up")
            return super().translate(texts, source, target, options)

    batcher = BatchingTranslator(Fatal(), workers=1, settings=_settings(batch_wait_ms=0))
    try:
        outcome: list[BaseException | list[str]] = []

        def call(texts: list[str]) -> None:
            try:
                outcome.append(batcher.translate(texts, "en", "es"))
            except BaseException as exc:  # recorded for the assertion
                outcome.append(exc)

        # A daemon thread: without the fix the caller would wait forever.
        caller = threading.Thread(target=call, args=(["fatal"],), daemon=True)
        caller.start()
        caller.join(timeout=10)
        assert not caller.is_alive(), "the caller still waits for a dead worker"
        assert isinstance(outcome[0], EngineUnavailable)
        assert "blew up" in str(outcome[0])
        assert batcher.translate(["after"], "en", "es") == ["after>es"]  # the worker lives on
    finally:
        batcher.close()


def test_close_while_a_worker_gathers_a_batch_leaves_no_negative_pending(
    engine: GatedEngine,
) -> None:
    batcher = BatchingTranslator(engine, workers=1, settings=_settings(batch_wait_ms=5000))
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(batcher.translate, ["a", "b"], "en", "es")
        # Taken from the queue but still counted: the worker waits for more of its key.
        _wait_for(lambda: not batcher._jobs and batcher.pending == 2)
        batcher.close()
        assert batcher.pending == 0
        assert running.result(10) == ["a>es", "b>es"]


def test_continuous_batching_by_default(engine: GatedEngine) -> None:
    """With the default settings (no wait) a free worker runs at once, and every caller that
    came while a batch ran goes into the next one, in arrival order, each answered with its
    own results in its own order; a bad input still fails only its caller."""
    assert Settings().batch_wait_ms == 0
    engine.gate.clear()
    engine.poison = "bad"
    batcher = BatchingTranslator(engine, workers=1, settings=Settings())
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            first = pool.submit(batcher.translate, ["first"], "en", "es")
            assert engine.entered.wait(5)  # the worker took it alone, without waiting
            futures, queued = [], 0
            for i in range(6):
                texts = ["bad"] if i == 3 else [f"c{i}-z", f"c{i}-a", f"c{i}-m"]
                futures.append(pool.submit(batcher.translate, texts, "en", "es"))
                queued += len(texts)
                _wait_for(lambda n=queued: batcher.pending == n)  # keep the arrival order
            engine.gate.set()
            assert first.result(5) == ["first>es"]
            for i, future in enumerate(futures):
                if i == 3:
                    with pytest.raises(InvalidInput, match="bad"):
                        future.result(5)
                else:
                    assert future.result(5) == [f"c{i}-z>es", f"c{i}-a>es", f"c{i}-m>es"]
    finally:
        batcher.close()
    assert engine.batches[0] == ("en-es", ["first"])
    # One shared batch of every queued caller in arrival order (it failed on "bad"), then
    # each caller alone: the bad one fails, the others are answered.
    shared = [t for i in range(6) for t in (["bad"] if i == 3 else [f"c{i}-{x}" for x in "zam"])]
    assert engine.batches[1] == ("en-es", shared)


class _HeldReverse(GatedEngine):
    """Holds es-en batches at the gate; en-es runs at once."""

    def translate(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> list[str]:
        if source == "es":
            return super().translate(texts, source, target, options)
        self.batches.append((f"{source}-{target}", list(texts)))
        return [f"{text}>{target}" for text in texts]


@pytest.mark.parametrize("other_busy", [True, False])
def test_a_free_worker_gathers_only_while_the_others_are_busy(other_busy: bool) -> None:
    """Under load (the other worker busy) a free worker waits BRIEFS_BATCH_GATHER_MS for
    callers coming back and runs them together; with the other worker idle it runs a lone
    caller at once."""
    engine = _HeldReverse()
    engine.gate.clear()
    settings = _settings(inter_threads=2, batch_wait_ms=0, batch_gather_ms=2000)
    batcher = BatchingTranslator(engine, settings)
    try:
        with ThreadPoolExecutor(max_workers=3) as pool:
            held = pool.submit(batcher.translate, ["hold"], "es", "en") if other_busy else None
            if held is not None:
                assert engine.entered.wait(5)
            first = pool.submit(batcher.translate, ["a"], "en", "es")
            threading.Event().wait(0.1)  # the free worker has taken "a": run, or gathering
            assert first.done() is not other_busy  # alone: answered at once
            second = pool.submit(batcher.translate, ["b"], "en", "es")
            assert first.result(5) == ["a>es"] and second.result(5) == ["b>es"]
            engine.gate.set()
            if held is not None:
                assert held.result(5) == ["hold>en"]
    finally:
        engine.gate.set()
        batcher.close()
    to_es = [texts for pair, texts in engine.batches if pair == "en-es"]
    assert to_es == ([["a", "b"]] if other_busy else [["a"], ["b"]])


def test_gathering_stops_when_the_other_worker_frees() -> None:
    """A worker gathering under load runs as soon as the load is gone, not at the end of a
    long BRIEFS_BATCH_GATHER_MS (a fast engine's batches never wait on a slow setting)."""
    engine = _HeldReverse()
    engine.gate.clear()
    settings = _settings(inter_threads=2, batch_wait_ms=0, batch_gather_ms=60_000)
    batcher = BatchingTranslator(engine, settings)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            held = pool.submit(batcher.translate, ["hold"], "es", "en")
            assert engine.entered.wait(5)
            first = pool.submit(batcher.translate, ["a"], "en", "es")
            threading.Event().wait(0.1)  # taken, and gathering while "hold" runs
            assert not first.done()
            engine.gate.set()
            assert held.result(5) == ["hold>en"]
            assert first.result(5) == ["a>es"]  # not after the 60 s gather
    finally:
        engine.gate.set()
        batcher.close()


class _TwoGates(GatedEngine):
    """Holds each direction at its own gate (keyed by the source language)."""

    def __init__(self) -> None:
        super().__init__()
        self.gates = {"en": threading.Event(), "es": threading.Event()}
        self.inside = {"en": threading.Event(), "es": threading.Event()}

    def translate(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> list[str]:
        self.inside[source].set()
        self.gates[source].wait(timeout=10)
        return super().translate(texts, source, target, options)


def test_under_load_a_worker_runs_once_the_callers_it_answered_are_back() -> None:
    """A free worker under load waits for the callers of its last batch to send again, and
    runs as soon as they have, not at the end of a long BRIEFS_BATCH_GATHER_MS."""
    engine = _TwoGates()
    # A full batch runs at once; [a, b, c] is not full.
    settings = _settings(
        inter_threads=2, batch_wait_ms=0, batch_gather_ms=60_000, shared_batch_size=4
    )
    batcher = BatchingTranslator(engine, settings)

    def answered_then_again() -> list[str]:
        first = batcher.translate(["x1", "x2", "x3", "x4"], "en", "es")
        return first + batcher.translate(["c"], "en", "es")

    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            held = pool.submit(batcher.translate, ["hold"], "es", "en")
            assert engine.inside["es"].wait(5)
            again = pool.submit(answered_then_again)
            assert engine.inside["en"].wait(5)
            queued = [pool.submit(batcher.translate, [text], "en", "es") for text in "ab"]
            _wait_for(lambda: batcher.pending == 2)
            engine.gates["en"].set()
            assert [future.result(5) for future in queued] == [["a>es"], ["b>es"]]
            assert again.result(5)[-1] == "c>es"
            engine.gates["es"].set()
            assert held.result(5) == ["hold>en"]
    finally:
        for gate in engine.gates.values():
            gate.set()
        batcher.close()
    to_es = [texts for pair, texts in engine.batches if pair == "en-es"]
    assert to_es == [["x1", "x2", "x3", "x4"], ["a", "b", "c"]]


async def _queued_behind_a_held_caller(
    batcher: BatchingTranslator, engine: GatedEngine, *texts: str
) -> tuple[asyncio.Future[list[str]], list[asyncio.Future[list[str]]]]:
    """An awaiting caller ("x") held in the closed engine, then one awaiting caller per text,
    returned once all of them are queued."""
    blocker = asyncio.ensure_future(batcher.translate_async(["x"], "en", "es"))
    await asyncio.to_thread(engine.entered.wait, 5)
    queued = [asyncio.ensure_future(batcher.translate_async([t], "en", "es")) for t in texts]
    while batcher.pending < len(texts):
        await asyncio.sleep(0.01)
    return blocker, queued


def test_an_awaiting_caller_cancelled_while_queued_costs_no_engine_time(
    engine: GatedEngine,
) -> None:
    """A client that leaves (its request task cancelled) takes its sentences out of the
    queue; the callers queued with it still get their results, and the count goes to 0."""
    engine.gate.clear()
    batcher = BatchingTranslator(engine, workers=1, settings=_settings(batch_wait_ms=0))

    async def run() -> list[str]:
        blocker, (gone, kept) = await _queued_behind_a_held_caller(batcher, engine, "gone", "kept")
        gone.cancel()
        with pytest.raises(asyncio.CancelledError):
            await gone  # done: the cancellation has reached the queued job
        engine.gate.set()
        assert await blocker == ["x>es"]
        return await kept

    try:
        assert asyncio.run(run()) == ["kept>es"]
        assert batcher.held == 0
    finally:
        batcher.close()
    assert [texts for _, texts in engine.batches] == [["x"], ["kept"]]


def test_an_awaiting_caller_cancelled_while_its_batch_runs_leaves_the_others_answered(
    engine: GatedEngine,
) -> None:
    """A client that leaves while its sentences are in the engine: the batch still answers
    the others, and the dropped answer raises nothing on the loop."""
    engine.gate.clear()
    batcher = BatchingTranslator(engine, workers=1, settings=_settings(batch_wait_ms=0))
    loop_errors: list[dict[str, object]] = []

    async def run() -> list[str]:
        asyncio.get_running_loop().set_exception_handler(lambda _, error: loop_errors.append(error))
        gone = asyncio.ensure_future(batcher.translate_async(["gone"], "en", "es"))
        await asyncio.to_thread(engine.entered.wait, 5)
        kept = asyncio.ensure_future(batcher.translate_async(["kept"], "en", "es"))
        gone.cancel()
        with pytest.raises(asyncio.CancelledError):
            await gone
        engine.gate.set()
        answer = await kept
        await asyncio.sleep(0.05)  # the dropped answer's callback has run
        return answer

    try:
        assert asyncio.run(run()) == ["kept>es"]
        assert batcher.held == 0
    finally:
        batcher.close()
    assert [texts for _, texts in engine.batches] == [["gone"], ["kept"]]
    assert loop_errors == []


def test_awaiting_and_blocking_callers_share_a_batch(engine: GatedEngine) -> None:
    engine.gate.clear()
    batcher = BatchingTranslator(engine, workers=1, settings=_settings(batch_wait_ms=0))

    async def run() -> tuple[list[str], list[str], list[str]]:
        blocker = asyncio.ensure_future(batcher.translate_async(["x"], "en", "es"))
        await asyncio.to_thread(engine.entered.wait, 5)
        with ThreadPoolExecutor(max_workers=1) as pool:
            threaded = pool.submit(batcher.translate, ["a"], "en", "es")
            awaited = asyncio.ensure_future(batcher.translate_async(["b"], "en", "es"))
            while batcher.pending < 2:
                await asyncio.sleep(0.01)
            engine.gate.set()
            return await blocker, await awaited, threaded.result(5)

    try:
        assert asyncio.run(run()) == (["x>es"], ["b>es"], ["a>es"])
    finally:
        batcher.close()
    assert sorted(engine.batches[1][1]) == ["a", "b"]


def test_closing_with_a_cancelled_caller_queued_fails_nobody_else(engine: GatedEngine) -> None:
    engine.gate.clear()
    batcher = BatchingTranslator(engine, workers=1, settings=_settings(batch_wait_ms=0))

    async def run() -> None:
        blocker, (gone, left) = await _queued_behind_a_held_caller(batcher, engine, "gone", "left")
        gone.cancel()
        with pytest.raises(asyncio.CancelledError):
            await gone
        closing = asyncio.ensure_future(asyncio.to_thread(batcher.close))
        while batcher.pending:  # close() took the queue; the engine still holds "x"
            await asyncio.sleep(0.01)
        engine.gate.set()
        await closing
        assert await blocker == ["x>es"]
        with pytest.raises(EngineUnavailable, match="stopped before this request ran"):
            await left

    asyncio.run(run())


def test_a_full_queue_answers_an_awaiting_caller_busy_at_once(engine: GatedEngine) -> None:
    engine.gate.clear()
    batcher = BatchingTranslator(engine, workers=1, settings=_settings(queue_size=1))
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            running = pool.submit(batcher.translate, ["y"], "en", "es")
            _wait_for(lambda: batcher.held == 1)
            with pytest.raises(Busy, match="BRIEFS_QUEUE_SIZE=1"):
                asyncio.run(batcher.translate_async(["z"], "en", "es"))
            engine.gate.set()
            assert running.result(5) == ["y>es"]
    finally:
        batcher.close()
