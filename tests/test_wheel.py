"""The wheel works outside the checkout: templates inside the package, one version, a LICENSE.

The wheel is built from this checkout and installed into a fresh virtual environment, without
its dependencies (the test venv's site-packages serves them through a ``.pth`` line, which
does not run the checkout's editable-install hook), then ``briefs brief`` runs over the seeds
from an empty folder with the checkout out of reach.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS

pytestmark = pytest.mark.slow


def _run(*command: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_wheel_briefs_the_seeds_from_an_empty_folder(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", tmp_path / "dist", REPO, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("briefs-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "service/prompts/brief.md.txt" in names  # a file in the wheel, not a link
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                   cwd=tmp_path, env=env).stdout.strip()  # fmt: skip
    Path(purelib, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = _run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel,
                     cwd=tmp_path, env=env)  # fmt: skip
    assert installed.returncode == 0, installed.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    where = _run(python, "-c", "import service; print(service.__file__, service.__version__)",
                 cwd=empty, env=env)  # fmt: skip
    location, version = where.stdout.split()
    assert Path(location).is_relative_to(venv), location  # not the checkout
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert version == project["version"]  # one version, read from the installed metadata

    ran = _run(venv / "bin" / "briefs", "brief", SEEDS, "--out", "briefs", "--engine", "apertium",
               cwd=empty, env=env)  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    articles = sorted(p.stem for p in SEEDS.glob("*.txt"))
    written = sorted(p.stem for p in (empty / "briefs").glob("*.md"))
    assert written == articles
    markdown = (empty / "briefs" / "fuego-volcano-evacuation.en.md").read_text(encoding="utf-8")
    assert markdown.startswith("# ") and "| **Short** |" in markdown
