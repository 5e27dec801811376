from __future__ import annotations

import numpy as np
import pytest

from service.summarize.features import tfidf
from service.summarize.sections import sections, topic_segments
from service.summarize.structure import candidate_sentences
from service.summarize.terms import terms
from tests.conftest import SEEDS

SEED = SEEDS / "guatemala-us-migration-security.en.txt"

TOPICS = [
    "The coffee harvest in the highlands fell after rust fungus spread through the farms.",
    "Coffee growers said the rust fungus destroyed leaves and the harvest of their beans.",
    "Volcano Fuego erupted and ash fell on villages while lava flowed down the ravines.",
    "The volcano eruption forced villages to evacuate as ash and lava reached the ravines.",
    "The national football team won the qualifier match with two goals in the stadium.",
    "Football fans in the stadium cheered the team and the goals of the qualifier match.",
]


def _section_sentences(text: str) -> list[tuple[int, str]]:
    candidates, _ = candidate_sentences(text, "en")
    vectors = tfidf([terms(c.text, "en") for c in candidates])
    return list(zip(sections(candidates, vectors), (c.text for c in candidates), strict=True))


def test_headed_sections_of_the_seed() -> None:
    found = _section_sentences(SEED.read_text(encoding="utf-8"))
    # Six headed sections; the heading above the lead opens none.
    assert sorted({section for section, _ in found}) == [0, 1, 2, 3, 4, 5]
    assert found[0][0] == 0
    clarification = next(s for s, text in found if "safe third country" in text)
    assert clarification == 2


def test_a_read_more_line_is_no_heading() -> None:
    text = "\n".join(
        [
            "A Title",
            TOPICS[0],
            "Read more: How the rust fungus spread",
            TOPICS[1],
            "Volcano News",
            TOPICS[2],
        ]
    )
    assert [section for section, _ in _section_sentences(text)] == [0, 0, 1]


def test_topic_shifts_without_headings() -> None:
    # Two paragraphs per topic, no headings: three segments, cut where the topic changes.
    text = "A Title\n" + "\n".join(TOPICS)
    assert [section for section, _ in _section_sentences(text)] == [0, 0, 1, 1, 2, 2]


def test_one_topic_is_one_segment() -> None:
    text = "A Title\n" + "\n".join(TOPICS[:2] * 3)
    assert {section for section, _ in _section_sentences(text)} == {0}


@pytest.mark.parametrize("count", [0, 1, 2, 3])
def test_too_few_paragraphs_are_one_segment(count: int) -> None:
    assert not topic_segments(np.eye(count, 5)).any()
