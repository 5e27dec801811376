"""Where the work function runs: threads in this process, or elsewhere (``ray_executor``).

An executor only runs ``work`` on each task and hands every outcome back to ``deliver`` in
the driver, which writes the outputs and the run state. So every executor gives the same
files, and resumes the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from service.jobs.failures import Failure

R = TypeVar("R")

NOT_NEEDED = "not_needed"  # the failure code of an input that needs no output


@dataclass(frozen=True)
class Produced:
    """What the work function made: the bytes of each declared output, plus facts to keep."""

    files: Mapping[str, bytes]
    meta: Mapping[str, Any] = field(default_factory=dict)  # deterministic, in the run state
    timings_ms: Mapping[str, float] = field(default_factory=dict)  # kept out of the outputs
    record: bytes | None = None  # the input's line in the run's stream file, if it has one


class NotNeeded(Exception):
    """Raised by a work function for an input that needs no output (e.g. already translated).

    The task counts as passed over, not failed; nothing is recorded, so the next run looks
    at it again.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Outcome = Produced | Failure
Deliver = Callable[[Any, Outcome], None]  # (task, outcome), called in the driver


class Executor(Protocol):
    """Runs ``work(task, task.load())`` for every task and delivers each outcome."""

    def run(self, tasks: Sequence[Any], work: Callable[..., Produced], deliver: Deliver) -> None:
        """Return once every task has been delivered (or on Ctrl-C, dropping the rest)."""
        ...


def attempt(key: str, work: Callable[[], R]) -> R | Failure:
    """Run one piece of work (or a load); any exception becomes that input's ``Failure``."""
    try:
        return work()
    except NotNeeded as exc:
        return Failure(key, NOT_NEEDED, exc.reason)
    except Exception as exc:  # one bad input must not stop the others
        return Failure.from_error(key, exc)


class LocalExecutor:
    """``jobs`` threads in this process (the engines release the GIL while they compute)."""

    def __init__(self, jobs: int = 1) -> None:
        self.jobs = max(1, jobs)

    def run(self, tasks: Sequence[Any], work: Callable[..., Produced], deliver: Deliver) -> None:
        """Run the tasks, at most ``jobs`` at a time."""

        def one(task: Any) -> None:
            deliver(task, attempt(task.key, lambda: work(task, task.load())))

        if self.jobs == 1:
            for task in tasks:
                one(task)
            return
        # Bounded submission: a million tasks never sit in the pool's queue at once.
        slots = threading.BoundedSemaphore(self.jobs * 2)
        errors: list[BaseException] = []  # from deliver (a full disk ...): they stop the run
        pool = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="briefs")

        def done(future: Future[None]) -> None:
            slots.release()
            if not future.cancelled() and future.exception() is not None:
                errors.append(future.exception())  # type: ignore[arg-type]

        try:
            for task in tasks:
                slots.acquire()
                if errors:
                    break
                pool.submit(one, task).add_done_callback(done)
        except BaseException:  # Ctrl-C: drop what has not started instead of running it all
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        if errors:
            raise errors[0]
