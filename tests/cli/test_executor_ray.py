"""``--executor ray`` through the CLI on the tiny models: a real local Ray, the same briefs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.config import get_settings
from tests.conftest import SEEDS
from tests.jobs.fake_job import is_state_file

pytest.importorskip("ray", reason="ray is in the dev extras; CI installs it")
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _tiny_models(installed_models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFS_MAX_DECODING_LENGTH", "6")
    get_settings.cache_clear()


def _files(out: Path) -> dict[str, bytes]:
    return {
        rel: p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not is_state_file(rel := p.relative_to(out).as_posix())
    }


def _brief(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["brief", *args])
    return result.exit_code, result.output


def test_ray_briefs_equal_the_local_ones(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("fuego-volcano-evacuation.en.txt", "dengue-brote-honduras.es.txt"):
        shutil.copy(SEEDS / name, src / name)
    (src / "empty.txt").write_text("  \n")

    code, output = _brief(str(src), "--out", str(tmp_path / "local"))
    assert code == 1 and "done 2, skipped 0, failed 1" in output, output
    code, output = _brief(
        str(src), "--out", str(tmp_path / "ray"), "--executor", "ray", "--ray-actors", "2"
    )
    assert code == 1 and "done 2, skipped 0, failed 1" in output, output

    assert _files(tmp_path / "ray") == _files(tmp_path / "local")
    assert "fuego-volcano-evacuation.en.json" in _files(tmp_path / "ray")


def test_ray_options_need_the_ray_executor(tmp_path: Path) -> None:
    code, output = _brief(str(SEEDS), "--out", str(tmp_path / "out"), "--ray-actors", "2")
    assert code == 1
    assert "the --ray-* options need --executor ray" in output
    assert "Traceback" not in output
