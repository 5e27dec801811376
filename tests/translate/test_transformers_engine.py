"""The transformers engine on tiny models: batching, decoding defaults, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import Settings
from service.errors import EngineUnavailable, ModelNotAvailable
from service.models.store import ModelStore
from service.translate.base import DecodeOptions
from service.translate.marian_engine import ModelDefaults
from service.translate.transformers_engine import TransformersTranslator

TEXTS = [
    "Guatemala has committed to a significant escalation in deportation flights.",
    "Hello.",
    "",
    "These flights will carry Guatemalan nationals and migrants from other countries.",
    "The task force will patrol the border.",
    "Rubio met Arévalo.",
]


@pytest.fixture
def settings(installed_models: Path) -> Settings:
    return Settings(models_dir=installed_models, max_decoding_length=12)


@pytest.mark.parametrize(("source", "target"), [("en", "es"), ("es", "en")])
def test_translates_both_directions(settings: Settings, source: str, target: str) -> None:
    engine = TransformersTranslator(settings)
    out = engine.translate(TEXTS, source, target)  # type: ignore[arg-type]
    assert len(out) == len(TEXTS)
    assert out[2] == "" and all(out[i] for i in (0, 1, 3, 4, 5))
    info = engine.info(source, target)  # type: ignore[arg-type]
    assert info.engine == "transformers"
    assert info.model == f"opus-mt-{source}-{target} (imported, transformers float32)"
    assert engine.max_input_tokens(source, target) == 512  # type: ignore[arg-type]


def test_batch_size_does_not_change_results(installed_models: Path) -> None:
    """Sorting by length and padding per batch must keep each output with its input."""
    greedy = DecodeOptions(beam_size=1, max_length=10)
    one_batch = TransformersTranslator(Settings(models_dir=installed_models, engine_batch_size=64))
    small = TransformersTranslator(Settings(models_dir=installed_models, engine_batch_size=2))
    singles = [one_batch.translate([text], "en", "es", greedy)[0] for text in TEXTS]
    assert one_batch.translate(TEXTS, "en", "es", greedy) == singles
    assert small.translate(TEXTS, "en", "es", greedy) == singles


def test_no_generation_warning_is_printed(
    settings: Settings, capfd: pytest.CaptureFixture[str]
) -> None:
    """max_length beside the model's own max_length makes transformers warn on every call."""
    TransformersTranslator(settings).translate(["Hello."], "en", "es", DecodeOptions(max_length=5))
    captured = capfd.readouterr()
    assert "max_new_tokens" not in captured.err + captured.out
    assert "Loading weights" not in captured.err


def test_decoding_defaults_come_from_generation_config(installed_models: Path) -> None:
    model = ModelStore(installed_models).find_translation("en-es")
    assert model is not None
    defaults = ModelDefaults.read(model)
    assert (defaults.num_beams, defaults.max_new_tokens, defaults.max_input_tokens) == (4, 511, 512)
    assert defaults.forced_eos
    plain = defaults.decoding(Settings(), None)
    assert (plain.beam_size, plain.max_new_tokens) == (4, 511)
    configured = defaults.decoding(Settings(beam_size=2, max_decoding_length=100), None)
    assert (configured.beam_size, configured.max_new_tokens) == (2, 100)
    per_call = defaults.decoding(
        Settings(beam_size=2, max_decoding_length=100),
        DecodeOptions(beam_size=1, max_length=7, repetition_penalty=1.2, no_repeat_ngram_size=3),
    )
    assert per_call.beam_size == 1 and per_call.max_new_tokens == 7
    assert (per_call.repetition_penalty, per_call.no_repeat_ngram_size) == (1.2, 3)


def test_decoding_options_reach_generate(settings: Settings) -> None:
    """The random model repeats itself; forbidding repeats must change its output."""
    engine = TransformersTranslator(settings)
    free = engine.translate(["Hello."], "en", "es", DecodeOptions(beam_size=1, max_length=12))
    strict = engine.translate(
        ["Hello."], "en", "es", DecodeOptions(beam_size=1, max_length=12, no_repeat_ngram_size=1)
    )
    assert free != strict


def test_missing_model_names_the_fix(tmp_path: Path) -> None:
    engine = TransformersTranslator(Settings(models_dir=tmp_path))
    with pytest.raises(ModelNotAvailable, match="briefs models pull es-en"):
        engine.translate(["Hola."], "es", "en")


def test_cuda_without_a_gpu_is_a_clear_error(
    installed_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("torch.cuda.is_available", lambda: False)
    engine = TransformersTranslator(Settings(models_dir=installed_models, device="cuda"))
    with pytest.raises(EngineUnavailable, match="no CUDA device"):
        engine.translate(["Hello."], "en", "es")
