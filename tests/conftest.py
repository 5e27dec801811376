"""Shared fixtures: every test runs offline, with its own model and cache folders."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.config import get_settings

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No network, no user cache: models and caches live under the test's tmp folder."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("BRIEFS_MODELS_DIR", str(tmp_path / "models"))
    for name in list(os.environ):
        if name.startswith("BRIEFS_") and name != "BRIEFS_MODELS_DIR":
            monkeypatch.delenv(name)
    # huggingface_hub reads HF_HUB_OFFLINE once, at import: if it is already imported, say it.
    hub_constants = sys.modules.get("huggingface_hub.constants")
    if hub_constants is not None:
        monkeypatch.setattr(hub_constants, "HF_HUB_OFFLINE", True)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def tiny_marian(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Random tiny Opus-MT folders in the hub's layout, by pair ("en-es", "es-en"). Read-only."""
    from tests.marian_factory import build_marian

    root = tmp_path_factory.mktemp("tiny-marian")
    return {
        pair: build_marian(root / f"opus-mt-{pair}", *pair.split("-"), seed=i)
        for i, pair in enumerate(("en-es", "es-en"))
    }


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory: pytest.TempPathFactory, tiny_marian: dict[str, Path]) -> Path:
    """A models folder with both tiny models imported and converted to CTranslate2. Read-only."""
    from service.models.store import ModelStore

    store = ModelStore(tmp_path_factory.mktemp("tiny-models"))
    for pair, folder in tiny_marian.items():
        store.import_folder(folder, pair, report=lambda _: None)
    return store.root


@pytest.fixture
def installed_models(tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point BRIEFS_MODELS_DIR at the shared tiny models (en-es, es-en; hf + ct2-int8)."""
    monkeypatch.setenv("BRIEFS_MODELS_DIR", str(tiny_models_dir))
    get_settings.cache_clear()
    return tiny_models_dir
