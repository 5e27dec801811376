"""The run state: one row per input, outputs re-hashed only when their size or mtime moved."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.jobs import state as state_module
from service.jobs.state import Entry, RunState, written


def _state(out: Path) -> RunState:
    return RunState(out / "_briefs" / "t-state.sqlite")


def _done(out: Path, key: str, data: bytes) -> None:
    path = out / f"{key}.out"
    path.write_bytes(data)
    with _state(out) as state:
        state.record(key, Entry("in", "s", {f"{key}.out": written(path, data)}, {"n": 1}))


def test_rows_survive_reopening_and_keep_any_name(tmp_path: Path) -> None:
    odd = os.fsdecode(b"bad\xff")
    _done(tmp_path, odd, b"one")
    with _state(tmp_path) as state:
        assert state.is_current(odd, "in", "s", [f"{odd}.out"])
        assert not state.is_current(odd, "other input", "s", [f"{odd}.out"])
        assert not state.is_current(odd, "in", "other settings", [f"{odd}.out"])
        assert state.entries[odd].meta == {"n": 1}
        state.forget([odd])
    with _state(tmp_path) as state:
        assert state.entries == {}


def test_an_unchanged_output_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _done(tmp_path, "a", b"one")
    hashed: list[bytes] = []
    real = state_module.sha256_hex
    monkeypatch.setattr(state_module, "sha256_hex", lambda d: hashed.append(d) or real(d))
    with _state(tmp_path) as state:
        assert state.is_current("a", "in", "s", ["a.out"])
        assert hashed == []  # same size and mtime: trusted without reading

        os.utime(tmp_path / "a.out", ns=(1, 1))  # touched, same bytes: read, still current
        assert state.is_current("a", "in", "s", ["a.out"])
        assert hashed == [b"one"]

        (tmp_path / "a.out").write_bytes(b"two")  # same size, other bytes: not current
        assert not state.is_current("a", "in", "s", ["a.out"])
        (tmp_path / "a.out").write_bytes(b"longer")
        assert not state.is_current("a", "in", "s", ["a.out"])
        (tmp_path / "a.out").unlink()
        assert not state.is_current("a", "in", "s", ["a.out"])
