"""Alternative translations of a whole text (LibreTranslate's ``alternatives: N``).

Engines give the n best translations of a *sentence* (``base.n_best``); a text has many
sentences. One rule for any text: an alternative is the main translation with one sentence
worded otherwise, by one of that sentence's next-best beam-search hypotheses. The text's
longest sentences are varied first (where another wording most matters), each giving its
hypotheses in rank order, until ``N`` distinct alternatives. So a one-sentence text gets its
``N`` next-best whole-text translations. Fewer come back when the engine finds fewer distinct
ones; a sentence over the engine's input limit (translated in pieces) is never varied.
"""

from __future__ import annotations

from service.text.segment import Segment, reassemble, sentence_key

MAX_ALTERNATIVES = 5  # beams grow with N: N + 1 hypotheses of up to N sentences


def varied_sentences(keys: list[str], n: int) -> list[str]:
    """The distinct sentences to vary for ``n`` alternatives: the longest first, at most ``n``
    (each gives at least one alternative when its engine finds another wording)."""
    distinct = list(dict.fromkeys(keys))
    return sorted(distinct, key=len, reverse=True)[:n]  # stable: ties keep text order


def compose(
    plan: list[Segment], main: dict[str, str], others: dict[str, list[str]], n: int
) -> list[str]:
    """Up to ``n`` distinct texts, each ``plan`` with one sentence (every occurrence of it)
    translated by one of its ``others`` instead of its ``main`` translation."""
    keys = [sentence_key(s.text) for s in plan if s.translate]
    first = reassemble(plan, (main[key] for key in keys))
    seen = {first}
    out: list[str] = []
    for varied, wordings in others.items():
        for wording in wordings:
            if len(out) == n:
                return out
            text = reassemble(plan, (wording if key == varied else main[key] for key in keys))
            if text not in seen:
                seen.add(text)
                out.append(text)
    return out
