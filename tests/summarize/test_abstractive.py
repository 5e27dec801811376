from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from service.config import Settings, get_settings
from service.errors import (
    EmptyInput,
    InvalidInput,
    ModelBroken,
    ModelInvalid,
    ModelNotAvailable,
    NetworkUnavailable,
)
from service.models.store import ModelStore
from service.summarize.abstractive import AbstractiveSummarizer
from service.summarize.budget import Budgets
from service.summarize.extractive import ExtractiveSummarizer
from service.summarize.factory import build_summarizer
from service.summarize.structure import candidate_sentences
from tests.summarize.conftest import SEED_ARTICLES

pytestmark = pytest.mark.slow

SHORT_TEXT = "El Congreso aprobó el Metro Riel. Costará 1.100 millones de dólares."


def _store() -> ModelStore:
    return ModelStore.from_settings(get_settings())


def _installed(tiny_t5: Path, name: str = "tiny-t5") -> Settings:
    settings = get_settings()
    _store().import_summarizer(tiny_t5, name)
    return settings


def _abstractive(settings: Settings) -> AbstractiveSummarizer:
    summarizer = build_summarizer(settings, "abstractive")
    assert isinstance(summarizer, AbstractiveSummarizer)
    return summarizer


def test_generates_through_the_real_model(tiny_t5: Path) -> None:
    summarizer = _abstractive(_installed(tiny_t5))
    summary = summarizer.summarize(SHORT_TEXT, "es", "short")
    assert (summary.method, summary.model, summary.language) == ("abstractive", "tiny-t5", "es")
    assert summary.text  # random weights: noise, but real generated pieces
    assert summary.text == " ".join(summary.sentences)
    assert len(summary.text.split()) <= get_settings().short_max_words
    assert len(summary.sentences) <= get_settings().short_max_sentences
    assert not any("parts" in warning for warning in summary.warnings)


