from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from tests.conftest import REPO, SEEDS

SEED = SEEDS / "guatemala-us-migration-security.en.txt"
SPANISH = SEEDS / "sequia-corredor-seco.es.txt"


def run(*args: str, input: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["summarize", *args], input=input)


def test_both_lengths_by_default() -> None:
    result = run(str(SEED))
    assert result.exit_code == 0, result.output
    short, long = result.stdout.split("\n\n")
    assert short.startswith("Short summary:\nGuatemala has committed")
    assert long.startswith("Long summary:\n")
    assert len(short.split()) - 2 <= 60 and len(long.split()) - 2 <= 180
    assert "Guatemala and the United States Strengthen" not in result.stdout  # the title


def test_json_output_detects_spanish() -> None:
    result = run(str(SPANISH), "--json", "--length", "long")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["language"] == "es" and body["language_detected"] is True
    assert body["method"] == "extractive" and body["model"] is None
    assert list(body["summaries"]) == ["long"]
    long = body["summaries"]["long"]
    assert 4 <= len(long["sentences"]) <= 6 and long["words"] <= 180
    source = SPANISH.read_text(encoding="utf-8")
    assert all(sentence in source for sentence in long["sentences"])


def test_stdin_and_one_length_prints_just_the_text() -> None:
    text = "Guatemala will add deportation flights. The plan starts in March."
    result = run("-", "--length", "short", input=text.encode())
    assert result.exit_code == 0, result.output
    assert result.stdout == text + "\n"


def test_explicit_language_overrides_detection() -> None:
    text = "Le président a annoncé mercredi de nouvelles mesures à la frontière."
    assert run("-", "--length", "short", input=text.encode()).exit_code == 1
    result = run("-", "--length", "short", "--language", "es", "--json", input=text.encode())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["language"] == "es"


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["-"], "Le président a annoncé mercredi de nouvelles mesures.", "detected French (fr)"),
        (["-"], "   \n", "empty"),
        (["-"], "Titulo\nOtro Titulo\nUn Subtitulo", "nothing to summarize"),
        (["-", "--method", "abstractive"], "Hello there. Bye.", "none is installed"),
        (["-", "--length", "medium"], "Hi.", "Invalid value"),
        ([str(SEEDS)], "", "is a folder"),
        (["no-such-file.txt"], "", "cannot read no-such-file.txt"),
    ],
)
def test_bad_input_is_one_error_line(args: list[str], stdin: str, message: str) -> None:
    result = run(*args, input=stdin.encode())
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stdout == ""


def test_not_utf8(tmp_path: Path) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes("Información pública.".encode("latin-1"))
    result = run(str(article))
    assert result.exit_code == 1
    assert "not UTF-8 text" in result.stderr


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFS_MAX_TEXT_CHARS", "100")
    result = run(str(SEED))
    assert result.exit_code == 1
    assert "longer than the limit of 100 characters" in result.stderr


def test_markdown_article(tmp_path: Path) -> None:
    article = tmp_path / "story.md"
    article.write_text(
        "# Big News Today\n\n## What Happened\n\nThe **council** approved the plan on "
        "Monday.\n\nIt will cost [two million](https://example.org) dollars.\n",
        encoding="utf-8",
    )
    result = run(str(article), "--length", "long", "--language", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "The council approved the plan on Monday. It will cost two million dollars.\n"
    )


def test_runs_as_a_real_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "service", "summarize", str(SPANISH), "--length", "short"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("La falta de lluvias durante julio y agosto")


def test_html_on_stdin_is_read_like_an_html_file() -> None:
    page = (
        b"<!doctype html><html><body><nav>Menu Home Login</nav><article><h1>Fuego erupts</h1>"
        b"<p>Thousands of people were evacuated on Sunday after the Fuego volcano erupted.</p>"
        b"<p>Officials said the ash reached several towns and the airport closed.</p>"
        b"</article></body></html>"
    )
    result = run("-", "--length", "short", input=page)
    assert result.exit_code == 0, result.output
    assert "Thousands of people were evacuated" in result.stdout
    assert "<p>" not in result.stdout and "Menu Home" not in result.stdout


def test_a_declared_language_the_text_contradicts_is_warned_about() -> None:
    spanish = "El gobierno de Guatemala anunció hoy nuevas medidas contra la migración irregular."
    result = run("-", "--language", "en", "--length", "short", input=spanish.encode())
    assert result.exit_code == 0, result.output
    assert "warning: the text reads as Spanish (es" in result.stderr
