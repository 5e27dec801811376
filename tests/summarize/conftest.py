"""Fixtures for summarizer tests: the seed articles and a tiny random T5 model folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.languages import Lang
from tests.conftest import SEEDS

SEED_ARTICLES = sorted(SEEDS.glob("*.txt"))


def seed_language(path: Path) -> Lang:
    """The language in a seed's file name: ``<slug>.<lang>.txt``."""
    language = path.suffixes[-2].lstrip(".")
    assert language in ("en", "es"), path
    return "en" if language == "en" else "es"


@pytest.fixture(scope="session")
def tiny_t5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny randomly initialised T5 (hub layout) with a 128-token input limit."""
    from tests.summarize.t5_factory import build_tiny_t5

    return build_tiny_t5(tmp_path_factory.mktemp("t5") / "tiny-t5", max_input_tokens=128)
