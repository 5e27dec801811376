"""The Ray executor on a real local Ray (2 CPUs): the same files as the local executor, and
an actor killed mid-run loses nothing."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest

from service.jobs.executors import Produced
from service.jobs.ray_executor import RayExecutor
from service.jobs.runner import run_tasks
from tests.jobs.fake_job import STATE, expected_output, make_tasks, make_work, state_keys

ray = pytest.importorskip("ray", reason="ray is in the dev extras; CI installs it")
pytestmark = pytest.mark.slow


def _dying_work(marker: Path):  # type: ignore[no-untyped-def]
    """The fake work, except that the actor that first meets ``a3.txt`` dies on it."""
    work = make_work()

    def dying(task, text) -> Produced:  # type: ignore[no-untyped-def]
        if task.key == "a3.txt" and not marker.exists():
            marker.write_text(str(os.getpid()))
            os._exit(1)  # the whole actor process goes, mid-call
        return work(task, text)

    return dying


def _run(root: Path, out: Path, executor: RayExecutor | None):  # type: ignore[no-untyped-def]
    tasks, refused = make_tasks(root)
    return run_tasks(
        tasks,
        make_work(),
        out_dir=out,
        settings_fingerprint="s",
        state_name=STATE,
        executor=executor,
        refused=refused,
    )


def _files(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and "-state.sqlite" not in p.name
    }


def test_ray_gives_the_local_files_and_survives_a_dying_actor(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    for number in range(8):
        (root / f"a{number}.txt").write_text(f"article {number}")
    (root / "boom.txt").write_text("BOOM")  # fails in the actor: listed, not lost

    local = _run(root, tmp_path / "local", None)
    marker = tmp_path / "died"
    executor = RayExecutor(partial(_dying_work, marker), actors=2, local_cpus=2)
    distributed = _run(root, tmp_path / "ray", executor)

    assert marker.exists()  # an actor did die in the middle of the run
    assert sorted(distributed.done) == sorted(local.done)
    assert [f.input for f in distributed.failures] == ["boom.txt"]
    assert "the engine fell over" in distributed.failures[0].reason
    assert _files(tmp_path / "ray") == _files(tmp_path / "local")
    assert (tmp_path / "ray" / "a3.out").read_bytes() == expected_output("article 3")
    assert state_keys(tmp_path / "ray") == state_keys(tmp_path / "local")
    assert _run(root, tmp_path / "ray", executor).done == []  # resumable the same way
