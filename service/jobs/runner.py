"""The resumable, parallel loop over a folder's inputs, shared by ``brief`` and ``translate``.

Each ``Task`` names an input (its key and content hash) and the outputs it will write; the
command's work function turns the loaded input into the bytes of those outputs. The runner
skips tasks the manifest shows as done with the same input and settings, writes every output
atomically, records each finished task in the manifest, isolates failures into
``failures.json`` and never writes outside the output folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from service.errors import BriefsError, InvalidInput
from service.jobs.atomic import remove_temp_files, write_atomic, write_atomic_if_changed
from service.jobs.failures import Failure, write_failures
from service.jobs.manifest import Entry, Manifest, sha256_hex
from service.jobs.paths import UnsafePath, output_path
from service.jobs.progress import Reporter

T = TypeVar("T")


@dataclass(frozen=True)
class Task(Generic[T]):
    """One input: its manifest key, content hash, the outputs it writes, and how to load it."""

    key: str  # relative input path, plus "#n" for an item of a list file
    digest: str  # hash of the input's content
    outputs: tuple[str, ...]  # output paths relative to the output folder
    load: Callable[[], T]  # reads and parses the input; raises BriefsError for a bad one


@dataclass(frozen=True)
class Produced:
    """What the work function made: the bytes of each declared output, plus facts to keep."""

    files: Mapping[str, bytes]
    meta: Mapping[str, Any] = field(default_factory=dict)  # deterministic, kept in the manifest
    timings_ms: Mapping[str, float] = field(default_factory=dict)


Work = Callable[[Task[T], T], Produced]
Finish = Callable[["RunResult"], Mapping[str, bytes]]


@dataclass
class RunResult:
    """How a run went. ``entries`` holds the manifest entries of every done or skipped task."""

    out_dir: Path
    done: list[str]
    skipped: list[str]
    failures: list[Failure]
    passed: list[Failure]  # inputs the work function said need no output (``NotNeeded``)
    seconds: float
    entries: dict[str, Entry]


class OutputBusy(BriefsError):
    code = "output_busy"


class NotNeeded(Exception):
    """Raised by a work function for an input that needs no output (e.g. already translated).

    The task counts as passed over, not failed; nothing is recorded, so the next run looks
    at it again.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def run_tasks(
    tasks: Sequence[Task[T]],
    work: Work[T],
    *,
    out_dir: Path,
    settings_fingerprint: str,
    manifest_name: str,
    jobs: int = 1,
    force: bool = False,
    refused: Sequence[Failure] = (),
    protected: frozenset[Path] = frozenset(),
    reporter: Reporter | None = None,
    finish: Finish | None = None,
) -> RunResult:
    """Run ``work`` over the tasks that are not already done; see the module docstring.

    ``refused`` are inputs that failed before they became tasks (discovery, parsing);
    ``protected`` are resolved input paths no output may overwrite; ``finish`` returns extra
    files (an index) written atomically, only when changed, once every task is over.
    """
    started = time.monotonic()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create the output folder {out_dir}: {exc.strerror}") from None
    out_dir = out_dir.resolve()
    with _exclusive(out_dir):
        remove_temp_files(out_dir)
        manifest = Manifest.load(out_dir / manifest_name)
        failures = list(refused)
        todo, skipped = _plan(tasks, out_dir, protected, manifest, settings_fingerprint, force)
        failures += todo.failures
        if reporter is not None:
            reporter.start(len(todo.tasks), len(skipped), len(failures))
            for failure in failures:
                reporter.advance(failure.input, "failed", failure.reason)

        def one(task: Task[T]) -> Failure | None:
            try:
                _run_one(task, work, out_dir, manifest, settings_fingerprint)
            except NotNeeded as exc:
                if reporter is not None:
                    reporter.advance(task.key, "passed", exc.reason)
                return Failure(task.key, "not_needed", exc.reason)
            except Exception as exc:  # one bad input must not stop the others
                failure = Failure.from_error(task.key, exc)
                if reporter is not None:
                    reporter.advance(task.key, "failed", failure.reason)
                return failure
            if reporter is not None:
                reporter.advance(task.key, "done")
            return None

        try:
            if jobs <= 1:
                results = [one(task) for task in todo.tasks]
            else:
                pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="briefs")
                try:
                    results = list(pool.map(one, todo.tasks))
                finally:  # on Ctrl-C, drop what has not started instead of running it all
                    pool.shutdown(wait=True, cancel_futures=True)
        finally:
            if reporter is not None:
                reporter.stop()
        passed = [f for f in results if f is not None and f.code == "not_needed"]
        failures += [f for f in results if f is not None and f.code != "not_needed"]
        not_done = {f.input for f in failures} | {f.input for f in passed}
        manifest.forget(sorted(not_done))
        done = [t.key for t in todo.tasks if t.key not in not_done]
        keep = set(done) | set(skipped)
        result = RunResult(
            out_dir=out_dir,
            done=done,
            skipped=skipped,
            failures=sorted(failures, key=lambda f: f.input),
            passed=passed,
            seconds=0.0,
            entries={k: e for k, e in sorted(manifest.entries.items()) if k in keep},
        )
        write_failures(out_dir, result.failures)
        if finish is not None:
            for rel, data in finish(result).items():
                write_atomic_if_changed(output_path(out_dir, rel, create_parents=True), data)
        result.seconds = time.monotonic() - started
        return result


@dataclass
class _Todo(Generic[T]):
    tasks: list[Task[T]]
    failures: list[Failure]


def _plan(
    tasks: Sequence[Task[T]],
    out_dir: Path,
    protected: frozenset[Path],
    manifest: Manifest,
    settings: str,
    force: bool,
) -> tuple[_Todo[T], list[str]]:
    """Split tasks into to-do and skipped; refuse unsafe or colliding outputs."""
    todo: _Todo[T] = _Todo([], [])
    skipped: list[str] = []
    owner: dict[str, str] = {}
    for task in sorted(tasks, key=lambda t: _natural(t.key)):
        try:
            for rel in task.outputs:
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
        if not force and manifest.is_current(task.key, task.digest, settings, list(task.outputs)):
            skipped.append(task.key)
        else:
            todo.tasks.append(task)
    return todo, skipped


def _run_one(
    task: Task[T], work: Work[T], out_dir: Path, manifest: Manifest, settings: str
) -> None:
    produced = work(task, task.load())
    if set(produced.files) != set(task.outputs):
        raise RuntimeError(f"work made {sorted(produced.files)}, expected {task.outputs}")
    hashes: dict[str, str] = {}
    for rel in task.outputs:
        data = produced.files[rel]
        write_atomic(output_path(out_dir, rel, create_parents=True), data)
        hashes[rel] = sha256_hex(data)
    # Recorded only after every output is in place: a kill before this line means a redo.
    manifest.record(
        task.key,
        Entry(
            input=task.digest,
            settings=settings,
            outputs=hashes,
            meta=dict(produced.meta),
            timings_ms=dict(produced.timings_ms),
        ),
    )


def _natural(key: str) -> tuple[str, int]:
    """Sort ``a.json#10`` after ``a.json#9``."""
    name, _, index = key.partition("#")
    return (name, int(index) if index.isdigit() else 0)


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
