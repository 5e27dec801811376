"""Which part of the story each sentence belongs to, so a long summary can cover them all.

An article with headings has its sections (``Candidate.section``). Without headings, the
paragraphs are cut where the vocabulary changes, as TextTiling does (Hearst, 1997): the
lexical cohesion across each paragraph boundary is the cosine of the TF-IDF vectors of the
paragraphs just before and just after it, and a boundary is a topic shift where that cohesion
dips well below its neighbours (a deep valley: depth above mean - std / 2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from service.summarize.structure import Candidate

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Paragraphs on each side of a boundary that are compared.
WINDOW = 2
# A topic segment has at least this many paragraphs (news paragraphs are one to three
# sentences; a shift every paragraph would be noise).
MIN_PARAGRAPHS = 2
# At most this many segments: about one per long-summary sentence.
MAX_SEGMENTS = 6


def sections(candidates: list[Candidate], vectors: NDArray[np.float64]) -> list[int]:
    """The section of each candidate: its headed section, or its topic segment.

    ``vectors`` holds one TF-IDF row per candidate sentence.
    """
    if any(candidate.section for candidate in candidates):
        return [candidate.section for candidate in candidates]
    paragraphs = sorted({candidate.paragraph for candidate in candidates})
    row = {paragraph: index for index, paragraph in enumerate(paragraphs)}
    of_sentence = np.array([row[candidate.paragraph] for candidate in candidates])
    segment_of_paragraph = topic_segments(_paragraph_vectors(vectors, of_sentence))
    return [int(segment_of_paragraph[p]) for p in of_sentence]


def _paragraph_vectors(
    vectors: NDArray[np.float64], of_sentence: NDArray[np.int_]
) -> NDArray[np.float64]:
    summed = np.zeros((int(of_sentence.max()) + 1, vectors.shape[1]))
    np.add.at(summed, of_sentence, vectors)
    return summed


def topic_segments(paragraphs: NDArray[np.float64]) -> NDArray[np.int_]:
    """The segment number of each paragraph (rows: paragraph term vectors), from 0."""
    count = paragraphs.shape[0]
    segment = np.zeros(count, dtype=np.int_)
    if count < 2 * MIN_PARAGRAPHS:
        return segment
    cohesion = np.array([_cohesion(paragraphs, gap) for gap in range(1, count)])
    depth = np.array([_depth(cohesion, i) for i in range(len(cohesion))])
    cutoff = depth.mean() - depth.std() / 2
    boundaries: list[int] = []  # paragraph indices that open a new segment
    for i in np.argsort(-depth, kind="stable"):
        gap = int(i) + 1
        if depth[i] <= cutoff or depth[i] <= 0 or len(boundaries) >= MAX_SEGMENTS - 1:
            break
        edges = [0, count, *boundaries]
        if all(abs(gap - edge) >= MIN_PARAGRAPHS for edge in edges):
            boundaries.append(gap)
    for gap in boundaries:
        segment[gap:] += 1
    return segment


def _cohesion(paragraphs: NDArray[np.float64], gap: int) -> float:
    before = paragraphs[max(0, gap - WINDOW) : gap].sum(axis=0)
    after = paragraphs[gap : gap + WINDOW].sum(axis=0)
    norms = float(np.linalg.norm(before) * np.linalg.norm(after))
    return float(before @ after) / norms if norms > 0 else 0.0


def _depth(cohesion: NDArray[np.float64], i: int) -> float:
    """How far the cohesion at gap ``i`` lies below the peaks climbed to on either side."""
    left = i
    while left > 0 and cohesion[left - 1] >= cohesion[left]:
        left -= 1
    right = i
    while right < len(cohesion) - 1 and cohesion[right + 1] >= cohesion[right]:
        right += 1
    return float(cohesion[left] - cohesion[i] + cohesion[right] - cohesion[i])
