"""Cross-request batching: sentences from concurrent callers share engine batches.

``BatchingTranslator`` wraps any sentence ``Translator``. Callers enqueue their sentences and
wait on a future: in their thread (``translate``) or on their event loop
(``translate_async``). A worker thread that frees takes the oldest waiting job and every queued job
for the same direction and options, up to ``shared_batch_size`` sentences, and hands them to
the engine as one call (continuous batching: by default it does not wait for more; callers
that come while a batch runs join the next one, ``batch_wait_ms`` makes a free worker wait
that long first). Under load, when every other worker is busy, a free worker waits for the
callers it just answered to come back (up to ``batch_gather_ms``), so batches stay full.
The engine sorts them by length and cuts them into its own batches (``engine_batch_size``);
tokenizing and detokenizing run there, in the worker, off the event loop. The work in the
system is bounded in sentences, queued and running alike: a caller that would overflow it gets
``Busy`` at once, never an unbounded wait.

An engine that decodes on threads of its own (CTranslate2: ``StartingTranslator``) serves
callers on an event loop without the workers: the loop starts their queued sentences on the
engine's free decoders itself, once per loop iteration, and polls the batches in flight
(``_Lane``). Tokenizing and detokenizing then run on the loop (about 20 µs a sentence).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, cast

from service.config import Settings
from service.errors import BriefsError, Busy, EngineUnavailable
from service.languages import Lang
from service.translate.base import (
    DecodeOptions,
    EngineInfo,
    Started,
    StartingTranslator,
    Translator,
    n_best,
)

log = logging.getLogger(__name__)

_Key = tuple[Lang, Lang, DecodeOptions | None]
_J = TypeVar("_J", bound="_Job")


class _Failed:
    """A batch whose start raised: done at once, and its result raises that."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def done(self) -> bool:
        return True

    def result(self) -> list[str]:
        raise self.error


class BatchObserver(Protocol):
    """Receives batching events (the API's Prometheus metrics implement it)."""

    def batch_run(self, source: Lang, target: Lang, requests: int, sentences: int) -> None:
        """One engine batch ran with sentences from ``requests`` callers."""
        ...

    def queue_depth(self, sentences: int) -> None:
        """Sentences now waiting in the queue."""
        ...

    def rejected(self) -> None:
        """A caller was turned away because the queue was full."""
        ...


class _NoObserver:
    def batch_run(self, source: Lang, target: Lang, requests: int, sentences: int) -> None:
        pass

    def queue_depth(self, sentences: int) -> None:
        pass

    def rejected(self) -> None:
        pass


@dataclass(frozen=True)
class _Answered:
    """A batch a worker answered: the count of jobs ever queued just before, and its
    callers."""

    arrivals: int
    callers: int

    def back(self, arrivals: int) -> bool:
        """Whether as many jobs came since as the batch had callers."""
        return arrivals - self.arrivals >= self.callers


class _Job:
    """A caller's sentences, and how its caller is answered (``_ThreadJob``, ``_LoopJob``)."""

    def __init__(self, texts: list[str], key: _Key) -> None:
        self.texts = texts
        self.key = key
        self.settled = False

    def claim(self) -> bool:
        """Mark the job running, taken off the queue; False when its caller has left."""
        raise NotImplementedError

    def settle(self, outcome: list[str] | BaseException) -> None:
        """Answer the caller, once."""
        self.settled = True

    def settle_here(self, outcome: list[str] | BaseException) -> None:
        """``settle``, called from the caller's own event loop."""
        self.settle(outcome)


class _ThreadJob(_Job):
    """A caller that waits in its thread on a ``concurrent.futures.Future``."""

    def __init__(self, texts: list[str], key: _Key) -> None:
        super().__init__(texts, key)
        self.future: Future[list[str]] = Future()

    def claim(self) -> bool:
        return self.future.set_running_or_notify_cancel()

    def settle(self, outcome: list[str] | BaseException) -> None:
        super().settle(outcome)
        if isinstance(outcome, BaseException):
            self.future.set_exception(outcome)
        else:
            self.future.set_result(outcome)


