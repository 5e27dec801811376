"""Extractive summaries for news: sentences of the article, in their original order.

Each body sentence gets a score that mixes its centrality (LexRank) with a position prior
(news put the most important facts first, and paragraphs and sections open with their topic
sentence) and, for the short summary, whether it carries a figure (``features.py``). The
lead is always kept; the other sentences are picked by maximal marginal relevance, so a
summary does not say the same thing twice, with a bonus for a section (or topic segment) not
yet used, so a long summary covers the whole story, until the sentence or word budget is
used up. The long summary takes whole sentences; the short one takes them trimmed as a news
editor would (``compress.py``: a trailing attribution, the relative day), and its word
budget counts the trimmed words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from service.errors import EmptyInput
from service.languages import Lang
from service.summarize.base import Length, Summary
from service.summarize.budget import Budget, Budgets, shorten
from service.summarize.compress import Rule, compress, drop_unused_acronyms
from service.summarize.features import Features, features
from service.summarize.structure import candidate_sentences

if TYPE_CHECKING:
    from numpy.typing import NDArray

# The similarity graph is built over at most this many sentences, the first ones (news put
# their key facts first), which keeps the cost per text bounded however long it is.
MAX_CANDIDATES = 400


@dataclass(frozen=True)
class Weights:
    """How much each feature counts in a sentence's score, and the bonus in the pick for a
    sentence from a section that the summary has not used yet."""

    centrality: float
    position: float
    paragraph_lead: float
    section_lead: float = 0.0
    section_centrality: float = 0.0
    number: float = 0.0
    specificity: float = 0.0
    new_section: float = 0.0
    # A sentence after the first is picked only if its score is at least this share of the
    # first's: a short summary is better as the lead alone than padded with a weak sentence.
    min_share: float = 0.0
    # The compression rules applied to every sentence before the pick (``compress.py``): the
    # budget counts the words shown, so a trimmed lead leaves room for a second sentence.
    compress: tuple[Rule, ...] = ()


# News put the essentials in the lead (the inverted pyramid): the short summary is the lead,
# trimmed of its attribution and relative day, and a second sentence only when it is nearly
# as strong; the long one reaches into every section, in whole sentences. Chosen (the
# compression rules too) by `bench/summary_eval.py --tune` (best ROUGE-L on all 24 reference
# articles); weights chosen on one half and scored on the other: docs/benchmarks.md.
# Except the long summary's ``specificity``, a choice and not tuned: it costs about 0.007
# ROUGE-L but takes a section's facts (names, figures: "Guatemala has not entered into a
# 'safe third country' agreement") over its commentary ("This clarification is significant").
WEIGHTS: dict[Length, Weights] = {
    "short": Weights(
        centrality=0.1,
        position=0.3,
        paragraph_lead=0.1,
        min_share=0.9,
        compress=("attribution", "day"),
    ),
    "long": Weights(
        centrality=0.4,
        position=0.35,
        paragraph_lead=0.1,
        section_lead=0.2,
        section_centrality=0.4,
        specificity=0.4,
        new_section=0.2,
    ),
}
MMR_LAMBDA = 0.7
# A sentence this similar to one already picked says the same thing (wire copy often
# repeats the lead further down) and is never picked, even when the budget has room left.
DUPLICATE_SIMILARITY = 0.6


class ExtractiveSummarizer:
    """Centrality + position + MMR sentence extraction. No model; thread-safe."""

    name = "extractive"

    def __init__(
        self,
        budgets: Budgets,
        max_candidates: int = MAX_CANDIDATES,
        weights: dict[Length, Weights] | None = None,
    ) -> None:
        self._budgets = budgets
        self._max_candidates = max_candidates
        self._weights = weights or WEIGHTS

    def summarize(self, text: str, language: Lang, length: Length) -> Summary:
        """Pick the best sentences of ``text`` (compressed where the ``length``'s weights say)
        that fit the ``length`` budget."""
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
            facts = features(candidates, language)
            chosen, note = choose(sentences, facts, self._weights[length], budget, language)
            warnings += note
        return Summary(
            text=" ".join(chosen),
            sentences=chosen,
            language=language,
            length=length,
            method="extractive",
            warnings=warnings,
        )


def choose(
    sentences: list[str], facts: Features, weights: Weights, budget: Budget, language: Lang
) -> tuple[list[str], list[str]]:
    """The summary's sentences, compressed as ``weights.compress`` says, and its warnings.
    A lead longer than the whole budget (Spanish wire leads run past 60 words) even when
    compressed is shortened rather than passed over: it is the story."""
    rules = weights.compress
    shown = [compress(sentence, language, rules) for sentence in sentences] if rules else sentences
    words = np.array([len(sentence.split()) for sentence in shown], dtype=np.int_)
    if words[0] > budget.max_words:
        return [shorten(shown[0], budget.max_words)], [
            f"the lead is longer than the {budget.max_words}-word budget; it was shortened"
        ]
    picked = pick(facts, weights, budget, words)
    if picked:
        chosen = [shown[i] for i in picked]
        return (drop_unused_acronyms(chosen) if "acronym" in rules else chosen), []
    best = int(np.argmax(score(facts, weights)))
    return [shorten(shown[best], budget.max_words)], [
        f"every sentence is longer than the {budget.max_words}-word budget; "
        "the best one was shortened"
    ]


def score(facts: Features, weights: Weights) -> NDArray[np.float64]:
    """Each sentence's score: the weighted features, scaled by the sentence's substance."""
    mix = (
        weights.centrality * facts.centrality
        + weights.position * facts.position
        + weights.paragraph_lead * facts.paragraph_lead
        + weights.section_lead * facts.section_lead
        + weights.section_centrality * facts.section_centrality
        + weights.number * facts.number
        + weights.specificity * facts.specificity
    )
    scaled: NDArray[np.float64] = facts.substance * mix
    return scaled


def pick(facts: Features, weights: Weights, budget: Budget, words: NDArray[np.int_]) -> list[int]:
    """Indices picked within ``budget`` (``words``: each sentence's words as shown), in text
    order: the lead, then by maximal marginal relevance plus the bonus for a section not
    used yet."""
    scores = score(facts, weights)
    picked: list[int] = []
    used = 0
    redundancy = np.zeros(len(scores))
    available = np.ones(len(scores), dtype=bool)
    covered = np.zeros(int(facts.section.max()) + 1, dtype=bool)
    while len(picked) < budget.max_sentences:
        fits = available & (words + used <= budget.max_words)
        if not fits.any():
            break
        value = (
            MMR_LAMBDA * scores
            - (1.0 - MMR_LAMBDA) * redundancy
            + weights.new_section * ~covered[facts.section]
        )
        # The lead is the story: it opens every summary it fits in.
        best = 0 if not picked and fits[0] else int(np.argmax(np.where(fits, value, -np.inf)))
        if picked and scores[best] < weights.min_share * scores[picked[0]]:
            break
        picked.append(best)
        used += int(words[best])
        covered[facts.section[best]] = True
        available[best] = False
        available &= facts.similarity[best] < DUPLICATE_SIMILARITY
        redundancy = np.maximum(redundancy, facts.similarity[best])
    return sorted(picked)
