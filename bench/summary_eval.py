"""ROUGE of the extractive summarizer against the hand-written references in ``seeds/``.

Every method sees the same body sentences (headings, bylines, datelines and credits already
removed by ``service.summarize.structure``) and fills the same budgets from the settings:

- ``briefs``: the Briefs extractive summarizer (centrality + position prior + MMR);
- ``lead-N``: the article's first sentences, in order, while they fit the budget;
- ``sumy-lexrank`` / ``sumy-textrank``: sumy's sentence ratings (its own stemmer and stop
  words), best-rated sentences first while they fit the budget, shown in article order.

ROUGE-1/2/L F1 come from ``rouge-score``; its default tokenizer drops every non-ASCII letter
(``migración`` -> ``migraci n``), so words are accent-folded first and stemmed with the Snowball
stemmer of the article's language. Run: ``python bench/summary_eval.py [--markdown]``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from service.config import Settings  # noqa: E402
from service.languages import LANGUAGES, Lang  # noqa: E402
from service.summarize.base import LENGTHS, Length  # noqa: E402
from service.summarize.budget import Budget, Budgets  # noqa: E402
from service.summarize.extractive import ExtractiveSummarizer  # noqa: E402
from service.summarize.structure import candidate_sentences  # noqa: E402
from service.summarize.terms import fold  # noqa: E402

SEEDS = REPO / "seeds"
METHODS = ("briefs", "lead-N", "sumy-lexrank", "sumy-textrank")
METRICS = ("rouge1", "rouge2", "rougeL")
SUMY_LANGUAGE: dict[Lang, str] = {"en": "english", "es": "spanish"}
_WORDS = re.compile(r"\w+")

Method = Callable[[str, Lang, Length, Budget], list[str]]


class FoldingTokenizer:
    """rouge-score tokenizer: accent-folded, lower-cased words with their Snowball stem."""

    def __init__(self, language: Lang) -> None:
        import snowballstemmer

        self._stemmer = snowballstemmer.stemmer(SUMY_LANGUAGE[language])

    def tokenize(self, text: str) -> list[str]:
        """Tokens of ``text`` as ROUGE compares them."""
        return [str(self._stemmer.stemWord(word)) for word in _WORDS.findall(fold(text))]


class _SumyTokenizer:
    """Sentences are given; sumy only needs words (its own tokenizer needs NLTK data)."""

    def __init__(self, language: str) -> None:
        self.language = language

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph]

    def to_words(self, sentence: str) -> list[str]:
        return _WORDS.findall(sentence)


def _fill(sentences: list[str], ranking: list[int], budget: Budget) -> list[str]:
    """Take sentences in ``ranking`` order while they fit; return them in article order."""
    picked: list[int] = []
    words = 0
    for index in ranking:
        size = len(sentences[index].split())
        if len(picked) < budget.max_sentences and words + size <= budget.max_words:
            picked.append(index)
            words += size
    return [sentences[i] for i in sorted(picked)]


def lead_n(text: str, language: Lang, length: Length, budget: Budget) -> list[str]:
    """The first body sentences, in order, until the next one would not fit."""
    sentences = [c.text for c in candidate_sentences(text, language)[0]]
    picked: list[str] = []
    for sentence in sentences:
        if not budget.fits([*picked, sentence]):
            break
        picked.append(sentence)
    return picked


def sumy_method(kind: str) -> Method:
    """A sumy summarizer (``lexrank`` or ``textrank``) under the same budget."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    def run(text: str, language: Lang, length: Length, budget: Budget) -> list[str]:
        name = SUMY_LANGUAGE[language]
        sentences = [c.text for c in candidate_sentences(text, language)[0]]
        tokenizer = _SumyTokenizer(name)
        document = ObjectDocumentModel(
            [Paragraph([Sentence(sentence, tokenizer) for sentence in sentences])]
        )
        summarizer: Any = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(
            Stemmer(name)
        )
        summarizer.stop_words = get_stop_words(name)
        # Keep sumy's ratings instead of its fixed-count pick, so the word budget applies too.
        summarizer._get_best_sentences = lambda _sentences, _count, ratings, *a, **k: ratings
        ratings = cast(dict[Any, float], summarizer(document, len(sentences)))
        scores = [ratings[s] for s in document.sentences]
        ranking = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
        return _fill(sentences, ranking, budget)

    return run


def briefs_method(settings: Settings) -> Method:
    """The Briefs extractive summarizer."""
    summarizer = ExtractiveSummarizer(Budgets.from_settings(settings))

    def run(text: str, language: Lang, length: Length, budget: Budget) -> list[str]:
        return summarizer.summarize(text, language, length).sentences

    return run


def evaluate(settings: Settings) -> dict[str, Any]:
    """Scores per (method, language, length) and seconds per article per method."""
    from rouge_score import rouge_scorer

    budgets = Budgets.from_settings(settings)
    methods: dict[str, Method] = {
        "briefs": briefs_method(settings),
        "lead-N": lead_n,
        "sumy-lexrank": sumy_method("lexrank"),
        "sumy-textrank": sumy_method("textrank"),
    }
    scorers = {
        lang: rouge_scorer.RougeScorer(list(METRICS), tokenizer=FoldingTokenizer(lang))
        for lang in LANGUAGES
    }
    scores: dict[tuple[str, str, str], dict[str, list[float]]] = {}
    seconds: dict[str, list[float]] = {name: [] for name in methods}
    articles = sorted(SEEDS.glob("*.txt"))
    for path in articles:
        language = cast(Lang, path.suffixes[-2].lstrip("."))
        references = json.loads((SEEDS / f"{path.stem}.summary.json").read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        for name, method in methods.items():
            started = time.perf_counter()
            outputs = {
                length: method(text, language, length, budgets.of(length)) for length in LENGTHS
            }
            seconds[name].append(time.perf_counter() - started)
            for length in LENGTHS:
                result = scorers[language].score(references[length], " ".join(outputs[length]))
                cell = scores.setdefault((name, language, length), {m: [] for m in METRICS})
                for metric in METRICS:
                    cell[metric].append(result[metric].fmeasure)
    return {"articles": len(articles), "scores": scores, "seconds": seconds}


def markdown(report: dict[str, Any]) -> str:
    """The result as the Markdown tables of ``docs/benchmarks.md``."""
    scores = report["scores"]
    lines = [
        "| language | length | method | ROUGE-1 | ROUGE-2 | ROUGE-L |",
        "|---|---|---|---|---|---|",
    ]
    for language in LANGUAGES:
        for length in LENGTHS:
            for name in METHODS:
                cell = scores[(name, language, length)]
                values = " | ".join(f"{statistics.mean(cell[m]):.3f}" for m in METRICS)
                lines.append(f"| {language} | {length} | {name} | {values} |")
    lines += ["", "| method | ms per article (short + long) |", "|---|---|"]
    for name in METHODS:
        per_article = report["seconds"][name][1:] or report["seconds"][name]
        lines.append(f"| {name} | {1000 * statistics.median(per_article):.1f} |")
    return "\n".join(lines)


def main() -> None:
    """Run the evaluation and print the tables."""
    argparse.ArgumentParser(description=__doc__).parse_args()
    report = evaluate(Settings())
    print(f"{report['articles']} articles in {SEEDS.relative_to(REPO)}/\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
