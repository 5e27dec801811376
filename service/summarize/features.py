"""What the extractive scorer knows about each candidate sentence, computed once per text.

Centrality is LexRank: PageRank over the cosine similarity of the sentences' TF-IDF vectors
(stemmed content words). The other features are cheap facts of the sentence: where it stands
(in the article, its paragraph, its section), whether it carries a number, how long it is and
whether it is mostly a quotation. How much each one counts is ``extractive.Weights``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from service.languages import Lang
from service.summarize.sections import sections
from service.summarize.structure import Candidate
from service.summarize.terms import terms

if TYPE_CHECKING:
    from numpy.typing import NDArray

DAMPING = 0.85
# Sentences shorter than this many words carry little news and score proportionally less.
SHORT_SENTENCE_WORDS = 12
# Summaries report what was said rather than quote it: a sentence that is mostly a direct
# quotation keeps only this share of its score.
QUOTE_FACTOR = 0.6
_QUOTED = re.compile(r"[\"“«]([^\"”»]+)[\"”»]")
_NUMBER = re.compile(r"\d")
# A word that names someone or something (capitalised after the first word) or gives a figure.
_SPECIFIC = re.compile(r"(?<=\s)[A-ZÁÉÍÓÚÑÜ]\w*|\S*\d\S*")


@dataclass(frozen=True)
class Features:
    """Per-sentence features (arrays in text order) and the sentence similarity matrix."""

    centrality: NDArray[np.float64]  # LexRank, the best sentence 1
    position: NDArray[np.float64]  # 1 / sqrt(1 + index): the lead 1, the 4th sentence 0.5
    paragraph_lead: NDArray[np.float64]  # 1 for a paragraph's first sentence
    section_lead: NDArray[np.float64]  # 1 for a section's (or topic segment's) first sentence
    section_centrality: NDArray[np.float64]  # similarity to its own section, its best 1
    number: NDArray[np.float64]  # 1 for a sentence with a figure in it (the key number)
    specificity: NDArray[np.float64]  # share of names, figures and quoted terms, the best 1
    substance: NDArray[np.float64]  # in (0, 1]: short sentences and quotations count less
    section: NDArray[np.int_]
    similarity: NDArray[np.float64]  # cosine, zero on the diagonal


def features(candidates: list[Candidate], language: Lang) -> Features:
    """The features of ``candidates`` (the body sentences of one text)."""
    vectors = tfidf([terms(candidate.text, language) for candidate in candidates])
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    rank = pagerank(similarity)
    section = np.array(sections(candidates, vectors), dtype=np.int_)
    opens_section = np.ones(len(candidates), dtype=bool)
    opens_section[1:] = section[1:] != section[:-1]
    words = np.array([candidate.words for candidate in candidates], dtype=np.int_)
    quoted = np.array([_quoted_share(candidate.text) for candidate in candidates])
    substance = np.minimum(1.0, words / SHORT_SENTENCE_WORDS)
    return Features(
        centrality=rank / rank.max(),
        position=1.0 / np.sqrt(1.0 + np.arange(len(candidates))),
        paragraph_lead=np.array([float(c.first_in_paragraph) for c in candidates]),
        section_lead=opens_section.astype(np.float64),
        section_centrality=_section_centrality(similarity, section),
        number=np.array([float(bool(_NUMBER.search(c.text))) for c in candidates]),
        specificity=_scaled(np.array([_specific_share(c.text) for c in candidates])),
        substance=substance * np.where(quoted > 0.5, QUOTE_FACTOR, 1.0),
        section=section,
        similarity=similarity,
    )


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


def pagerank(similarity: NDArray[np.float64]) -> NDArray[np.float64]:
    """PageRank of the weighted similarity graph, solved exactly with LAPACK.

    The rank r satisfies r = (1 - d) / n + d T^T r, a linear system (networkx's pagerank
    would need SciPy, which the service does not otherwise install).
    """
    n = similarity.shape[0]
    sums = similarity.sum(axis=1, keepdims=True)
    # Sentences that share no word with any other spread their vote evenly.
    transition = np.where(sums > 0, similarity / np.where(sums > 0, sums, 1.0), 1.0 / n)
    system = np.eye(n) - DAMPING * transition.T
    rank: NDArray[np.float64] = np.linalg.solve(system, np.full(n, (1.0 - DAMPING) / n))
    return rank


def _section_centrality(
    similarity: NDArray[np.float64], section: NDArray[np.int_]
) -> NDArray[np.float64]:
    """How much a sentence shares with the rest of its section: the section's main point 1."""
    same = section[:, None] == section[None, :]
    local = (similarity * same).sum(axis=1)
    best = np.zeros(int(section.max()) + 1)
    np.maximum.at(best, section, local)
    scaled: NDArray[np.float64] = np.divide(
        local, best[section], out=np.zeros_like(local), where=best[section] > 0
    )
    return scaled


def _specific_share(sentence: str) -> float:
    """The share of words that are names, figures or quoted terms: facts, not commentary
    ("Guatemala has not entered into a “safe third country” agreement with the US" is
    specific; "This clarification is significant" is not)."""
    words = len(sentence.split())
    quoted = sum(len(match.group(1).split()) for match in _QUOTED.finditer(sentence))
    return min(1.0, (len(_SPECIFIC.findall(sentence)) + quoted) / max(1, words))


def _scaled(values: NDArray[np.float64]) -> NDArray[np.float64]:
    top = values.max()
    return values / top if top > 0 else values


def _quoted_share(sentence: str) -> float:
    """The share of the sentence's characters inside quotation marks."""
    inside = sum(len(match.group(1)) for match in _QUOTED.finditer(sentence))
    if sentence.lstrip()[:1] in '"“«' and inside == 0:  # a quote that runs on past this one
        return 1.0
    return inside / max(1, len(sentence))
