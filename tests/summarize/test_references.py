"""The hand-written references that bench/summary_eval.py scores against stay usable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.text.sentences import split_sentences
from tests.conftest import REPO, SEEDS
from tests.summarize.conftest import seed_language

ARTICLES = sorted([*SEEDS.glob("*.txt"), *(REPO / "bench" / "articles").glob("*.txt")])


def test_both_languages_have_twelve_articles() -> None:
    languages = [seed_language(path) for path in ARTICLES]
    assert languages.count("en") == languages.count("es") == 12


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_article_and_references_within_the_rules(path: Path) -> None:
    language = seed_language(path)
    assert 500 <= len(path.read_text(encoding="utf-8").split()) <= 1500
    references = json.loads(
        path.with_name(path.name.removesuffix(".txt") + ".summary.json").read_text("utf-8")
    )
    assert set(references) == {"short", "long"}
    short, long = references["short"], references["long"]
    assert len(short.split()) <= 60 and len(split_sentences(short, language)) <= 2
    assert len(long.split()) <= 180 and len(split_sentences(long, language)) <= 6
