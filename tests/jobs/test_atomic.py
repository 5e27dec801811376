from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.jobs.atomic import (
    TEMP_SUFFIX,
    remove_temp_files,
    write_atomic,
    write_atomic_if_changed,
)


def test_write_replaces_the_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_text("old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["a.json"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.json"
    target.write_text("old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.json"]


def test_write_if_changed_leaves_an_identical_file_alone(tmp_path: Path) -> None:
    target = tmp_path / "index.md"
    assert write_atomic_if_changed(target, b"x")
    before = target.stat().st_mtime_ns
    assert not write_atomic_if_changed(target, b"x")
    assert target.stat().st_mtime_ns == before
    assert write_atomic_if_changed(target, b"y")
    assert target.read_bytes() == b"y"


def test_leftover_temp_files_are_removed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / f".a.json.x1{TEMP_SUFFIX}").write_text("{partial")
    (tmp_path / "sub" / "a.json").write_text("{}")
    (tmp_path / "keep.briefs-tmp").write_text("not ours: no leading dot")
    assert remove_temp_files(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "a.json",
        "keep.briefs-tmp",
    ]
