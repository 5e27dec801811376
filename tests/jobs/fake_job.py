"""A small plumbing job for runner tests: each ``.txt`` file -> an upper-cased ``.out`` file.

Also runnable as ``python -m tests.jobs.fake_job IN OUT [delay_s]`` so the crash test can
SIGKILL a real process in the middle of a run.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import time
from pathlib import Path

from service.errors import EmptyInput
from service.jobs.discover import discover
from service.jobs.failures import Failure
from service.jobs.paths import RUN_DIR
from service.jobs.runner import Produced, RunResult, Task, run_tasks

STATE = "fake"
# Large enough that a kill often lands in the middle of writing an output.
PADDING = 64 * 1024


def make_tasks(root: Path) -> tuple[list[Task[str]], list[Failure]]:
    """One task per ``.txt`` file under ``root``."""
    found = discover(root, [".txt"])
    tasks = [
        Task(
            key=f.rel,
            digest=hashlib.sha256(f.path.read_bytes()).hexdigest(),
            outputs=(f.rel.removesuffix(".txt") + ".out",),
            load=f.path.read_text,
        )
        for f in found.files
    ]
    return tasks, found.refused


def is_state_file(rel: str) -> bool:
    """Whether ``rel`` (relative to the output folder) is a run-state database file."""
    return rel.startswith(f"{RUN_DIR}/") and "-state.sqlite" in rel


def state_keys(out: Path, name: str = STATE) -> list[str]:
    """The input keys the run state of ``out`` holds, read with plain SQLite."""
    with sqlite3.connect(out / RUN_DIR / f"{name}-state.sqlite") as db:
        return sorted(json.loads(key) for (key,) in db.execute("SELECT key FROM entries"))


def forget_in_state(out: Path, key: str, name: str = STATE) -> None:
    """Delete one input's row: the state a kill between its outputs and its record leaves."""
    with sqlite3.connect(out / RUN_DIR / f"{name}-state.sqlite") as db:
        db.execute("DELETE FROM entries WHERE key = ?", (json.dumps(key),))


def expected_output(text: str) -> bytes:
    """What the fake work makes of an input."""
    return (text.upper() + "\n" + "." * PADDING + "\nEND\n").encode()


def make_work(delay_s: float = 0.0, calls: list[str] | None = None):  # type: ignore[no-untyped-def]
    """The work function; records each key it is called with in ``calls``."""

    def work(task: Task[str], text: str) -> Produced:
        if calls is not None:
            calls.append(task.key)
        if not text.strip():
            raise EmptyInput("the file is empty")
        if "BOOM" in text:
            raise RuntimeError("the engine fell over")
        time.sleep(delay_s)
        return Produced({task.outputs[0]: expected_output(text)}, {"chars": len(text)})

    return work


def run(
    root: Path,
    out: Path,
    *,
    jobs: int = 1,
    force: bool = False,
    delay_s: float = 0.0,
    calls: list[str] | None = None,
    fingerprint: str = "settings-1",
) -> RunResult:
    """Run the fake job over ``root`` into ``out``."""
    tasks, refused = make_tasks(root)
    return run_tasks(
        tasks,
        make_work(delay_s, calls),
        out_dir=out,
        settings_fingerprint=fingerprint,
        state_name=STATE,
        jobs=jobs,
        force=force,
        refused=refused,
    )


if __name__ == "__main__":
    result = run(Path(sys.argv[1]), Path(sys.argv[2]), jobs=2, delay_s=float(sys.argv[3]))
    print(f"done {len(result.done)}, skipped {len(result.skipped)}")
