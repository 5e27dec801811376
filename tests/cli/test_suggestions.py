"""`briefs suggestions export`: JSON lines for editors, glossary rows for the short ones."""

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
from service.suggestions import SuggestionStore, suggestions_path
from service.translate.glossary import Term, load_glossary
from tests.conftest import REPO


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("BRIEFS_DATA_DIR", str(folder))
    get_settings.cache_clear()
    with SuggestionStore(suggestions_path(get_settings())) as store:
        store.add("en", "es", "task force", "fuerza de tarea", "newsroom")
        store.add("es", "en", "El presidente habló, con calma, durante dos horas.",
                  "The president spoke calmly for two hours.", None)  # fmt: skip
        store.add("es", "en", "ministerio", "department", None)
        store.add("es", "en", "Ministerio", "ministry", "editor")  # the latest one wins
    return folder


def _export(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["suggestions", "export", *args])


def test_jsonl_to_stdout(data_dir: Path) -> None:
    result = _export()
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["source"], r["target"], r["text"], r["suggestion"], r["key"]) for r in rows] == [
        ("en", "es", "task force", "fuerza de tarea", "newsroom"),
        ("es", "en", "El presidente habló, con calma, durante dos horas.",
         "The president spoke calmly for two hours.", None),
        ("es", "en", "ministerio", "department", None),
        ("es", "en", "Ministerio", "ministry", "editor"),
    ]  # fmt: skip
    assert [r["id"] for r in rows] == [1, 2, 3, 4] and all(r["time"] for r in rows)
    assert "habló" in result.stdout  # UTF-8 as it is, not \\u escapes


def test_glossary_rows_load_as_a_glossary(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "review" / "suggested.csv"
    result = _export("--glossary", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[0] == "en,es"
    terms = load_glossary(out).terms
    assert terms == (Term("task force", "fuerza de tarea"), Term("ministry", "Ministerio"))
    assert "4 suggestions" in result.stderr


def test_max_words_bounds_the_terms(data_dir: Path) -> None:
    result = _export("--glossary", "--max-words", "1")
    assert result.stdout.splitlines() == ["en,es", "ministry,Ministerio"]


def test_no_database_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFS_DATA_DIR", str(tmp_path / "nothing"))
    get_settings.cache_clear()
    result = _export("--out", str(tmp_path / "x.jsonl"))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: no suggestions at ") and "BRIEFS_SUGGESTIONS=true" in line
    assert not (tmp_path / "x.jsonl").exists() and not (tmp_path / "nothing").exists()


def test_as_a_real_subprocess(data_dir: Path) -> None:
    env = {**os.environ, "BRIEFS_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-m", "service", "suggestions", "export"],
        cwd=REPO, env=env, capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.decode("utf-8").splitlines()) == 4