def test_long_input_is_chunked_and_merged_never_cut(
    tiny_t5: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summarizer = _abstractive(_installed(tiny_t5))
    # About 300 words: well over the tiny model's 128-token input, yet quick to run.
    text = "\n".join(SEED_ARTICLES[0].read_text(encoding="utf-8").splitlines()[:4])
    calls: list[list[str]] = []
    generate = summarizer._generate

    def spy(prompts: list[str], *args: Any, **kwargs: Any) -> list[str]:
        calls.append(list(prompts))
        return generate(prompts, *args, **kwargs)

    monkeypatch.setattr(summarizer, "_generate", spy)
    summary = summarizer.summarize(text, "en", "long")

    limit = summarizer.max_input_tokens()
    assert limit == 128
    assert len(calls) >= 2 and len(calls[0]) > 1  # the parts, then the merge
    assert all(n <= limit for prompts in calls for n in summarizer._count(prompts))
    first_round = " ".join(calls[0])
    for candidate in candidate_sentences(text, "en")[0]:  # every word reached the model
        assert candidate.text in first_round or all(
            word in first_round for word in candidate.text.split()
        )
    assert any("summarized in" in warning and "parts" in warning for warning in summary.warnings)
    assert len(summary.text.split()) <= get_settings().long_max_words


def test_same_output_from_many_threads(tiny_t5: Path) -> None:
    summarizer = _abstractive(_installed(tiny_t5))
    expected = summarizer.summarize(SHORT_TEXT, "es", "short").text
    with ThreadPoolExecutor(max_workers=3) as pool:
        found = list(
            pool.map(lambda _: summarizer.summarize(SHORT_TEXT, "es", "short").text, range(6))
        )
    assert found == [expected] * 6


def test_only_headings_is_an_error(tiny_t5: Path) -> None:
    with pytest.raises(EmptyInput):
        _abstractive(_installed(tiny_t5)).summarize("A Title\nA Heading", "en", "short")


def test_broken_weights_are_a_clear_error(tiny_t5: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny_t5, broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file" * 10)
    summarizer = _abstractive(_installed(broken, "broken"))
    with pytest.raises(ModelBroken, match="cannot load the summarizer broken"):
        summarizer.summarize(SHORT_TEXT, "es", "short")


def test_extractive_is_the_default() -> None:
    assert isinstance(build_summarizer(get_settings()), ExtractiveSummarizer)


def test_abstractive_without_a_model_is_a_clear_error() -> None:
    with pytest.raises(ModelNotAvailable) as caught:
        build_summarizer(get_settings(), "abstractive")
    assert "none is installed" in str(caught.value)
    assert "briefs models pull --summarizer" in str(caught.value)


def test_a_named_model_that_is_not_installed(
    tiny_t5: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _installed(tiny_t5)
    monkeypatch.setenv("BRIEFS_ABSTRACTIVE_MODEL", "google/flan-t5-small")
    get_settings.cache_clear()
    with pytest.raises(ModelNotAvailable, match="'google/flan-t5-small' is not installed"):
        build_summarizer(get_settings(), "abstractive")


def test_several_models_need_a_choice(tiny_t5: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(tiny_t5, "one")
    _installed(tiny_t5, "two")
    with pytest.raises(ModelNotAvailable, match="BRIEFS_ABSTRACTIVE_MODEL"):
        build_summarizer(get_settings(), "abstractive")
    monkeypatch.setenv("BRIEFS_ABSTRACTIVE_MODEL", "two")
    get_settings.cache_clear()
    assert _abstractive(get_settings()).model.name == "two"


def test_store_lists_imports_and_skips_staging(tiny_t5: Path) -> None:
    _installed(tiny_t5, "owner/tiny")
    (_store().kind_dir("summarizer") / ".staging-half-done").mkdir()
    (_store().kind_dir("summarizer") / "broken").mkdir()
    [model] = _store().list("summarizer")
    assert (model.name, model.model_type, model.origin_type) == ("owner--tiny", "t5", "import")
    metadata = json.loads((model.path / "model.json").read_text(encoding="utf-8"))
    assert metadata["origin"] == str(tiny_t5.resolve())
    assert model.size_bytes() > 0
    # Re-importing replaces the folder in one step.
    again = _store().import_summarizer(tiny_t5, "owner/tiny")
    assert again.path == model.path


def test_import_rejects_what_is_not_a_seq2seq_model(tmp_path: Path, tiny_t5: Path) -> None:
    with pytest.raises(ModelInvalid, match=r"no config\.json"):
        _store().import_summarizer(tmp_path, "empty")
    marian = tmp_path / "marian"
    shutil.copytree(tiny_t5, marian)
    (marian / "config.json").write_text(json.dumps({"model_type": "marian"}), encoding="utf-8")
    with pytest.raises(ModelInvalid, match="marian model"):
        _store().import_summarizer(marian, "marian")
    no_weights = tmp_path / "no-weights"
    shutil.copytree(tiny_t5, no_weights)
    (no_weights / "model.safetensors").unlink()
    with pytest.raises(ModelInvalid, match="no weights"):
        _store().import_summarizer(no_weights, "no-weights")
    assert _store().list("summarizer") == []


@pytest.mark.parametrize("name", ["../escape", "a/b/c", ""])
def test_bad_names(tiny_t5: Path, name: str) -> None:
    with pytest.raises(InvalidInput, match="bad summarizer name"):
        _store().import_summarizer(tiny_t5, name)


def test_pull_offline_says_how_to_import() -> None:
    with pytest.raises(NetworkUnavailable) as caught:
        _store().pull_summarizer("bigscience/mt0-small")
    assert "briefs models import PATH --summarizer bigscience/mt0-small" in str(caught.value)
    assert _store().list("summarizer") == []


def test_budgets_apply_to_generated_text(tiny_t5: Path) -> None:
    settings = _installed(tiny_t5)
    budgets = Budgets.from_settings(Settings(short_max_words=5, short_max_sentences=1))
    summarizer = AbstractiveSummarizer(
        _store().list("summarizer")[0], budgets, settings.prompts_dir
    )
    summary = summarizer.summarize(SHORT_TEXT, "es", "short")
    assert len(summary.text.split()) <= 5
    assert summary.warnings
