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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Installed:
    """The wheel installed into a fresh venv, and the environment to run it in."""

    venv: Path
    env: dict[str, str]
    root: Path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp_path = tmp_path_factory.mktemp("wheel")
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
    metadata = (
        zipfile.ZipFile(wheel)
        .read(next(name for name in names if name.endswith(".dist-info/METADATA")))
        .decode()
    )
    # torch, transformers and the hub client only with the extra: a plain install is the slim
    # runtime.
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist: ")]
    for heavy in ("torch", "transformers", "huggingface-hub"):
        (line,) = [r for r in requires if r.split()[1].startswith(heavy)]
        assert 'extra == "transformers"' in line, line

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                   cwd=tmp_path, env=env).stdout.strip()  # fmt: skip
    Path(purelib, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = _run(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel,
                     cwd=tmp_path, env=env)  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    return Installed(venv, env, tmp_path)


def test_the_wheel_briefs_the_seeds_from_an_empty_folder(installed: Installed) -> None:
    venv, env = installed.venv, installed.env
    python = venv / "bin" / "python"
    empty = installed.root / "empty"
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


def test_without_torch_and_transformers_ctranslate2_models_still_translate(
    installed: Installed, tiny_models_dir: Path, tiny_marian: dict[str, Path]
) -> None:
    """The slim runtime: converted models work; converting says, in one line, what it needs."""
    slim = installed.root / "slim"
    slim.mkdir()
    # This venv borrows the test venv's packages: hide the transformers extra from it.
    blocker = slim / "sitecustomize.py"
    hidden = {"torch": None, "transformers": None, "huggingface_hub": None}
    blocker.write_text(f"import sys\nsys.modules.update({hidden!r})\n")
    env = {**installed.env, "PYTHONPATH": str(slim), "HF_HUB_OFFLINE": "1"}
    briefs = installed.venv / "bin" / "briefs"
    probe = _run(installed.venv / "bin" / "python", "-c", "import torch", cwd=slim, env=env)
    assert probe.returncode != 0 and "ModuleNotFoundError" in probe.stderr

    converted = {**env, "BRIEFS_MODELS_DIR": str(tiny_models_dir), "BRIEFS_ENGINE": "ctranslate2",
                 "BRIEFS_MAX_DECODING_LENGTH": "8"}  # fmt: skip
    text = slim / "in.txt"
    text.write_text("The volcano erupted on Sunday.\n", encoding="utf-8")
    translated = _run(briefs, "translate", text, "--to", "es", cwd=slim, env=converted)
    assert translated.returncode == 0, translated.stderr
    assert translated.stdout.strip()

    store = {**env, "BRIEFS_MODELS_DIR": str(slim / "models")}
    imported = _run(briefs, "models", "import", tiny_marian["en-es"], "--pair", "en-es",
                    cwd=slim, env=store)  # fmt: skip
    assert imported.returncode == 1
    (line,) = imported.stderr.strip().splitlines()
    assert "converting a model to CTranslate2 needs torch and transformers" in line
    assert "briefs[transformers]" in line

    # A download needs the hub client; the auto engine, online, falls back without trying.
    pulled = _run(briefs, "models", "pull", "en-es", "--no-convert", cwd=slim, env=store)
    assert pulled.returncode == 1
    (line,) = pulled.stderr.strip().splitlines()
    assert "downloading Helsinki-NLP/opus-mt-en-es needs huggingface-hub" in line
    assert "briefs[transformers]" in line
    online = {**store, "HF_HUB_OFFLINE": "0"}
    fallback = _run(briefs, "translate", text, "--to", "es", cwd=slim, env=online)
    assert fallback.returncode == 0, fallback.stderr
    assert fallback.stdout.strip() and "Traceback" not in fallback.stderr
