from __future__ import annotations

from pathlib import Path

import pytest

from service.errors import InvalidInput
from service.jobs.articles import SKIP_SUFFIXES
from service.jobs.discover import discover
from service.jobs.readers import ARTICLE_SUFFIXES


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")


def test_finds_every_format_recursively_and_in_order(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        [
            "b.txt",
            "a.md",
            "world/americas/c.html",
            "world/d.json",
            "world/d.summary.json",  # a seed's reference summary: not an article
            "notes.csv",
            ".hidden.txt",
            ".git/config.txt",
        ],
    )
    found = discover(tmp_path, ARTICLE_SUFFIXES, skip_suffixes=SKIP_SUFFIXES)
    assert [f.rel for f in found.files] == [
        "a.md",
        "b.txt",
        "world/americas/c.html",
        "world/d.json",
    ]
    assert found.refused == []


def test_the_output_folder_inside_the_input_is_not_read(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.txt", "briefs/a.json", "briefs/a.md"])
    found = discover(tmp_path, ARTICLE_SUFFIXES, exclude=[tmp_path / "briefs"])
    assert [f.rel for f in found.files] == ["a.txt"]


def test_the_input_folder_as_output_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="output folder is the input folder"):
        discover(tmp_path, ARTICLE_SUFFIXES, exclude=[tmp_path])


def test_symlinks_pointing_outside_are_refused_and_inside_ones_followed(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _tree(root, ["a.txt", "sub/b.txt"])
    _tree(tmp_path, ["secret.txt", "elsewhere/c.txt"])
    (root / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (root / "leakdir").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (root / "alias.txt").symlink_to(root / "a.txt")
    (root / "subalias").symlink_to(root / "sub", target_is_directory=True)
    (root / "broken.txt").symlink_to(root / "missing.txt")
    found = discover(root, ARTICLE_SUFFIXES)
    assert [f.rel for f in found.files] == ["a.txt", "alias.txt", "sub/b.txt"]
    refused = {f.input: f for f in found.refused}
    assert set(refused) == {"leak.txt", "leakdir", "broken.txt"}
    assert refused["leak.txt"].code == "unsafe_path"
    assert "outside the input folder" in refused["leakdir"].reason


def test_a_single_file_and_bad_paths(tmp_path: Path) -> None:
    _tree(tmp_path, ["one.md", "one.summary.json", "one.csv"])
    found = discover(tmp_path / "one.md", ARTICLE_SUFFIXES, skip_suffixes=SKIP_SUFFIXES)
    assert [(f.rel, f.path) for f in found.files] == [("one.md", (tmp_path / "one.md"))]
    for name in ("one.summary.json", "one.csv", "missing.txt"):
        with pytest.raises(InvalidInput):
            discover(tmp_path / name, ARTICLE_SUFFIXES, skip_suffixes=SKIP_SUFFIXES)
