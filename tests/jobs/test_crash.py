"""SIGKILL a real run at random moments, then resume: every input done exactly once."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service.jobs.atomic import TEMP_SUFFIX
from tests.conftest import REPO
from tests.jobs.fake_job import expected_output, run, state_keys

COUNT = 40


@pytest.mark.slow
def test_sigkill_at_random_moments_then_resume(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    for number in range(COUNT):
        path = root / f"group{number % 3}" / f"a{number:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"article {number}")

    rng = random.Random(1234)
    for _ in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.jobs.fake_job", str(root), str(out), "0.1"],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        # Kill at a random moment once this run has made progress (start-up time varies).
        _wait_for_more_outputs(out, proc)
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        _, stderr = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL, stderr.decode()
        _assert_no_partial_file(out)

    calls: list[str] = []
    result = run(root, out, calls=calls)
    assert result.failures == []
    assert sorted(result.done + result.skipped) == sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*.txt")
    )
    # Earlier runs got somewhere: the resume did not redo everything.
    assert len(calls) < COUNT
    outputs = sorted(p for p in out.rglob("*.out"))
    assert len(outputs) == COUNT
    for path in outputs:
        source = root / path.relative_to(out).with_suffix(".txt")
        assert path.read_bytes() == expected_output(source.read_text())
    assert list(out.rglob(f"*{TEMP_SUFFIX}")) == []
    assert len(state_keys(out)) == COUNT

    again: list[str] = []
    assert run(root, out, calls=again).done == []
    assert again == []


def _wait_for_more_outputs(out: Path, proc: subprocess.Popen[bytes]) -> None:
    before = len(list(out.rglob("*.out")))
    deadline = time.monotonic() + 30
    while len(list(out.rglob("*.out"))) <= before and proc.poll() is None:
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.01)


def _assert_no_partial_file(out: Path) -> None:
    """Outputs are whole or absent; only temp files (removed by the next run) may be partial."""
    if not out.exists():
        return
    for path in out.rglob("*.out"):
        assert path.read_bytes().endswith(b"\nEND\n"), path
    if (out / "_briefs").exists():
        state_keys(out)  # the state database opens and reads after any kill