class _LoopJob(_Job):
    """A caller that awaits an asyncio future on its event loop; the worker resolves it with
    one ``call_soon_threadsafe`` (a thread's ``Future`` wrapped for the loop cost the loop a
    lock, a condition and a second future per request)."""

    def __init__(self, texts: list[str], key: _Key, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(texts, key)
        self.loop = loop
        self.future: asyncio.Future[list[str]] = loop.create_future()
        self.queued_at = time.monotonic()

    def claim(self) -> bool:
        # Read from a worker thread: a caller cancelled after this still has its answer
        # dropped by _resolve.
        return not self.future.done()

    def settle(self, outcome: list[str] | BaseException) -> None:
        super().settle(outcome)
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits
            self.loop.call_soon_threadsafe(_resolve, self.future, outcome)

    def settle_here(self, outcome: list[str] | BaseException) -> None:
        _Job.settle(self, outcome)
        _resolve(self.future, outcome)


def _resolve(future: asyncio.Future[list[str]], outcome: list[str] | BaseException) -> None:
    """On the caller's loop: answer it unless it has left."""
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


# How often a loop looks at the batches it started: a tenth of the oldest one's age so far,
# within these bounds (a one-sentence batch of the tiny test models takes about 1 ms, a full
# Opus-MT batch on a CPU hundreds).
POLL_MIN_S = 0.0002
POLL_MAX_S = 0.005


@dataclass(eq=False)
class _Lane:
    """One event loop's batches, started on the engine from the loop itself."""

    loop: asyncio.AbstractEventLoop
    due: bool = False  # a start of what is queued is scheduled on the loop
    flying: list[tuple[list[_LoopJob], Started, float]] = field(default_factory=list)
    alone: deque[_LoopJob] = field(default_factory=deque)  # a failed batch's jobs, one by one
    timer: asyncio.TimerHandle | None = None
    answered: _Answered | None = None  # the last batch that landed
    landed_at: float = 0.0


class BatchingTranslator:
    """A ``Translator`` that merges concurrent calls into shared engine batches. Thread-safe."""

    def __init__(
        self,
        translator: Translator,
        settings: Settings,
        *,
        observer: BatchObserver | None = None,
        workers: int | None = None,
    ) -> None:
        self.inner = translator
        self.name = translator.name
        self.shared_batch_size = settings.shared_batch_size
        self.wait_s = settings.batch_wait_ms / 1000
        self.gather_s = settings.batch_gather_ms / 1000
        self.queue_size = settings.queue_size
        self.observer: BatchObserver = observer or _NoObserver()
        self._jobs: deque[_Job] = deque()
        self._pending = 0  # sentences queued, not yet taken by a worker
        self._running = 0  # sentences taken by a worker, not yet answered
        self._busy = 0  # workers running a batch
        self._arrivals = 0  # jobs ever queued
        self._cond = threading.Condition()
        self._closed = False
        # Engines that decode on threads of their own are started from the callers' loops.
        starts = callable(getattr(translator, "start", None))
        self._starter = cast(StartingTranslator, translator) if starts else None
        self._lanes: dict[asyncio.AbstractEventLoop, _Lane] = {}  # loops with work in flight
        # One worker per batch the engine can run at once (CTranslate2's inter_threads).
        count = workers if workers is not None else settings.engine_threads()[0]
        self._threads = [
            threading.Thread(target=self._work, name=f"briefs-batcher-{i}", daemon=True)
            for i in range(max(1, count))
        ]
        for thread in self._threads:
            thread.start()

    # --- Translator protocol ------------------------------------------------------------
    def info(self, source: Lang, target: Lang) -> EngineInfo:
        """Engine and model of the wrapped translator."""
        return self.inner.info(source, target)

    def max_input_tokens(self, source: Lang, target: Lang) -> int | None:
        """The wrapped translator's input limit."""
        return self.inner.max_input_tokens(source, target)

    def count_tokens(self, texts: list[str], source: Lang, target: Lang) -> list[int]:
        """Token counts from the wrapped translator."""
        return self.inner.count_tokens(texts, source, target)

    def translate(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
    ) -> list[str]:
        """Queue the sentences, wait for the shared batch, return this caller's results."""
        if not texts:
            return []
        return self._submit(_ThreadJob(list(texts), (source, target, options))).future.result()

    async def translate_async(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
    ) -> list[str]:
        """``translate`` awaited on the event loop: the caller holds no thread while its
        sentences wait for and run in a shared batch. A caller cancelled while its job is
        still queued takes it out of the queue (a client that left costs no engine time)."""
        if not texts:
            return []
        job = _LoopJob(list(texts), (source, target, options), asyncio.get_running_loop())
        return await self._submit(job).future

    def _submit(self, job: _J) -> _J:
        """Queue a job (or refuse it with ``Busy`` when the queue is full)."""
        texts = job.texts
        with self._cond:
            if self._closed:
                raise EngineUnavailable("the translation service is shutting down")
            # A job larger than the whole queue is still taken when nothing else is in.
            held = self._pending + self._running
            if held and held + len(texts) > self.queue_size:
                self.observer.rejected()
                raise Busy(
                    f"the translation queue is full ({self._pending:,} sentences waiting, "
                    f"{self._running:,} being translated, BRIEFS_QUEUE_SIZE={self.queue_size:,})",
                    retry_after_s=1,
                    hint="retry in a moment",
                )
            self._jobs.append(job)
            self._pending += len(texts)
            self._arrivals += 1
            self.observer.queue_depth(self._pending)
            lane = self._lane_of(job)
            if lane is None:
                self._cond.notify()
        if lane is not None and not lane.due:
            lane.due = True
            lane.loop.call_soon(self._start_queued, lane)
        return job

    def n_best(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        n: int,
        options: DecodeOptions | None = None,
    ) -> list[list[str]] | None:
        """The wrapped engine's ``n`` best translations, run in the caller's thread (rare
        requests, never merged) but counted in the queue bound like batched sentences."""
        weight = len(texts) * n
        with self._cond:
            if self._closed:
                raise EngineUnavailable("the translation service is shutting down")
            held = self._pending + self._running
            if held and held + weight > self.queue_size:
                self.observer.rejected()
                raise Busy(
                    f"the translation queue is full ({held:,} sentences held, "
                    f"BRIEFS_QUEUE_SIZE={self.queue_size:,})",
                    retry_after_s=1,
                    hint="retry in a moment",
                )
            self._running += weight
        try:
            return n_best(self.inner, texts, source, target, n, options)
        finally:
            with self._cond:
                self._running -= weight

    # --- lifecycle ----------------------------------------------------------------------
    def close(self) -> None:
        """Stop the workers; callers still waiting get ``EngineUnavailable``."""
        with self._cond:
            self._closed = True
            leftover = list(self._jobs)
            self._jobs.clear()
            self._pending = 0
            self._cond.notify_all()
        for job in leftover:
            if job.claim():  # a cancelled caller waits no more
                job.settle(
                    EngineUnavailable("the translation service stopped before this request ran")
                )
        for thread in self._threads:
            thread.join(timeout=10)
        close = getattr(self.inner, "close", None)
        if callable(close):
            close()  # the engine's own processes (Apertium's pipelines)

    @property
    def pending(self) -> int:
        """Sentences waiting for a worker."""
        with self._cond:
            return self._pending

    @property
    def held(self) -> int:
        """Sentences in the system: waiting or being translated."""
        with self._cond:
            return self._pending + self._running

    # --- batches started from the callers' loops -----------------------------------------
    # With an engine that decodes on threads of its own (``StartingTranslator``), the loop a
    # caller awaits on starts its sentences on the engine and polls for the answers: the
    # batch never waits for a worker thread to win the GIL from the busy loop. (Under load it
    # did: the loop took a whole round of requests in before a worker could take them, and
    # the engine then ran while the loop waited, 60-70% of the time with no batch running.)
    def _lane_of(self, job: _Job) -> _Lane | None:
        """The lane a queued job is started from (made on its loop's first job); None for the
        workers. Lock held."""
        if self._starter is None or not isinstance(job, _LoopJob):
            return None
        lane = self._lanes.get(job.loop)
        if lane is None:
            lane = self._lanes[job.loop] = _Lane(job.loop)
        return lane

    def _queued_on(self, lane: _Lane) -> list[_LoopJob]:
        """The lane's queued jobs, oldest first. Lock held."""
        return [job for job in self._jobs if isinstance(job, _LoopJob) and job.loop is lane.loop]

    def _start_queued(self, lane: _Lane) -> None:
        """On the lane's loop: start its queued jobs while the engine has free decoders, the
        oldest first and one key per batch (as ``_take``), then poll what flies."""
        lane.due = False
        starter = cast(StartingTranslator, self._starter)
        while lane.alone and self._closed:
            stopped = EngineUnavailable("the translation service stopped before this request ran")
            self._answer(lane.alone.popleft(), stopped, here=True)
        while lane.alone:
            job = lane.alone[0]
            started = self._start(starter, [job])
            if started is None:
                break
            lane.alone.popleft()
            lane.flying.append(([job], started, time.monotonic()))
        while not self._closed and not self._gathering(lane):
            with self._cond:
                mine = self._queued_on(lane)
                if not mine:
                    break
                key = mine[0].key
                size = starter.start_size(*key)
                if size is None:  # this direction is not ready to start here: a worker runs it
                    self._cond.notify()
                    break
                size = min(size, self.shared_batch_size)
                jobs: list[_LoopJob] = []
                count = 0
                for job in mine:
                    if job.key != key:
                        continue
                    if jobs and count + len(job.texts) > size:
                        break
                    jobs.append(job)
                    count += len(job.texts)
                for job in jobs:
                    self._jobs.remove(job)
                taken = [job for job in jobs if self._claim(job)]
                started = self._start(starter, taken) if taken and size else None
                if taken and started is None:  # no free decoder: back in front, in order
                    self._jobs.extendleft(reversed(taken))
                    break
                moved = sum(len(job.texts) for job in taken)
                self._pending = max(0, self._pending - moved)
                self._running += moved
                self.observer.queue_depth(self._pending)
            if started is not None:
                lane.flying.append((taken, started, time.monotonic()))
        self._poll_later(lane)

    def _gathering(self, lane: _Lane) -> bool:
        """Whether the lane holds its next start, as a worker would hold its take
        (``_deadline``): until the oldest queued job has waited ``batch_wait_ms``; and under
        load, while another of its batches flies, until the callers of the last one that
        landed have come back, up to ``batch_gather_ms`` after it landed."""
        now = time.monotonic()
        if self.wait_s:
            with self._cond:
                mine = self._queued_on(lane)
            if mine and now < mine[0].queued_at + self.wait_s:
                return True
        answered = lane.answered
        if not lane.flying or answered is None or answered.back(self._arrivals):
            return False
        return now < lane.landed_at + self.gather_s

    def _start(self, starter: StartingTranslator, jobs: list[_LoopJob]) -> Started | None:
        """Start the jobs' sentences on the engine; a start that fails is a batch that
        failed (``_landed`` answers it)."""
        source, target, options = jobs[0].key
        texts = [text for job in jobs for text in job.texts]
        try:
            return starter.start(texts, source, target, options)
        except Exception as exc:
            return _Failed(exc)

    def _poll_later(self, lane: _Lane) -> None:
        """Look again soon while the lane has batches in flight or jobs waiting; an idle lane
        is dropped (its loop's next job makes a new one)."""
        if lane.timer is not None:
            return
        if not (lane.flying or lane.alone):
            with self._cond:
                if not self._queued_on(lane):
                    self._lanes.pop(lane.loop, None)
                    return
        if lane.flying:
            oldest = min(since for _, _, since in lane.flying)
            delay = min(POLL_MAX_S, max(POLL_MIN_S, (time.monotonic() - oldest) / 10))
        else:  # waiting for decoders the workers' batches hold
            delay = POLL_MAX_S / 5
        lane.timer = lane.loop.call_later(delay, self._poll, lane)

    def _poll(self, lane: _Lane) -> None:
        """On the lane's loop: answer the batches the engine has finished, start what
        waits."""
        lane.timer = None
        flying, lane.flying = lane.flying, []
        for jobs, started, since in flying:
            if started.done():
                self._landed(lane, jobs, started)
            else:
                lane.flying.append((jobs, started, since))
        self._start_queued(lane)

    def _landed(self, lane: _Lane, jobs: list[_LoopJob], started: Started) -> None:
        """Answer a finished batch's callers; a failed batch of several runs again one job
        at a time (``_deliver``)."""
        lane.answered, lane.landed_at = _Answered(self._arrivals, len(jobs)), time.monotonic()
        try:
            outcome: list[str] | Exception = started.result()
        except Exception as exc:
            outcome = exc
        if not self._deliver(jobs, outcome, here=True):
            lane.alone.extend(jobs)

    # --- worker -------------------------------------------------------------------------
    def _take(self, answered: _Answered | None) -> list[_Job] | None:
        """The oldest job plus every queued job for the same direction and options.

        One key per take: jobs of other keys stay queued, so they gather the callers that
        come back while this batch runs instead of running as small batches of their own.
        ``answered`` is this worker's last batch, whose callers a take under load waits for.
        """
        with self._cond:
            while True:
                while not self._jobs and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return None
                first = self._jobs.popleft()
                if self._claim(first):
                    break
            taken = [first]
            key = first.key
            size = len(taken[0].texts)
            start = time.monotonic()
            while size < self.shared_batch_size:
                match = next((job for job in self._jobs if job.key == key), None)
                if match is None:
                    remaining = self._deadline(start, answered) - time.monotonic()
                    if remaining <= 0 or self._closed:
                        break
                    self._cond.wait(remaining)
                    continue
                # Never split a caller's job; stop before one that would overflow the batch.
                if size + len(match.texts) > self.shared_batch_size:
                    break
                self._jobs.remove(match)
                if self._claim(match):
                    taken.append(match)
                    size += len(match.texts)
            # close() may have zeroed the count while this take waited for more jobs.
            self._pending = max(0, self._pending - size)
            self._running += size
            self._busy += 1
            self.observer.queue_depth(self._pending)
            return taken

    def _claim(self, job: _Job) -> bool:
        """Mark a job taken off the queue as running; False (and its sentences no longer
        counted) when its caller was cancelled while it waited. Called with the lock held."""
        if job.claim():
            return True
        self._pending = max(0, self._pending - len(job.texts))
        return False

    def _deadline(self, start: float, answered: _Answered | None) -> float:
        """Until when a take that began at ``start`` may wait for company: ``batch_wait_ms``,
        or under load (while every other worker is busy) until the callers of this worker's
        last batch have all sent again, up to ``batch_gather_ms`` (with no last batch, all of
        it). They come back within milliseconds, but one after another as the event loop
        answers them, so a fixed short wait cut the batch off early (64 one-sentence clients
        on the full-size model: 20-28 requests a batch with 5 ms, 31 now; see
        docs/benchmarks.md). The gathering stops when another worker frees, so a lone caller
        and a fast engine never wait for it."""
        others = len(self._threads) - 1
        under_load = others and self._busy >= others
        if not under_load or (answered and answered.back(self._arrivals)):
            return start + self.wait_s
        return start + max(self.wait_s, self.gather_s)

    def _work(self) -> None:
        answered: _Answered | None = None
        while (jobs := self._take(answered)) is not None:
            try:
                answered = self._run(jobs[0].key, jobs)
            except BaseException as exc:  # a caller must never wait forever
                # _run handles Exception; this is anything else (SystemExit, a bug in _run).
                log.exception("the batch worker failed unexpectedly")
                failure = EngineUnavailable(f"the {self.name} engine failed: {exc!r}")
                for job in jobs:
                    if not job.settled:
                        self._answer(job, failure)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()  # a worker gathering under load stops

    def _answer(self, job: _Job, outcome: list[str] | BaseException, here: bool = False) -> None:
        """Release the job's sentences from the count, then wake its caller (in that order, so
        a caller that sends again at once finds room); ``here``: from the caller's own loop."""
        with self._cond:
            self._running -= len(job.texts)
        if here:
            job.settle_here(outcome)
        else:
            job.settle(outcome)

    def _deliver(
        self, jobs: Sequence[_Job], outcome: list[str] | Exception, here: bool = False
    ) -> bool:
        """Answer each job its share of a batch's ``outcome`` (its translations, or what
        the engine raised). A failed batch of several jobs answers nobody and gives False:
        the caller runs each job again alone, so one bad input fails only its own request."""
        source, target, _ = jobs[0].key
        count = sum(len(job.texts) for job in jobs)
        if not isinstance(outcome, Exception) and len(outcome) != count:
            outcome = EngineUnavailable(
                f"the {self.name} engine returned {len(outcome)} results for {count} sentences"
            )
        if isinstance(outcome, Exception):
            if len(jobs) > 1:
                return False
            if not isinstance(outcome, BriefsError):
                log.error("the %s engine failed on a batch", self.name, exc_info=outcome)
            self._answer(jobs[0], outcome, here)
            return True
        self.observer.batch_run(source, target, len(jobs), count)
        start = 0
        for job in jobs:
            self._answer(job, outcome[start : start + len(job.texts)], here)
            start += len(job.texts)
        return True

    def _run(self, key: _Key, jobs: list[_Job]) -> _Answered:
        """Run the jobs as one engine call and answer each caller (on failure, each job
        alone); the answered batch, marked just before its first answer."""
        source, target, options = key
        texts = [text for job in jobs for text in job.texts]
        try:
            outcome: list[str] | Exception = self.inner.translate(texts, source, target, options)
        except Exception as exc:
            outcome = exc
        answered = _Answered(self._arrivals, len(jobs))
        if not self._deliver(jobs, outcome):
            for job in jobs:
                self._run(key, [job])
        return answered
