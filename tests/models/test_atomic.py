from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.models.atomic import atomic_install


def _install(final: Path, models_dir: Path, text: str) -> None:
    with atomic_install(final, models_dir) as staging:
        (staging / "weights.bin").write_text(text)


def test_a_new_model_replaces_the_old_one(tmp_path: Path) -> None:
    final = tmp_path / "translation" / "en-es"
    _install(final, tmp_path, "old")
    _install(final, tmp_path, "new")
    assert (final / "weights.bin").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["translation"]


def test_a_failed_rename_puts_the_old_model_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    final = tmp_path / "translation" / "en-es"
    _install(final, tmp_path, "old")
    real_replace = os.replace
    failed: list[str] = []

    def replace(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == final and Path(src).name.startswith(".staging-en-es") and not failed:
            failed.append(str(src))
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="No space left"):
        _install(final, tmp_path, "new")
    assert failed, "the staging rename was not attempted"
    assert (final / "weights.bin").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["translation"]  # nothing left aside
