"""build_translator: explicit engines, and the auto engine's choice per direction."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

import pytest

from service.config import Settings
from service.errors import EngineUnavailable, ModelNotAvailable, UnsupportedPair
from service.models.store import InstalledModel, ModelStore
from service.translate.factory import RoutingTranslator, build_translator


def _models(tmp_path: Path, tiny_models_dir: Path, *pairs: str, hf_only: bool = False) -> Path:
    """A models folder holding copies of some of the tiny models."""
    root = tmp_path / "models"
    for pair in pairs:
        copy = shutil.copytree(tiny_models_dir / "translation" / pair, root / "translation" / pair)
        if hf_only:
            shutil.rmtree(copy / "ct2-int8")
    return root


def _engines(translator: object) -> dict[str, str]:
    assert isinstance(translator, RoutingTranslator)
    return {pair: engine.name for pair, engine in translator.routes.items()}


def test_auto_prefers_ctranslate2(installed_models: Path) -> None:
    translator = build_translator(Settings(models_dir=installed_models))
    assert _engines(translator) == {"en-es": "ctranslate2", "es-en": "ctranslate2"}
    assert translator.info("en", "es").engine == "ctranslate2"
    assert translator.max_input_tokens("es", "en") == 512
    out = translator.translate(["Hello.", "Bye."], "en", "es")
    assert len(out) == 2 and all(out)


def test_auto_shares_one_engine_for_both_directions(installed_models: Path) -> None:
    translator = build_translator(Settings(models_dir=installed_models))
    assert isinstance(translator, RoutingTranslator)
    assert translator.routes["en-es"] is translator.routes["es-en"]


def test_auto_uses_transformers_without_a_conversion(tmp_path: Path, tiny_models_dir: Path) -> None:
    root = _models(tmp_path, tiny_models_dir, "en-es", "es-en", hf_only=True)
    translator = build_translator(Settings(models_dir=root, max_decoding_length=8))
    assert _engines(translator) == {"en-es": "transformers", "es-en": "transformers"}
    assert translator.info("es", "en").model.endswith(", transformers float32)")
    assert translator.translate(["Hola."], "es", "en")[0]


def test_auto_falls_back_to_apertium_with_a_warning(
    tmp_path: Path, tiny_models_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = _models(tmp_path, tiny_models_dir, "en-es")
    with caplog.at_level(logging.WARNING, logger="service.translate.factory"):
        translator = build_translator(Settings(models_dir=root))
    assert _engines(translator) == {"en-es": "ctranslate2", "es-en": "apertium"}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("es-en" in w and "Apertium" in w and "quality is lower" in w for w in warnings)
    assert not any("en-es" in w for w in warnings)
    info = translator.info("es", "en")
    assert info.engine == "apertium" and info.low_quality
    assert translator.translate(["La casa es grande."], "es", "en") == ["The house is big."]


def test_auto_with_nothing_installed_uses_apertium_for_both(tmp_path: Path) -> None:
    translator = build_translator(Settings(models_dir=tmp_path / "empty"))
    assert _engines(translator) == {"en-es": "apertium", "es-en": "apertium"}


def test_nothing_available_names_the_fix(tmp_path: Path) -> None:
    settings = Settings(models_dir=tmp_path / "empty", apertium_command="no-such-apertium")
    with pytest.raises(ModelNotAvailable, match="briefs models pull"):
        build_translator(settings)


def test_missing_direction_without_fallback(tmp_path: Path, tiny_models_dir: Path) -> None:
    root = _models(tmp_path, tiny_models_dir, "en-es")
    settings = Settings(models_dir=root, apertium_command="no-such-apertium")
    translator = build_translator(settings)
    assert _engines(translator) == {"en-es": "ctranslate2"}
    with pytest.raises(ModelNotAvailable, match="briefs models import PATH --pair es-en"):
        translator.translate(["Hola."], "es", "en")
    with pytest.raises(UnsupportedPair):
        translator.info("es", "es")


def test_auto_pulls_a_missing_model_when_online(
    tmp_path: Path,
    tiny_models_dir: Path,
    tiny_marian: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pulled: list[str] = []

    def fake_pull(self: ModelStore, pair: str, **kwargs: object) -> InstalledModel:
        pulled.append(pair)
        return self.import_folder(tiny_marian[pair], pair, report=lambda _: None)

    monkeypatch.setattr("service.models.pull.hub_offline", lambda: False)
    monkeypatch.setattr(ModelStore, "pull", fake_pull)
    root = _models(tmp_path, tiny_models_dir, "en-es")
    translator = build_translator(Settings(models_dir=root))
    assert pulled == ["es-en"]
    assert _engines(translator) == {"en-es": "ctranslate2", "es-en": "ctranslate2"}


def test_auto_pull_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("must not download")

    monkeypatch.setattr("service.models.pull.hub_offline", lambda: False)
    monkeypatch.setattr(ModelStore, "pull", fail)
    translator = build_translator(Settings(models_dir=tmp_path, auto_pull=False))
    assert _engines(translator) == {"en-es": "apertium", "es-en": "apertium"}


def test_auto_without_the_hub_client_does_not_try_to_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slim install has no huggingface-hub (the transformers extra): Apertium, no error."""

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("must not download")

    monkeypatch.setitem(sys.modules, "huggingface_hub", None)
    monkeypatch.setattr(ModelStore, "pull", fail)
    translator = build_translator(Settings(models_dir=tmp_path))
    assert _engines(translator) == {"en-es": "apertium", "es-en": "apertium"}


