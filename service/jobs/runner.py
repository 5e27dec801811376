"""The resumable, parallel loop over a folder's inputs, shared by ``brief`` and ``translate``.

Each ``Task`` names an input (its key and content hash) and the outputs it will write; the
command's work function turns the loaded input into the bytes of those outputs. The runner
skips tasks the run state (``state``) shows as done with the same input and settings, hands
the rest to an executor (threads here, or Ray actors), writes every output atomically in
this process, records each finished task with one small write, isolates failures into
``_briefs/failures.json`` and never writes outside the output folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from service.errors import BriefsError, InvalidInput
from service.jobs.atomic import remove_temp_files, write_atomic, write_atomic_if_changed
from service.jobs.executors import (
    NOT_NEEDED,
    Executor,
    LocalExecutor,
    NotNeeded,
    Outcome,
    Produced,
)
from service.jobs.failures import Failure, write_failures
from service.jobs.paths import RUN_DIR, UnsafePath, output_path
from service.jobs.progress import Reporter
from service.jobs.state import Entry, RunState, written
from service.jobs.stream import StreamFile

__all__ = ["NotNeeded", "OutputBusy", "Produced", "RunResult", "Task", "Work", "run_tasks"]

T = TypeVar("T")


@dataclass(frozen=True)
class Task(Generic[T]):
    """One input: its state key, content hash, the outputs it writes, and how to load it."""

    key: str  # relative input path, plus "#n" for an item of a list file
    digest: str  # hash of the input's content
    outputs: tuple[str, ...]  # output paths relative to the output folder
    load: Callable[[], T]  # reads and parses the input; raises BriefsError for a bad one


Work = Callable[[Task[T], T], Produced]
Finish = Callable[["RunResult"], Mapping[str, bytes]]


@dataclass
class RunResult:
    """How a run went. ``entries`` holds the state entries of every done or skipped task."""

    out_dir: Path
    done: list[str]
    skipped: list[str]
    failures: list[Failure]
    passed: list[Failure]  # inputs the work function said need no output (``NotNeeded``)
    seconds: float
    entries: dict[str, Entry]


class OutputBusy(BriefsError):
    code = "output_busy"


def run_tasks(
    tasks: Sequence[Task[T]],
    work: Work[T],
    *,
    out_dir: Path,
    settings_fingerprint: str,
    state_name: str,
    jobs: int = 1,
    executor: Executor | None = None,
    stream: str | None = None,
    force: bool = False,
    refused: Sequence[Failure] = (),
    protected: frozenset[Path] = frozenset(),
    reporter: Reporter | None = None,
    finish: Finish | None = None,
) -> RunResult:
    """Run ``work`` over the tasks (in input order) not already done; see the module docstring.

    ``state_name`` names the run state (``_briefs/<name>-state.sqlite``); ``executor``
    defaults to ``jobs`` local threads; ``stream`` names a file every task also adds one
    line to (``Produced.record``); ``refused`` are inputs that failed before they became
    tasks (discovery, parsing); ``protected`` are resolved input paths no output may
    overwrite; ``finish`` returns extra files (an index) written atomically, only when
    changed, once every task is over.
    """
    started = time.monotonic()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create the output folder {out_dir}: {exc.strerror}") from None
    out_dir = out_dir.resolve()
    with _exclusive(out_dir), RunState(out_dir / RUN_DIR / f"{state_name}-state.sqlite") as state:
        remove_temp_files(out_dir)
        lines = StreamFile(output_path(out_dir, stream)) if stream is not None else None
        failures = list(refused)
        todo = _plan(tasks, out_dir, protected, state, settings_fingerprint, force, lines, stream)
        failures += todo.failures
        if reporter is not None:
            reporter.start(len(todo.tasks), len(todo.skipped), len(failures))
            for failure in failures:
                reporter.refused(failure.input, failure.reason)
        missed: list[Failure] = []

        def deliver(task: Task[T], outcome: Outcome) -> None:
            if isinstance(outcome, Produced):
                try:
                    _keep(task, outcome, out_dir, state, settings_fingerprint, lines)
                except Exception as exc:  # an output that cannot be written fails that input
                    outcome = Failure.from_error(task.key, exc)
            if isinstance(outcome, Failure):
                missed.append(outcome)
            if reporter is not None:
                if isinstance(outcome, Produced):
                    reporter.advance(task.key, "done")
                elif outcome.code == NOT_NEEDED:
                    reporter.advance(task.key, "passed", outcome.reason)
                else:
                    reporter.advance(task.key, "failed", outcome.reason)

        try:
            (executor or LocalExecutor(jobs)).run(todo.tasks, work, deliver)
        finally:
            if reporter is not None:
                reporter.stop()
        passed = [f for f in missed if f.code == NOT_NEEDED]
        failures += [f for f in missed if f.code != NOT_NEEDED]
        not_done = {f.input for f in missed}
        state.forget(sorted(not_done))
        done = [t.key for t in todo.tasks if t.key not in not_done]
        keep = set(done) | set(todo.skipped)
        order = [t.key for t in todo.ordered if t.key in keep]
        if lines is not None:
            lines.compact([state.entries[key].record for key in order])
        result = RunResult(
            out_dir=out_dir,
            done=done,
            skipped=todo.skipped,
            failures=sorted(failures, key=lambda f: f.input),
            passed=passed,
            seconds=0.0,
            entries={key: state.entries[key] for key in order},
        )
        write_failures(out_dir, result.failures)
        if finish is not None:
            for rel, data in finish(result).items():
                write_atomic_if_changed(output_path(out_dir, rel, create_parents=True), data)
        result.seconds = time.monotonic() - started
        return result


@dataclass
class _Todo(Generic[T]):
    ordered: list[Task[T]]  # every task with safe outputs, in input order
    tasks: list[Task[T]]  # those to do
    skipped: list[str]  # keys of those already done
    failures: list[Failure]


def _plan(
    tasks: Sequence[Task[T]],
    out_dir: Path,
    protected: frozenset[Path],
    state: RunState,
    settings: str,
    force: bool,
    lines: StreamFile | None,
    stream: str | None,
) -> _Todo[T]:
    """Split tasks into to-do and skipped; refuse unsafe or colliding outputs."""
    todo: _Todo[T] = _Todo([], [], [], [])
    owner: dict[str, str] = {} if stream is None else {stream: "the run's stream file"}
    records = lines.hashes() if lines is not None else frozenset()
    for task in tasks:  # in input order, as the caller gives them
        try:
            for rel in task.outputs:
                if rel.split("/", 1)[0] == RUN_DIR:
                    raise UnsafePath(f"refused output {rel!r}: {RUN_DIR}/ holds the run's files")
                path = output_path(out_dir, rel)
                if path.resolve() in protected:
                    raise UnsafePath(f"refused output {rel!r}: it would overwrite an input")
                if rel in owner:
                    raise InvalidInput(
                        f"its output {rel!r} is also the output of {owner[rel]!r}",
                        hint="rename one of the two inputs",
                    )
        except BriefsError as exc:
            todo.failures.append(Failure.from_error(task.key, exc))
            continue
        owner.update(dict.fromkeys(task.outputs, task.key))
        todo.ordered.append(task)
        current = not force and state.is_current(
            task.key, task.digest, settings, list(task.outputs)
        )
        if current and lines is not None:
            current = state.entries[task.key].record in records
        if current:
            todo.skipped.append(task.key)
        else:
            todo.tasks.append(task)
    return todo


def _keep(
    task: Task[Any],
    produced: Produced,
    out_dir: Path,
    state: RunState,
    settings: str,
    lines: StreamFile | None,
) -> None:
    """Write what the work made, then record it (a kill before the record means a redo)."""
    if set(produced.files) != set(task.outputs):
        raise RuntimeError(f"work made {sorted(produced.files)}, expected {task.outputs}")
    if (produced.record is None) != (lines is None):
        raise RuntimeError("work made a stream record where none was expected, or none")
    outputs = {}
    for rel in task.outputs:
        data = produced.files[rel]
        path = output_path(out_dir, rel, create_parents=True)
        write_atomic(path, data)
        outputs[rel] = written(path, data)
    record = lines.append(produced.record) if lines and produced.record is not None else ""
    state.record(
        task.key,
        Entry(
            input=task.digest,
            settings=settings,
            outputs=outputs,
            meta=dict(produced.meta),
            timings_ms=dict(produced.timings_ms),
            record=record,
        ),
    )


@contextlib.contextmanager
def _exclusive(out_dir: Path) -> Iterator[None]:
    """One run per output folder at a time; the lock dies with the process (even SIGKILL)."""
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusy(
                f"another briefs run is writing to {out_dir}",
                hint="wait for it to finish or pick another --out folder",
            ) from None
        yield
    finally:
        os.close(fd)
