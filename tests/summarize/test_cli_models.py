"""`briefs models pull/import --summarizer` and `briefs summarize --method abstractive`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app

pytestmark = pytest.mark.slow


def test_import_then_summarize_abstractive(tiny_t5: Path) -> None:
    runner = CliRunner()
    imported = runner.invoke(app, ["models", "import", str(tiny_t5), "--summarizer", "tiny"])
    assert imported.exit_code == 0, imported.output
    assert "installed summarizer tiny (t5)" in imported.stdout
    text = "El Congreso aprobó el Metro Riel. Costará 1.100 millones de dólares."
    result = runner.invoke(
        app, ["summarize", "-", "--method", "abstractive", "--json"], input=text.encode()
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["method"], body["model"], body["language"]) == ("abstractive", "tiny", "es")
    assert set(body["summaries"]) == {"short", "long"}


def test_import_of_a_non_model_folder_is_one_error_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["models", "import", str(tmp_path), "--summarizer", "x"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "no config.json" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_pull_offline_says_how_to_import() -> None:
    result = CliRunner().invoke(app, ["models", "pull", "--summarizer", "bigscience/mt0-small"])
    assert result.exit_code == 1
    assert "briefs models import PATH --summarizer bigscience/mt0-small" in result.stderr