def test_failed_auto_pull_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Online per offline mode, but the hub cannot be reached: Apertium, and the reason."""
    monkeypatch.setattr("service.models.pull.hub_offline", lambda: False)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", False)

    def no_network(*args: object, **kwargs: object) -> None:
        raise OSError("Name or service not known")

    monkeypatch.setattr("huggingface_hub.HfApi.model_info", no_network)
    with caplog.at_level(logging.WARNING, logger="service.translate.factory"):
        translator = build_translator(Settings(models_dir=tmp_path))
    assert _engines(translator) == {"en-es": "apertium", "es-en": "apertium"}
    assert "could not download the en-es model: cannot download" in caplog.text


@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_explicit_engine(installed_models: Path, engine: str) -> None:
    settings = Settings(models_dir=installed_models, max_decoding_length=8)
    translator = build_translator(settings, engine)  # type: ignore[arg-type]
    assert translator.name == engine
    assert translator.info("en", "es").engine == engine
    assert translator.translate(["Hello."], "en", "es")[0]


def test_explicit_engine_from_settings(installed_models: Path) -> None:
    settings = Settings(models_dir=installed_models, engine="transformers")
    assert build_translator(settings).name == "transformers"
    assert build_translator(settings, "ctranslate2").name == "ctranslate2"


@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_explicit_neural_engine_without_models(tmp_path: Path, engine: str) -> None:
    with pytest.raises(ModelNotAvailable, match=f"no model for the {engine} engine"):
        build_translator(Settings(models_dir=tmp_path), engine)  # type: ignore[arg-type]


def test_explicit_ctranslate2_needs_a_conversion(tmp_path: Path, tiny_models_dir: Path) -> None:
    root = _models(tmp_path, tiny_models_dir, "en-es", hf_only=True)
    with pytest.raises(ModelNotAvailable, match="ctranslate2"):
        build_translator(Settings(models_dir=root), "ctranslate2")
    assert build_translator(Settings(models_dir=root), "transformers").name == "transformers"


def test_explicit_apertium(tmp_path: Path) -> None:
    assert build_translator(Settings(models_dir=tmp_path), "apertium").name == "apertium"
    with pytest.raises(EngineUnavailable, match="no-such-apertium"):
        build_translator(
            Settings(models_dir=tmp_path, apertium_command="no-such-apertium"), "apertium"
        )
