from __future__ import annotations

from pathlib import Path

import pytest

from service.jobs.paths import UnsafePath, output_path


@pytest.mark.parametrize(
    "rel", ["../escape.json", "a/../../escape.json", "/etc/passwd", "a/./b.json", "a\\b", ""]
)
def test_names_that_could_escape_are_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(UnsafePath):
        output_path(tmp_path, rel, create_parents=True)


def test_a_plain_nested_name_is_created_inside(tmp_path: Path) -> None:
    out = tmp_path.resolve()
    path = output_path(out, "world/americas/rain.en.json", create_parents=True)
    assert path == out / "world" / "americas" / "rain.en.json"
    assert path.parent.is_dir()


def test_a_symlinked_subfolder_pointing_outside_is_refused(tmp_path: Path) -> None:
    out = (tmp_path / "out").resolve()
    outside = tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (out / "world").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath, match="outside the output folder"):
        output_path(out, "world/rain.json", create_parents=True)
    assert list(outside.iterdir()) == []


def test_a_symlink_in_place_of_the_output_is_refused(tmp_path: Path) -> None:
    out = (tmp_path / "out").resolve()
    out.mkdir()
    (tmp_path / "victim.txt").write_text("keep me")
    (out / "rain.json").symlink_to(tmp_path / "victim.txt")
    with pytest.raises(UnsafePath, match="symlink"):
        output_path(out, "rain.json")
