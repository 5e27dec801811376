"""Summarizers in the one model store: listed beside translation models, old installs kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.config import get_settings
from service.models.store import ModelStore
from service.summarize.abstractive import AbstractiveSummarizer
from service.summarize.factory import build_summarizer

pytestmark = pytest.mark.slow


def _store() -> ModelStore:
    return ModelStore.from_settings(get_settings())


def _legacy_install(tiny_t5: Path, name: str) -> Path:
    """A summarizer as installs before the one store left it: ``briefs.json``, no model.json."""
    folder = shutil.copytree(tiny_t5, _store().kind_dir("summarizer") / name)
    legacy = {
        "model_type": "t5",
        "origin": str(tiny_t5.resolve()),
        "origin_type": "import",
        "installed_at": "2026-11-30T10:00:00+00:00",
    }
    (folder / "briefs.json").write_text(json.dumps(legacy, indent=2) + "\n", encoding="utf-8")
    return folder


def test_list_shows_summarizers_beside_translation_models(
    tiny_marian: dict[str, Path], tiny_t5: Path
) -> None:
    runner = CliRunner()
    for args in (["--summarizer", "tiny"], ["--pair", "es-en", "--no-convert"]):
        path = tiny_t5 if args[0] == "--summarizer" else tiny_marian["es-en"]
        result = runner.invoke(app, ["models", "import", str(path), *args])
        assert result.exit_code == 0, result.output
    table = runner.invoke(app, ["models", "list"])
    assert table.exit_code == 0, table.output
    header, *rows = table.stdout.strip().splitlines()
    assert header.split() == ["MODEL", "KIND", "FORMATS", "SIZE", "ORIGIN"]
    assert [row.split()[:3] for row in rows] == [
        ["es-en", "translation", "hf"],
        ["tiny", "summarizer", "hf"],
    ]
    assert rows[1].endswith(str(tiny_t5.resolve()))  # the operator sees the full origin
    listed = json.loads(runner.invoke(app, ["models", "list", "--json"]).stdout)
    assert [(m["kind"], m["name"], m["pair"], m["model_type"]) for m in listed] == [
        ("translation", "es-en", "es-en", "marian"),
        ("summarizer", "tiny", None, "t5"),
    ]
    assert listed[1]["origin_type"] == "import" and listed[1]["size_bytes"] > 0
    # `models convert` (all) converts the translation models only.
    converted = runner.invoke(app, ["models", "convert"])
    assert converted.exit_code == 0, converted.output
    assert [m.formats for m in _store().list("translation")] == [["hf", "ct2-int8"]]


def test_new_installs_write_model_json(tiny_t5: Path) -> None:
    model = _store().import_summarizer(tiny_t5, "fresh")
    meta = json.loads((model.path / "model.json").read_text(encoding="utf-8"))
    assert (meta["kind"], meta["name"], meta["model_type"]) == ("summarizer", "fresh", "t5")
    assert not (model.path / "briefs.json").exists()


def test_an_old_briefs_json_install_keeps_working(
    tiny_t5: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _legacy_install(tiny_t5, "old-t5")
    [model] = _store().list()
    assert (model.kind, model.name, model.path) == ("summarizer", "old-t5", folder)
    assert (model.origin, model.origin_type) == (str(tiny_t5.resolve()), "import")
    assert model.installed_at == "2026-11-30T10:00:00+00:00"
    monkeypatch.setenv("BRIEFS_ABSTRACTIVE_MODEL", "old-t5")
    get_settings.cache_clear()
    summarizer = build_summarizer(get_settings(), "abstractive")
    assert isinstance(summarizer, AbstractiveSummarizer)
    text = "El Congreso aprobó el plan. Costará mil millones."
    summary = summarizer.summarize(text, "es", "short")
    assert summary.model == "old-t5" and summary.text


def test_reinstalling_an_old_install_moves_it_to_model_json(tiny_t5: Path) -> None:
    folder = _legacy_install(tiny_t5, "old-t5")
    again = _store().import_summarizer(folder, "old-t5")
    assert again.path == folder
    assert (folder / "model.json").is_file() and not (folder / "briefs.json").exists()


def test_a_broken_metadata_file_hides_the_model(tiny_t5: Path) -> None:
    folder = _legacy_install(tiny_t5, "old-t5")
    (folder / "briefs.json").write_text("{not json", encoding="utf-8")
    assert _store().list() == []
    assert _store().find_summarizer("old-t5") is None
