"""Inputs that once crashed a whole run or lost a brief: each fails alone, or just works."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from service.jobs.failures import FAILURES_FILE
from service.jobs.progress import LogReporter
from service.jobs.runner import run_tasks
from tests.jobs.fake_job import STATE, expected_output, make_tasks, make_work, run


def test_a_symlink_loop_fails_alone_and_the_good_files_are_done(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    (root / "good.txt").write_text("fine")
    (root / "self.txt").symlink_to(root / "self.txt")  # ln -s self.txt d/self.txt
    (root / "a-b.txt").symlink_to(root / "b-a.txt")
    (root / "b-a.txt").symlink_to(root / "a-b.txt")
    result = run(root, out)
    assert result.done == ["good.txt"]
    assert (out / "good.out").read_bytes() == expected_output("fine")
    reasons = {f["input"]: f["reason"] for f in json.loads((out / FAILURES_FILE).read_text())}
    assert set(reasons) == {"self.txt", "a-b.txt", "b-a.txt"}
    assert all("symlink loop" in reason for reason in reasons.values())


def test_a_name_that_is_not_utf8_is_briefed_and_listed_readably(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    bad = os.fsdecode(b"bad\xff.txt")
    (root / bad).write_text("fine")
    (root / os.fsdecode(b"empty\xfe.txt")).write_text(" ")
    result = run(root, out)
    assert result.done == [bad]
    assert (out / os.fsdecode(b"bad\xff.out")).read_bytes() == expected_output("fine")
    failures = json.loads((out / FAILURES_FILE).read_text(encoding="utf-8"))
    assert [f["input"] for f in failures] == ["empty\\xfe.txt"]
    assert run(root, out).skipped == [bad]  # the state keeps the name as it is


def test_inputs_named_like_run_files_keep_their_outputs(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    for name in ("index", "failures", "_briefs/x"):
        (root / f"{name}.txt").parent.mkdir(parents=True, exist_ok=True)
        (root / f"{name}.txt").write_text(name)
    result = run(root, out)
    assert sorted(result.done) == ["failures.txt", "index.txt"]
    assert (out / "index.out").read_bytes() == expected_output("index")
    # The run's own folder is reserved: an input inside one like it is refused, not mixed in.
    [refused] = json.loads((out / FAILURES_FILE).read_text())
    assert refused["input"] == "_briefs/x.txt" and refused["code"] == "unsafe_path"
    assert run(root, out).done == []  # nothing is overwritten, so nothing is redone


def test_progress_never_counts_past_its_total(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    root.mkdir()
    (root / "a.txt").write_text("fine")
    os.mkfifo(root / "pipe.txt")
    stream = io.StringIO()
    tasks, refused = make_tasks(root)
    result = run_tasks(
        tasks,
        make_work(),
        out_dir=out,
        settings_fingerprint="s",
        state_name=STATE,
        refused=refused,
        reporter=LogReporter("fake", stream, interval_s=0.0),
    )
    assert result.done == ["a.txt"] and [f.input for f in result.failures] == ["pipe.txt"]
    log = stream.getvalue()
    assert "fake: refused pipe.txt: not a regular file" in log
    assert "1/1 (100%), 0 failed" in log
    assert "2/1" not in log and "ETA -" not in log
