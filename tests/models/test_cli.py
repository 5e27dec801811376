"""`briefs models`: import, list, and a pull without network that fails with one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.config import get_settings


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["models", *args])
    return result.exit_code, result.stdout, result.stderr


def test_pull_offline_fails_with_one_line() -> None:
    code, out, err = _invoke("pull")
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: cannot download Helsinki-NLP/opus-mt-en-es")
    assert "briefs models import PATH --pair en-es" in lines[0]


def test_pull_offline_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "BRIEFS_MODELS_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "service", "models", "pull", "es-en"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ")


def test_import_then_list(tiny_marian: dict[str, Path]) -> None:
    code, _, err = _invoke("import", str(tiny_marian["en-es"]), "--pair", "en-es")
    assert code == 0, err
    assert "converting en-es to CTranslate2" in err
    code, out, _ = _invoke("list")
    assert code == 0
    header, row = out.strip().splitlines()
    assert header.split() == ["MODEL", "KIND", "FORMATS", "SIZE", "ORIGIN"]
    assert row.split()[:3] == ["en-es", "translation", "hf,ct2-int8"]
    assert row.endswith(str(tiny_marian["en-es"].resolve()))
    code, out, _ = _invoke("list", "--json")
    listed = json.loads(out)
    assert [(m["pair"], m["formats"], m["origin_type"]) for m in listed] == [
        ("en-es", ["hf", "ct2-int8"], "import")
    ]
    assert listed[0]["size_bytes"] > 100_000


def test_list_when_empty() -> None:
    code, out, _ = _invoke("list")
    assert code == 0 and "no models in" in out
    code, out, _ = _invoke("list", "--json")
    assert json.loads(out) == []


def test_import_of_a_broken_folder_fails_with_one_line(
    tiny_marian: dict[str, Path], tmp_path: Path
) -> None:
    code, _, err = _invoke("import", str(tiny_marian["en-es"]), "--pair", "es-en")
    assert code == 1
    assert err.count("\n") == 1 and "is a model for en-es" in err and "not es-en" in err
    code, _, err = _invoke("import", str(tmp_path / "missing"), "--pair", "en-es")
    assert code == 1 and "is not a folder" in err


def test_import_refuses_an_unknown_pair(tiny_marian: dict[str, Path]) -> None:
    code, _, err = _invoke("import", str(tiny_marian["en-es"]), "--pair", "en-fr")
    assert code == 2 and "en-fr" in err


def test_import_without_conversion_then_convert(tiny_marian: dict[str, Path]) -> None:
    code, _, err = _invoke("import", str(tiny_marian["es-en"]), "--no-convert")
    assert code == 0, err
    assert "converting" not in err
    assert json.loads(_invoke("list", "--json")[1])[0]["formats"] == ["hf"]
    code, _, err = _invoke("convert")
    assert code == 0 and "converting es-en to CTranslate2" in err
    assert json.loads(_invoke("list", "--json")[1])[0]["formats"] == ["hf", "ct2-int8"]


def test_convert_without_a_model_fails_with_one_line() -> None:
    code, _, err = _invoke("convert", "en-es")
    assert code == 1
    assert err.count("\n") == 1 and "no en-es model is installed" in err


def test_convert_all_without_models_fails_with_one_line() -> None:
    code, _, err = _invoke("convert")
    assert code == 1
    assert err.count("\n") == 1 and "no models are installed" in err


def test_unwritable_models_dir_fails_with_one_line(
    tiny_marian: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the models folder should be", encoding="utf-8")
    monkeypatch.setenv("BRIEFS_MODELS_DIR", str(blocker))
    get_settings.cache_clear()
    code, _, err = _invoke("import", str(tiny_marian["en-es"]), "--pair", "en-es")
    assert code == 1
    progress, error = err.strip().splitlines()  # what it was doing, then the one error line
    assert progress.startswith("importing ")
    assert error.startswith("error: could not install the en-es model in")
