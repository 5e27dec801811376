"""Downloads from the hub: offline failures, and the install path with a stand-in hub."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from service.errors import NetworkUnavailable
from service.extras import ExtraMissing
from service.models import pull
from service.models.store import ModelStore


def test_offline_mode_says_how_to_import(tmp_path: Path) -> None:
    with pytest.raises(NetworkUnavailable) as caught:
        ModelStore(tmp_path).pull("en-es")
    message = str(caught.value)
    assert "Helsinki-NLP/opus-mt-en-es" in message and "HF_HUB_OFFLINE" in message
    assert "briefs models import PATH --pair en-es" in message
    assert not tmp_path.joinpath("translation").exists()


def test_without_the_hub_client_a_download_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """huggingface-hub comes with the transformers extra; the slim install has none."""
    monkeypatch.setitem(sys.modules, "huggingface_hub", None)
    store = ModelStore(tmp_path)
    with pytest.raises(ExtraMissing) as caught:
        store.pull("en-es", convert=False)
    message = str(caught.value)
    assert "downloading Helsinki-NLP/opus-mt-en-es needs huggingface-hub" in message
    assert "briefs[transformers]" in message
    with pytest.raises(ExtraMissing, match="bigscience/mt0-small needs huggingface-hub"):
        store.pull_summarizer("bigscience/mt0-small")
    assert not tmp_path.joinpath("translation").exists()
    assert not tmp_path.joinpath("summarizers").exists()


def test_unreachable_hub_says_how_to_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise OSError("[Errno -2] Name or service not known")

    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub.HfApi, "model_info", no_network)
    with pytest.raises(NetworkUnavailable, match=r"unreachable .*briefs models import PATH"):
        ModelStore(tmp_path).pull("es-en")


@pytest.fixture
def fake_hub(tiny_marian: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """A hub that serves the tiny models plus the extra files the real repos carry."""
    import huggingface_hub

    downloads: list[list[str]] = []
    extra = {"tf_model.h5": 300_000_000, "rust_model.ot": 300_000_000, "README.md": 2_000}

    def model_info(self: Any, repo_id: str, **kwargs: Any) -> Any:
        folder = tiny_marian[repo_id.removeprefix("Helsinki-NLP/opus-mt-")]
        files = [SimpleNamespace(rfilename=f.name, size=f.stat().st_size) for f in folder.iterdir()]
        files += [SimpleNamespace(rfilename=name, size=size) for name, size in extra.items()]
        return SimpleNamespace(sha="abc123", siblings=files)

    def snapshot_download(
        repo_id: str, *, allow_patterns: list[str], local_dir: Path, **_: Any
    ) -> str:
        folder = tiny_marian[repo_id.removeprefix("Helsinki-NLP/opus-mt-")]
        downloads.append(sorted(allow_patterns))
        Path(local_dir, ".cache", "huggingface").mkdir(parents=True)
        for name in allow_patterns:
            shutil.copy(folder / name, Path(local_dir) / name)
        return str(local_dir)

    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub.HfApi, "model_info", model_info)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    return downloads


def test_pull_takes_only_the_needed_files(fake_hub: list[list[str]], tmp_path: Path) -> None:
    messages: list[str] = []
    model = ModelStore(tmp_path).pull("es-en", report=messages.append)
    assert fake_hub == [
        sorted(
            [
                "config.json",
                "generation_config.json",
                "pytorch_model.bin",
                "source.spm",
                "target.spm",
                "tokenizer_config.json",
                "vocab.json",
            ]
        )
    ]
    assert model.origin == "Helsinki-NLP/opus-mt-es-en" and model.origin_type == "hub"
    assert model.label("ctranslate2 int8") == "Helsinki-NLP/opus-mt-es-en (ctranslate2 int8)"
    assert model.formats == ["hf", "ct2-int8"]
    assert not (model.hf_dir / ".cache").exists()
    assert messages[0].startswith("downloading Helsinki-NLP/opus-mt-es-en (")
    assert "MB, 7 files)" in messages[0]


def test_pull_resolves_repo_names() -> None:
    assert pull.HUB_REPOS == {
        "en-es": "Helsinki-NLP/opus-mt-en-es",
        "es-en": "Helsinki-NLP/opus-mt-es-en",
    }
