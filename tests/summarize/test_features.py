from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from service.summarize.features import features, pagerank
from service.summarize.structure import candidate_sentences
from tests.summarize.conftest import SEED_ARTICLES, seed_language


@pytest.mark.parametrize("path", SEED_ARTICLES, ids=lambda p: p.stem)
def test_pagerank_equals_networkx(path: Path) -> None:
    import networkx as nx

    language = seed_language(path)
    candidates, _ = candidate_sentences(path.read_text(encoding="utf-8"), language)
    similarity = features(candidates, language).similarity
    ours = pagerank(similarity)
    graph = nx.from_numpy_array(similarity)
    theirs = nx.pagerank(graph, alpha=0.85, tol=1e-12, max_iter=1000)
    np.testing.assert_allclose(ours, [theirs[i] for i in range(len(ours))], atol=1e-9)


def test_a_sentence_that_shares_no_word_still_gets_a_rank() -> None:
    similarity = np.array([[0.0, 0.5, 0.0], [0.5, 0.0, 0.0], [0.0, 0.0, 0.0]])
    rank = pagerank(similarity)
    assert rank.sum() == pytest.approx(1.0) and rank[2] > 0 and rank[0] > rank[2]


def test_facts_are_more_specific_than_commentary() -> None:
    text = "\n".join(
        [
            "A Title",
            "Guatemala has not entered into a “safe third country” agreement with the US.",
            "This clarification is significant, as it dispels speculation about the policy.",
            "Deportation flights from Texas will rise by 40% starting on March 3.",
        ]
    )
    candidates, _ = candidate_sentences(text, "en")
    found = features(candidates, "en")
    assert found.specificity.max() == 1.0
    assert found.specificity[1] < 0.3 < min(found.specificity[0], found.specificity[2])
    assert list(found.number) == [0.0, 0.0, 1.0]
    assert list(found.section_lead) == [1.0, 0.0, 0.0]
