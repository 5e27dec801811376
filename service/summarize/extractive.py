"""Extractive summaries for news: whole sentences of the article, in their original order.

Each body sentence gets a score that mixes its centrality (LexRank: PageRank over the cosine
similarity of TF-IDF vectors of stemmed content words) with a position prior (news put the
most important facts first, and paragraphs open with their topic sentence). Sentences are
then picked by maximal marginal relevance, so a summary does not say the same thing twice,
until the sentence or word budget is used up.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
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

# The similarity graph is built over at most this many sentences, the first ones (news put
# their key facts first), which keeps the cost per text bounded however long it is.
MAX_CANDIDATES = 400
DAMPING = 0.85


@dataclass(frozen=True)
class Weights:
    """How much centrality, position and opening a paragraph count in a sentence's score."""

    centrality: float
    position: float
    paragraph_lead: float


# News put the essentials in the lead (the inverted pyramid): a one- or two-sentence summary
# leans on position; a longer one must reach into the rest of the article, so centrality
# counts more. (Set on the seed articles, see docs/benchmarks.md.)
WEIGHTS: dict[Length, Weights] = {
    "short": Weights(centrality=0.3, position=0.6, paragraph_lead=0.1),
    "long": Weights(centrality=0.4, position=0.35, paragraph_lead=0.1),
}
MMR_LAMBDA = 0.7
# A sentence this similar to one already picked is a repeat (wire copy often repeats the
# lead further down) and is never picked, even when the budget has room left.
DUPLICATE_SIMILARITY = 0.9
# Sentences shorter than this many words carry little news and score proportionally less.
SHORT_SENTENCE_WORDS = 12
# Summaries report what was said rather than quote it: a sentence that is mostly a direct
# quotation keeps only this share of its score.
QUOTE_FACTOR = 0.6
_QUOTED = re.compile(r"[\"“«]([^\"”»]+)[\"”»]")


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
            scores, similarity = score_sentences(candidates, language, WEIGHTS[length])
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
    matrix = tfidf([terms(candidate.text, language) for candidate in candidates])
    similarity = matrix @ matrix.T
    np.fill_diagonal(similarity, 0.0)
    return similarity


def tfidf(documents: list[list[str]]) -> NDArray[np.float64]:
    """L2-normalised TF-IDF rows, one per document of terms: sublinear term frequency
    (1 + ln tf) and smoothed idf (ln((1 + n) / (1 + df)) + 1), as scikit-learn's
    ``TfidfVectorizer(sublinear_tf=True)`` computes them (``tests/summarize`` checks that),
    without its 200 MB of scikit-learn and SciPy. A document without terms is a zero row."""
    vocabulary: dict[str, int] = {}
    counts: list[Counter[int]] = []
    for document in documents:
        counts.append(Counter(vocabulary.setdefault(term, len(vocabulary)) for term in document))
    matrix = np.zeros((len(documents), len(vocabulary)))
    for row, document_counts in enumerate(counts):
        for column, count in document_counts.items():
            matrix[row, column] = 1.0 + np.log(count)
    if not vocabulary:
        return matrix
    frequency = np.count_nonzero(matrix, axis=0)
    matrix *= np.log((1.0 + len(documents)) / (1.0 + frequency)) + 1.0
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    normalised: NDArray[np.float64] = np.divide(
        matrix, norms, out=np.zeros_like(matrix), where=norms > 0
    )
    return normalised


def _pagerank(similarity: NDArray[np.float64], iterations: int = 100) -> NDArray[np.float64]:
    n = similarity.shape[0]
    sums = similarity.sum(axis=1, keepdims=True)
    # Sentences that share no word with any other spread their vote evenly.
    transition = np.where(sums > 0, similarity / np.where(sums > 0, sums, 1.0), 1.0 / n)
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        updated: NDArray[np.float64] = (1.0 - DAMPING) / n + DAMPING * (transition.T @ rank)
        if np.abs(updated - rank).sum() < 1e-9:
            return updated
        rank = updated
    return rank


def score_sentences(
    candidates: list[Candidate], language: Lang, weights: Weights
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
    quoted = np.array([_quoted_share(candidate.text) for candidate in candidates])
    substance *= np.where(quoted > 0.5, QUOTE_FACTOR, 1.0)
    scores = substance * (
        weights.centrality * centrality
        + weights.position * position
        + weights.paragraph_lead * paragraph_lead
    )
    return scores, similarity


def _quoted_share(sentence: str) -> float:
    """The share of the sentence's characters inside quotation marks."""
    inside = sum(len(match.group(1)) for match in _QUOTED.finditer(sentence))
    if sentence.lstrip()[:1] in '"“«' and inside == 0:  # a quote that runs on past this one
        return 1.0
    return inside / max(1, len(sentence))


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
        available &= similarity[best] < DUPLICATE_SIMILARITY
        available &= np.array([c.text != candidates[best].text for c in candidates])
        redundancy = np.maximum(redundancy, similarity[best])
    return sorted(picked)
