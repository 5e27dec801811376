"""The model store: import, convert, list, and installs that never leave a broken model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from service.errors import ModelInvalid, ModelNotAvailable
from service.models import store as store_module
from service.models.store import ModelStore
from tests.marian_factory import build_marian


def _quiet(_: str) -> None:
    pass


def _visible_entries(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if not any(x.startswith(".") for x in p.parts))


def test_import_converts_and_records_origin(tiny_marian: dict[str, Path], tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "models")
    model = store.import_folder(tiny_marian["en-es"], "en-es", report=_quiet)
    assert model.formats == ["hf", "ct2-int8"]
    assert model.origin == str(tiny_marian["en-es"].resolve())
    assert model.origin_type == "import"
    assert model.ct2_dir is not None
    assert (model.ct2_dir / "model.bin").is_file()
    assert sorted(p.name for p in model.hf_dir.iterdir()) == sorted(
        p.name for p in tiny_marian["en-es"].iterdir()
    )
    meta = json.loads((model.path / "model.json").read_text(encoding="utf-8"))
    assert meta["pair"] == "en-es" and meta["weights"] == "pytorch_model.bin"
    assert store.find_translation("en-es") == model
    assert store.find_translation("es-en") is None
    assert not [p for p in store.root.iterdir() if p.name.startswith(".")]  # no staging left


def test_import_safetensors_and_detect_pair(tmp_path: Path) -> None:
    folder = build_marian(tmp_path / "opus-mt-es-en", "es", "en", weights="safetensors")
    store = ModelStore(tmp_path / "models")
    model = store.import_folder(folder, report=_quiet)
    assert model.name == "es-en"
    assert (model.hf_dir / "model.safetensors").is_file()
    assert model.ct2_dir is not None


def test_only_the_needed_files_are_copied(tiny_marian: dict[str, Path], tmp_path: Path) -> None:
    folder = shutil.copytree(tiny_marian["en-es"], tmp_path / "download")
    (folder / "tf_model.h5").write_bytes(b"x" * 1000)
    (folder / "README.md").write_text("hub card", encoding="utf-8")
    model = ModelStore(tmp_path / "models").import_folder(folder, "en-es", report=_quiet)
    assert not (model.hf_dir / "tf_model.h5").exists()
    assert not (model.hf_dir / "README.md").exists()


def test_list_shows_every_pair(tiny_models_dir: Path) -> None:
    listed = ModelStore(tiny_models_dir).list()
    assert [(m.name, m.formats) for m in listed] == [
        ("en-es", ["hf", "ct2-int8"]),
        ("es-en", ["hf", "ct2-int8"]),
    ]
    assert all(m.size_bytes() > 100_000 for m in listed)


def test_no_convert_then_convert(tiny_marian: dict[str, Path], tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "models")
    model = store.import_folder(tiny_marian["es-en"], "es-en", convert=False, report=_quiet)
    assert model.formats == ["hf"]
    assert store.convert("es-en", report=_quiet).formats == ["hf", "ct2-int8"]
    with pytest.raises(ModelNotAvailable, match="briefs models pull en-es"):
        store.convert("en-es")


def test_failed_conversion_leaves_nothing_loadable(
    tiny_marian: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def half_then_crash(hf_dir: Path, out_dir: Path) -> None:
        out_dir.mkdir()
        (out_dir / "model.bin").write_bytes(b"half a model")
        raise ModelInvalid("disk full")

    monkeypatch.setattr(store_module, "convert_to_ct2", half_then_crash)
    store = ModelStore(tmp_path / "models")
    with pytest.raises(ModelInvalid, match="disk full"):
        store.import_folder(tiny_marian["en-es"], "en-es", report=_quiet)
    assert store.find_translation("en-es") is None
    assert store.list() == []
    assert _visible_entries(store.root) == []
    assert [p.name for p in store.root.iterdir()] == []  # staging cleaned up too


def test_failed_reinstall_keeps_the_old_model(
    tiny_marian: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ModelStore(tmp_path / "models")
    before = store.import_folder(tiny_marian["en-es"], "en-es", report=_quiet)
    other = shutil.copytree(tiny_marian["en-es"], tmp_path / "newer")

    def crash(hf_dir: Path, out_dir: Path) -> None:
        raise ModelInvalid("converter died")

    monkeypatch.setattr(store_module, "convert_to_ct2", crash)
    with pytest.raises(ModelInvalid):
        store.import_folder(other, "en-es", report=_quiet)
    assert store.find_translation("en-es") == before


def test_reinstall_replaces(tiny_marian: dict[str, Path], tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "models")
    store.import_folder(tiny_marian["en-es"], "en-es", convert=False, report=_quiet)
    newer = shutil.copytree(tiny_marian["en-es"], tmp_path / "newer")
    model = store.import_folder(newer, "en-es", report=_quiet)
    assert model.origin == str(newer.resolve())
    assert model.formats == ["hf", "ct2-int8"]
    assert [p.name for p in store.root.iterdir()] == ["translation"]


def test_crash_leftovers_are_ignored(tiny_models_dir: Path, tmp_path: Path) -> None:
    """A killed install leaves a staging folder; a hand-made half copy has no model.json."""
    root = tmp_path / "models"
    shutil.copytree(tiny_models_dir / "translation" / "en-es", root / ".staging-en-es-x1")
    half = shutil.copytree(
        tiny_models_dir / "translation" / "es-en", root / "translation" / "es-en"
    )
    (half / "model.json").unlink()
    broken = shutil.copytree(
        tiny_models_dir / "translation" / "en-es", root / "translation" / "en-es"
    )
    (broken / "hf" / "pytorch_model.bin").unlink()
    store = ModelStore(root)
    assert store.list() == []
    assert store.find_translation("en-es") is None
    assert store.find_translation("es-en") is None


def test_formats_follow_what_is_on_disk(tiny_models_dir: Path, tmp_path: Path) -> None:
    root = tmp_path / "models"
    copy = shutil.copytree(
        tiny_models_dir / "translation" / "en-es", root / "translation" / "en-es"
    )
    shutil.rmtree(copy / "ct2-int8")
    model = ModelStore(root).find_translation("en-es")
    assert model is not None and model.formats == ["hf"]
    # The CTranslate2 engine tokenizes with the hf/ files: without them there is no model.
    shutil.copytree(tiny_models_dir / "translation" / "en-es" / "ct2-int8", copy / "ct2-int8")
    shutil.rmtree(copy / "hf")
    assert ModelStore(root).find_translation("en-es") is None


def test_import_refuses_unknown_pair(tiny_marian: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ModelInvalid, match="unknown pair 'en-fr'"):
        ModelStore(tmp_path).import_folder(tiny_marian["en-es"], "en-fr")


def test_an_import_is_named_by_its_folder_not_its_path(
    tiny_marian: dict[str, Path], tmp_path: Path
) -> None:
    # The tiny models' config says "_name_or_path": "/tmp/Helsinki-NLP/...", a path.
    model = ModelStore(tmp_path / "models").import_folder(tiny_marian["en-es"], report=_quiet)
    assert model.public_name == "opus-mt-en-es"
    assert model.label("ctranslate2 int8") == "opus-mt-en-es (imported, ctranslate2 int8)"
    assert str(tmp_path) not in model.label() and model.label() == "opus-mt-en-es (imported)"


def test_an_import_with_a_hub_name_in_its_config_keeps_it(
    tiny_marian: dict[str, Path], tmp_path: Path
) -> None:
    folder = shutil.copytree(tiny_marian["es-en"], tmp_path / "finetuned" / "checkpoint-7")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config["_name_or_path"] = "newsroom/opus-mt-es-en-news"
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    model = ModelStore(tmp_path / "models").import_folder(folder, convert=False, report=_quiet)
    assert model.origin == str(folder.resolve())  # the operator's record keeps the path
    assert model.label("transformers float32") == (
        "newsroom/opus-mt-es-en-news (imported, transformers float32)"
    )
