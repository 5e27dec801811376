"""`briefs translate` on Word documents: one file, a folder, and bad ones (Apertium, real)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from service.cli import app
from service.jobs.failures import FAILURES_FILE
from tests.docx_factory import formatted, load, rich_docx


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["translate", *args])


def test_one_docx_to_out(tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(rich_docx())
    result = run(str(source), "--to", "es", "--engine", "apertium", "--out", str(tmp_path / "es"))
    assert result.exit_code == 0, result.output
    out = load((tmp_path / "es" / "report.docx").read_bytes())
    assert formatted(out.paragraphs[1], "bold") == ["rojo"]
    assert formatted(out.paragraphs[1], "italic") == ["muy rápido"]
    assert out.sections[0].header.paragraphs[0].text == "El diario"
    assert "report.docx ->" in result.stderr
    assert [p.name for p in (tmp_path / "es").iterdir()] == ["report.docx"]  # no temp files


def test_a_folder_takes_docx_with_the_text_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "report.docx").write_bytes(rich_docx())
    (folder / "note.txt").write_text("Good morning.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(folder), "--to", "es", "--engine", "apertium", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "note.txt").read_text(encoding="utf-8") == "Buenos días.\n"
    translated = load((out / "sub" / "report.docx").read_bytes())
    assert formatted(translated.paragraphs[1], "bold") == ["rojo"]
    again = run(str(folder), "--to", "es", "--engine", "apertium", "--out", str(out))
    assert again.exit_code == 0 and "skipped 2" in again.output  # resumable like the others


def test_a_corrupt_docx_is_one_line_and_nothing_written(tmp_path: Path) -> None:
    source = tmp_path / "broken.docx"
    source.write_bytes(b"PK\x03\x04 not a zip")
    out = tmp_path / "es"
    result = run(str(source), "--to", "es", "--engine", "apertium", "--out", str(out))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and "broken.docx is not a readable .docx file" in line
    assert not out.exists() or list(out.iterdir()) == []


def test_a_corrupt_docx_in_a_folder_is_a_recorded_failure(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.docx").write_bytes(b"not a zip")
    (folder / "good.txt").write_text("Good morning.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(folder), "--to", "es", "--engine", "apertium", "--out", str(out))
    assert result.exit_code == 1
    assert (out / "good.txt").exists() and not (out / "broken.docx").exists()
    assert "broken.docx is not a readable .docx file" in (out / FAILURES_FILE).read_text(
        encoding="utf-8"
    )


def test_format_is_refused_for_a_docx(tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(rich_docx())
    result = run(str(source), "--to", "es", "--format", "html")
    assert result.exit_code == 1 and "--format is for text files" in result.stderr


def test_a_docx_to_stdout_is_the_document_itself(tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(rich_docx())
    result = run(str(source), "--to", "es", "--from", "en", "--engine", "apertium")
    assert result.exit_code == 0, result.output
    assert formatted(load(result.stdout_bytes).paragraphs[1], "italic") == ["muy rápido"]
