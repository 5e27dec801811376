"""Extractive summaries for news: whole sentences of the article, in their original order.

Each body sentence gets a score that mixes its centrality (LexRank: PageRank over the cosine
similarity of TF-IDF vectors of stemmed content words) with a position prior (news put the
most important facts first, and paragraphs open with their topic sentence). Sentences are
then picked by maximal marginal relevance, so a summary does not say the same thing twice,
until the sentence or word budget is used up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from service.errors import EmptyInput
from service.languages import Lang
from service.summarize.base import Length, Summary
from service.summarize.budget import Budget, Budgets, shorten
from service.summarize.structure import Candidate, candidate_sentences
from service.summarize.terms import terms

if TYPE_CHECKING:
    from numpy.typing import NDArray

# The similarity graph is built over at most this many sentences (the first ones: news lead
# with their key facts), which keeps the cost per text bounded however long it is.
MAX_CANDIDATES = 400
DAMPING = 0.85
CENTRALITY_WEIGHT = 0.55
POSITION_WEIGHT = 0.35
PARAGRAPH_LEAD_WEIGHT = 0.10
MMR_LAMBDA = 0.7
# Sentences shorter than this many words carry little news and score proportionally less.
SHORT_SENTENCE_WORDS = 8


class ExtractiveSummarizer:
    """Centrality + position + MMR sentence extraction. No model; thread-safe."""

    name = "extractive"

    def __init__(self, budgets: Budgets, max_candidates: int = MAX_CANDIDATES) -> None:
        self._budgets = budgets
        self._max_candidates = max_candidates

    def summarize(self, text: str, language: Lang, length: Length) -> Summary:
        """Pick the best whole sentences of ``text`` that fit the ``length`` budget."""
        budget = self._budgets.of(length)
        candidates, truncated = candidate_sentences(text, language, limit=self._max_candidates)
        if not candidates:
            raise EmptyInput(
                "nothing to summarize: the text has no sentences, only headings, bylines, "
                "datelines or credits"
            )
        warnings: list[str] = []
        if truncated:
            warnings.append(
                f"long text: only its first {self._max_candidates} sentences were considered"
            )
        sentences = [candidate.text for candidate in candidates]
        if budget.fits(sentences):
            chosen = sentences
        else:
            scores, similarity = score_sentences(candidates, language)
            picked = select(candidates, scores, similarity, budget)
            if picked:
                chosen = [sentences[i] for i in picked]
            else:
                chosen = [shorten(sentences[int(np.argmax(scores))], budget.max_words)]
                warnings.append(
                    f"every sentence is longer than the {budget.max_words}-word budget; "
                    "the best one was shortened"
                )
        return Summary(
            text=" ".join(chosen),
            sentences=chosen,
            language=language,
            length=length,
            method="extractive",
            warnings=warnings,
        )


def _similarity(candidates: list[Candidate], language: Lang) -> NDArray[np.float64]:
    """Cosine similarity of the sentences' TF-IDF vectors; zero where nothing is shared."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        analyzer=lambda sentence: terms(sentence, language), sublinear_tf=True
    )
    try:
        matrix = vectorizer.fit_transform([candidate.text for candidate in candidates])
    except ValueError:  # no content words at all (only stop words, symbols or numbers)
        return np.zeros((len(candidates), len(candidates)))
    similarity = np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)
    np.fill_diagonal(similarity, 0.0)
    return similarity


def _pagerank(similarity: NDArray[np.float64], iterations: int = 100) -> NDArray[np.float64]:
    n = similarity.shape[0]
    sums = similarity.sum(axis=1, keepdims=True)
    # Sentences that share no word with any other spread their vote evenly.
    transition = np.where(sums > 0, similarity / np.where(sums > 0, sums, 1.0), 1.0 / n)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        updated = (1.0 - DAMPING) / n + DAMPING * (transition.T @ rank)
        if np.abs(updated - rank).sum() < 1e-9:
            return updated
        rank = updated
    return rank


def score_sentences(
    candidates: list[Candidate], language: Lang
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each sentence's score in [0, 1] and the sentence-to-sentence similarity matrix."""
    similarity = _similarity(candidates, language)
    rank = _pagerank(similarity)
    centrality = rank / rank.max()
    positions = np.array([candidate.index for candidate in candidates], dtype=np.float64)
    position = 1.0 / np.sqrt(1.0 + positions)
    paragraph_lead = np.array([float(candidate.first_in_paragraph) for candidate in candidates])
    words = np.array([candidate.words for candidate in candidates], dtype=np.float64)
    substance = np.minimum(1.0, words / SHORT_SENTENCE_WORDS)
    scores = substance * (
        CENTRALITY_WEIGHT * centrality
        + POSITION_WEIGHT * position
        + PARAGRAPH_LEAD_WEIGHT * paragraph_lead
    )
    return scores, similarity


def select(
    candidates: list[Candidate],
    scores: NDArray[np.float64],
    similarity: NDArray[np.float64],
    budget: Budget,
) -> list[int]:
    """Indices picked by maximal marginal relevance within ``budget``, in text order."""
    words = [candidate.words for candidate in candidates]
    picked: list[int] = []
    used = 0
    redundancy = np.zeros(len(candidates))
    available = np.ones(len(candidates), dtype=bool)
    while len(picked) < budget.max_sentences:
        fits = available & (np.array(words) + used <= budget.max_words)
        if not fits.any():
            break
        value = np.where(fits, MMR_LAMBDA * scores - (1.0 - MMR_LAMBDA) * redundancy, -np.inf)
        best = int(np.argmax(value))
        picked.append(best)
        used += words[best]
        available[best] = False
        redundancy = np.maximum(redundancy, similarity[best])
    return sorted(picked)
