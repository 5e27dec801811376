from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from service.errors import InvalidInput
from service.jobs.failures import FAILURES_FILE
from service.jobs.runner import OutputBusy, Produced, Task, run_tasks
from tests.jobs.fake_job import (
    STATE,
    expected_output,
    forget_in_state,
    is_state_file,
    run,
)


def _inputs(root: Path, count: int = 6) -> None:
    for number in range(count):
        path = root / ("nested/deeper" if number % 2 else "") / f"a{number}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"article {number}")


def _snapshot(out: Path) -> dict[str, bytes]:
    """Every output file except the run state (which holds run-to-run timings)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not is_state_file(p.relative_to(out).as_posix())
    }


def test_first_run_writes_everything_and_a_rerun_is_a_no_op(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    _inputs(root)
    first = run(root, out)
    assert sorted(first.done) == sorted(f"{p}" for p in _keys(root))
    assert (out / "nested/deeper/a1.out").read_bytes() == expected_output("article 1")
    assert json.loads((out / FAILURES_FILE).read_text()) == []
    before = _mtimes(out)

    calls: list[str] = []
    second = run(root, out, calls=calls)
    assert (second.done, calls, second.failures) == ([], [], [])
    assert sorted(second.skipped) == sorted(first.done)
    assert _mtimes(out) == before


def _keys(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*.txt")]


def test_a_changed_article_or_setting_is_redone(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    _inputs(root)
    run(root, out)
    (root / "a2.txt").write_text("article 2, corrected")
    calls: list[str] = []
    result = run(root, out, calls=calls)
    assert calls == ["a2.txt"]
    assert (out / "a2.out").read_bytes() == expected_output("article 2, corrected")
    assert len(result.skipped) == 5

    calls.clear()
    run(root, out, calls=calls, fingerprint="settings-2")
    assert len(calls) == 6


def test_force_redoes_all(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    _inputs(root)
    run(root, out)
    calls: list[str] = []
    result = run(root, out, force=True, calls=calls)
    assert sorted(calls) == sorted(_keys(root))
    assert result.skipped == []


def test_damaged_or_missing_outputs_are_redone(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    _inputs(root)
    run(root, out)
    (out / "a0.out").unlink()
    (out / "a2.out").write_bytes(b"ARTICLE 2\n...")  # as if truncated by hand
    calls: list[str] = []
    run(root, out, calls=calls)
    assert sorted(calls) == ["a0.txt", "a2.txt"]
    assert (out / "a2.out").read_bytes() == expected_output("article 2")


def test_a_kill_after_the_outputs_but_before_the_record_means_a_redo(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    _inputs(root, 2)
    run(root, out)
    forget_in_state(out, "a0.txt")
    calls: list[str] = []
    run(root, out, calls=calls)
    assert calls == ["a0.txt"]


def test_a_corrupt_state_redoes_everything(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    _inputs(root, 3)
    run(root, out)
    (out / "_briefs" / f"{STATE}-state.sqlite").write_bytes(b"not a database at all" * 100)
    calls: list[str] = []
    run(root, out, calls=calls)
    assert len(calls) == 3


def test_bad_inputs_fail_alone_and_are_listed(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    _inputs(root, 4)
    (root / "empty.txt").write_text("  \n")
    (root / "crash.txt").write_text("BOOM")
    (root / "leak.txt").symlink_to(tmp_path / "elsewhere.txt")
    (tmp_path / "elsewhere.txt").write_text("secret")
    result = run(root, out, jobs=2)
    assert len(result.done) == 4
    failures = json.loads((out / FAILURES_FILE).read_text())
    assert [(f["input"], f["code"]) for f in failures] == [
        ("crash.txt", "internal_error"),
        ("empty.txt", "empty_input"),
        ("leak.txt", "unsafe_path"),
    ]
    assert "the engine fell over" in failures[0]["reason"]
    assert not (out / "leak.out").exists()

    (root / "crash.txt").write_text("fixed now")
    result = run(root, out)
    assert result.done == ["crash.txt"]
    assert [f["input"] for f in json.loads((out / FAILURES_FILE).read_text())] == [
        "empty.txt",
        "leak.txt",
    ]


def test_jobs_2_writes_exactly_what_jobs_1_writes(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _inputs(root, 12)
    (root / "empty.txt").write_text("")
    run(root, tmp_path / "one", jobs=1)
    run(root, tmp_path / "two", jobs=2, delay_s=0.01)
    assert _snapshot(tmp_path / "one") == _snapshot(tmp_path / "two")
    assert len(_snapshot(tmp_path / "one")) == 13  # 12 outputs + failures.json


def test_colliding_and_escaping_outputs_are_refused(tmp_path: Path) -> None:
    out = (tmp_path / "out").resolve()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")

    def work(task: Task[str], text: str) -> Produced:
        return Produced(dict.fromkeys(task.outputs, text.encode()))

    tasks = [
        Task("a", "1", ("same.out",), lambda: "a"),
        Task("b", "2", ("same.out",), lambda: "b"),
        Task("c", "3", ("../victim.txt",), lambda: "c"),
        Task("d", "4", ("d.out",), lambda: "d"),
    ]
    result = run_tasks(
        tasks,
        work,
        out_dir=out,
        settings_fingerprint="s",
        state_name=STATE,
        protected=frozenset({out / "d.out"}),
    )
    assert result.done == ["a"]
    assert {f.input: f.code for f in result.failures} == {
        "b": "invalid_input",
        "c": "unsafe_path",
        "d": "unsafe_path",
    }
    assert (out / "same.out").read_text() == "a"
    assert victim.read_text() == "keep me"


def test_a_second_run_on_the_same_folder_is_refused(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    _inputs(root, 1)
    entered, release = threading.Event(), threading.Event()

    def slow(task: Task[str], text: str) -> Produced:
        entered.set()
        release.wait(5)
        return Produced({task.outputs[0]: b"x"})

    tasks = [Task("a", "1", ("a.out",), lambda: "a")]
    kwargs = {"out_dir": out, "settings_fingerprint": "s", "state_name": STATE}
    thread = threading.Thread(target=lambda: run_tasks(tasks, slow, **kwargs))  # type: ignore[arg-type]
    thread.start()
    try:
        assert entered.wait(5)
        with pytest.raises(OutputBusy):
            run(root, out)
    finally:
        release.set()
        thread.join()


def test_an_output_folder_that_is_a_file_is_one_readable_error(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "out").write_text("a file")
    with pytest.raises(InvalidInput, match="cannot create the output folder"):
        run(tmp_path / "in", tmp_path / "out")


def _mtimes(out: Path) -> dict[Path, int]:
    """When each output file was last written (the run state's own files aside)."""
    return {
        p: p.stat().st_mtime_ns
        for p in out.rglob("*")
        if p.is_file() and not is_state_file(p.relative_to(out).as_posix())
    }
