"""Folder translation through the shared runner, on the tiny Marian models (CTranslate2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.config import get_settings
from service.jobs.discover import discover
from service.jobs.failures import FAILURES_FILE
from service.jobs.translate_job import STATE_NAME, TranslateJob, translate_folder
from service.translate.ctranslate2_engine import CTranslate2Translator
from service.translate.document import DocumentTranslator
from service.translate.files import TRANSLATABLE_SUFFIXES
from tests.jobs.fake_job import is_state_file, state_keys


@pytest.fixture(autouse=True)
def _tiny_models(installed_models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tiny Marian models on CTranslate2 (no Apertium needed); short random outputs."""
    monkeypatch.setenv("BRIEFS_MAX_DECODING_LENGTH", "8")
    get_settings.cache_clear()


def _files(root: Path) -> None:
    texts = {
        "a.txt": "The government announced new flights on Monday.\n",
        "sub/b.md": "# Border plan\n\nThe police will patrol the border.\n",
        "sub/nota.txt": "El gobierno anunció nuevos vuelos el lunes por la mañana.\n",
    }
    for name, text in texts.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "sub" / "bad.txt").write_bytes(b"caf\xe9 con leche")


def _run(root: Path, out: Path, jobs: int = 1):  # type: ignore[no-untyped-def]
    settings = get_settings()
    engine = CTranslate2Translator(settings)
    job = TranslateJob(DocumentTranslator(engine, settings), settings, target="es")
    return translate_folder(
        discover(root, TRANSLATABLE_SUFFIXES, exclude=[out]), out, job, jobs=jobs
    )


def test_folder_translation_is_resumable_and_isolates_failures(tmp_path: Path) -> None:
    root, out = tmp_path / "in", tmp_path / "out"
    _files(root)
    first = _run(root, out)
    assert sorted(first.done) == ["a.txt", "sub/b.md"]
    assert [(p.input, p.code) for p in first.passed] == [("sub/nota.txt", "not_needed")]
    assert "already in Spanish" in first.passed[0].reason
    assert [(f.input, f.code) for f in first.failures] == [("sub/bad.txt", "invalid_input")]
    translated = (out / "a.txt").read_text(encoding="utf-8")
    assert translated.strip() and translated != (root / "a.txt").read_text(encoding="utf-8")
    assert (out / "sub/b.md").read_text(encoding="utf-8").startswith("# ")
    assert not (out / "sub/nota.txt").exists()
    assert [f["input"] for f in json.loads((out / FAILURES_FILE).read_text())] == ["sub/bad.txt"]

    before = _mtimes(out)
    second = _run(root, out)
    assert (second.done, sorted(second.skipped)) == ([], ["a.txt", "sub/b.md"])
    assert _mtimes(out) == before

    (root / "a.txt").write_text("The army will help.\n", encoding="utf-8")
    third = _run(root, out, jobs=2)
    assert third.done == ["a.txt"]
    assert (out / "a.txt").read_text(encoding="utf-8") != translated

    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    _run(root, serial, jobs=1)
    _run(root, parallel, jobs=2)
    for name in ("a.txt", "sub/b.md", FAILURES_FILE):
        assert (serial / name).read_bytes() == (parallel / name).read_bytes()
    assert state_keys(serial, STATE_NAME) == ["a.txt", "sub/b.md"]


def test_the_translate_command_resumes_a_folder(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from service.cli import app

    root, out = tmp_path / "in", tmp_path / "out"
    _files(root)
    (root / "sub" / "bad.txt").unlink()
    args = ["translate", str(root), "--to", "es", "--out", str(out), "--engine", "ctranslate2"]
    first = CliRunner().invoke(app, [*args, "--jobs", "2"])
    assert first.exit_code == 0, first.output
    assert "done 2, skipped 1, failed 0" in first.stdout
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "done 0, skipped 3, failed 0" in again.stdout
    forced = CliRunner().invoke(app, [*args, "--force"])
    assert "done 2, skipped 1, failed 0" in forced.stdout


def _mtimes(out: Path) -> dict[Path, int]:
    """When each output file was last written (the run state's own files aside)."""
    return {
        p: p.stat().st_mtime_ns
        for p in out.rglob("*")
        if p.is_file() and not is_state_file(p.relative_to(out).as_posix())
    }
