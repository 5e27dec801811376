"""ROUGE of the extractive summarizer against hand-written references, with held-out weights.

The 24 reference articles are the 8 seeds (``seeds/``) and the 16 evaluation articles
(``bench/articles/``), each with a short and a long reference (``<name>.summary.json``).
They are split into two halves, A and B (every other article of each language and folder).
The Briefs weights are chosen on one half (the grid ``GRID`` below, best mean ROUGE-L) and
scored on the other, then the other way round; the tables show the held-out scores. The
anchors need no weights and are scored on the same held-out halves.

Every method sees the same body sentences (headings, bylines, datelines and credits already
removed by ``service.summarize.structure``) and fills the same budgets from the settings:

- ``briefs``: the Briefs extractive summarizer (lead + centrality, position, section prior,
  MMR with a bonus for sections not yet covered), with the sentence compression of
  ``service/summarize/compress.py`` (which rules, if any, is part of the grid);
- ``briefs-shipped``: the same with the weights in ``service/summarize/extractive.py``
  (chosen on all 24 articles: an in-sample figure, shown for reference only);
- ``lead-N``: the article's first sentences, in order, while they fit the budget (a lead
  longer than the budget cut to it), never compressed;
- ``sumy-lexrank`` / ``sumy-textrank`` / ``sumy-lsa``: sumy's sentence ratings (its own
  stemmer and stop words), best-rated sentences first while they fit, in article order.

ROUGE-1/2/L F1 come from ``rouge-score``; its default tokenizer drops every non-ASCII letter
(``migración`` -> ``migraci n``), so words are accent-folded first and stemmed with the Snowball
stemmer of the article's language. Coverage is the share of an article's headed sections that
the long summary takes a sentence from (the articles with headings), and the share of its
quarters (body sentences cut in four) for all of them.

Run: ``python bench/summary_eval.py`` (about a minute); ``--tune`` prints the weights that
score best on all 24 articles (what ``extractive.WEIGHTS`` ships).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any, cast

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from service.config import Settings  # noqa: E402
from service.languages import LANGUAGES, Lang  # noqa: E402
from service.summarize.base import LENGTHS, Length  # noqa: E402
from service.summarize.budget import ELLIPSIS, Budget, Budgets, shorten  # noqa: E402
from service.summarize.compress import RULES, Rule  # noqa: E402
from service.summarize.extractive import (  # noqa: E402
    WEIGHTS,
    ExtractiveSummarizer,
    Weights,
    choose,
)
from service.summarize.features import Features, features  # noqa: E402
from service.summarize.structure import (  # noqa: E402
    Candidate,
    _candidate_sentences,
    candidate_sentences,
)
from service.summarize.terms import fold  # noqa: E402

FOLDERS = (REPO / "seeds", REPO / "bench" / "articles")
ANCHORS = ("lead-N", "sumy-lexrank", "sumy-textrank", "sumy-lsa")
METHODS = ("briefs", "briefs-shipped", *ANCHORS)
METRICS = ("rouge1", "rouge2", "rougeL")
# The compression rules tried: none, each alone, each pair and all three, so which rules
# (if any) a summary uses is chosen on the tuning half like the weights.
COMPRESSION: tuple[tuple[Rule, ...], ...] = tuple(
    rules for size in range(len(RULES) + 1) for rules in itertools.combinations(RULES, size)
)
# The weights tried, per length: every combination of these values; the others keep their
# shipped value (the long summary's ``specificity`` is a choice, not tuned: see WEIGHTS).
# Ties go to the first combination, so each list starts with its most conservative value:
# no compression, the strictest bar for a second short sentence.
GRID: dict[Length, dict[str, tuple[Any, ...]]] = {
    "short": {
        "centrality": (0.1, 0.3),
        "position": (0.3, 1.0, 3.0),
        "number": (0.0, 0.1, 0.2),
        "min_share": (0.9, 0.7, 0.5, 0.0),
        "compress": COMPRESSION,
    },
    "long": {
        "position": (0.2, 0.35, 0.5),
        "section_lead": (0.0, 0.2),
        "section_centrality": (0.0, 0.4),
        "new_section": (0.1, 0.2, 0.4),
        "compress": COMPRESSION,
    },
}
SUMY_LANGUAGE: dict[Lang, str] = {"en": "english", "es": "spanish"}
_WORDS = re.compile(r"\w+")

Method = Callable[[str, Lang, Length, Budget], list[str]]


class FoldingTokenizer:
    """rouge-score tokenizer: accent-folded, lower-cased words with their Snowball stem."""

    def __init__(self, language: Lang) -> None:
        import snowballstemmer

        self._stemmer = snowballstemmer.stemmer(SUMY_LANGUAGE[language])
        self._seen: dict[str, list[str]] = {}

    def tokenize(self, text: str) -> list[str]:
        """Tokens of ``text`` as ROUGE compares them (the tuning scores the same texts often)."""
        if text not in self._seen:
            words = _WORDS.findall(fold(text))
            self._seen[text] = [str(self._stemmer.stemWord(word)) for word in words]
        return self._seen[text]


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
    """The first body sentences, in order, until the next one would not fit; a lead longer
    than the budget is cut to it (the first N words), so the anchor is never empty."""
    sentences = [c.text for c in candidate_sentences(text, language)[0]]
    picked: list[str] = []
    for sentence in sentences:
        if not budget.fits([*picked, sentence]):
            break
        picked.append(sentence)
    return picked or [shorten(sentences[0], budget.max_words)]


def _all_ratings(sentences: Any, _count: int, rating: Any, *args: Any, **kwargs: Any) -> Any:
    """sumy's rating of every sentence (a dict, or a function for LSA), in text order."""
    rate = rating.__getitem__ if isinstance(rating, dict) else rating
    return {sentence: rate(sentence, *args, **kwargs) for sentence in sentences}


def sumy_method(kind: str) -> Method:
    """A sumy summarizer (``lexrank``, ``textrank`` or ``lsa``) under the same budget."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    kinds: dict[str, Any] = {
        "lexrank": LexRankSummarizer,
        "textrank": TextRankSummarizer,
        "lsa": LsaSummarizer,
    }

    def run(text: str, language: Lang, length: Length, budget: Budget) -> list[str]:
        name = SUMY_LANGUAGE[language]
        sentences = [c.text for c in candidate_sentences(text, language)[0]]
        tokenizer = _SumyTokenizer(name)
        document = ObjectDocumentModel(
            [Paragraph([Sentence(sentence, tokenizer) for sentence in sentences])]
        )
        summarizer: Any = kinds[kind](Stemmer(name))
        summarizer.stop_words = get_stop_words(name)
        # Keep sumy's ratings instead of its fixed-count pick, so the word budget applies too.
        summarizer._get_best_sentences = _all_ratings
        ratings = cast(dict[Any, float], summarizer(document, len(sentences)))
        scores = [ratings[s] for s in document.sentences]
        ranking = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
        return _fill(sentences, ranking, budget)

    return run


@dataclass(frozen=True, eq=False)  # hashed by identity, for the feature cache
class Article:
    """A reference article: its text, language, references and (cached) body sentences."""

    name: str
    language: Lang
    text: str
    references: dict[str, str]
    half: str  # "A" or "B"

    @cached_property
    def candidates(self) -> list[Candidate]:
        """The body sentences every method chooses from (split once: pysbd is slow)."""
        return candidate_sentences(self.text, self.language)[0]

    @cached_property
    def sentences(self) -> list[str]:
        """The candidates' text."""
        return [c.text for c in self.candidates]


def load_articles() -> list[Article]:
    """Every article with references, alternately in half A and B per folder and language."""
    articles: list[Article] = []
    for folder in FOLDERS:
        for language in LANGUAGES:
            for i, path in enumerate(sorted(folder.glob(f"*.{language}.txt"))):
                name = path.name.removesuffix(".txt")
                references = json.loads((folder / f"{name}.summary.json").read_text("utf-8"))
                text = path.read_text(encoding="utf-8")
                articles.append(Article(name, language, text, references, "AB"[i % 2]))
    return articles


@cache
def _features(article: Article) -> Features:
    return features(article.candidates, article.language)


def grid(length: Length) -> Iterator[Weights]:
    """Every weight combination tried for ``length``, from the shipped weights."""
    names = list(GRID[length])
    for values in itertools.product(*GRID[length].values()):
        yield replace(WEIGHTS[length], **dict(zip(names, values, strict=True)))


class Scorer:
    """ROUGE of picked sentences against an article's reference, cached per pick."""

    def __init__(self) -> None:
        from rouge_score import rouge_scorer

        self._scorers = {
            lang: rouge_scorer.RougeScorer(list(METRICS), tokenizer=FoldingTokenizer(lang))
            for lang in LANGUAGES
        }
        self._cache: dict[tuple[str, str, str], dict[str, float]] = {}

    def score(self, article: Article, length: Length, summary: list[str]) -> dict[str, float]:
        """ROUGE-1/2/L F1 of ``summary`` against the ``length`` reference."""
        text = " ".join(summary)
        key = (article.name, length, text)
        if key not in self._cache:
            result = self._scorers[article.language].score(article.references[length], text)
            self._cache[key] = {metric: result[metric].fmeasure for metric in METRICS}
        return self._cache[key]


def briefs_method(settings: Settings) -> Method:
    """The Briefs extractive summarizer as the service runs it (shipped weights)."""
    summarizer = ExtractiveSummarizer(Budgets.from_settings(settings))

    def run(text: str, language: Lang, length: Length, budget: Budget) -> list[str]:
        return summarizer.summarize(text, language, length).sentences

    return run


def timings(articles: list[Article], method: Method, budgets: Budgets) -> list[float]:
    """Seconds per article for a short and a long summary, from the raw text each time."""
    seconds = []
    for article in articles:
        _candidate_sentences.cache_clear()  # every method splits the text itself
        started = time.perf_counter()
        for length in LENGTHS:
            method(article.text, article.language, length, budgets.of(length))
        seconds.append(time.perf_counter() - started)
    return seconds


def briefs_pick(article: Article, weights: Weights, budget: Budget) -> list[str]:
    """The Briefs extractive summary of ``article`` with ``weights``."""
    sentences = article.sentences
    if budget.fits(sentences):
        return sentences
    return choose(sentences, _features(article), weights, budget, article.language)[0]


def tune(articles: list[Article], length: Length, budget: Budget, scorer: Scorer) -> Weights:
    """The grid weights with the best mean ROUGE-L on ``articles`` (ties: the first)."""

    def mean_rouge_l(weights: Weights) -> float:
        return statistics.mean(
            scorer.score(a, length, briefs_pick(a, weights, budget))["rougeL"] for a in articles
        )

    return max(grid(length), key=mean_rouge_l)


def _taken_from(candidates: list[Candidate], sentence: str) -> Candidate | None:
    """The body sentence a summary sentence comes from: all its words, in order (a compressed
    sentence lost some); None for a shortened lead (a short summary only)."""
    if sentence.endswith(ELLIPSIS):
        return None
    words = _WORDS.findall(sentence)
    for candidate in candidates:
        remaining = iter(_WORDS.findall(candidate.text))
        if all(word in remaining for word in words):
            return candidate
    return None


def coverage(article: Article, summary: list[str]) -> tuple[float | None, float]:
    """Shares of the headed sections (None without headings) and of the quarters used."""
    candidates = article.candidates
    used = [c for c in map(partial(_taken_from, candidates), summary) if c is not None]
    sections = {c.section for c in candidates}
    headed = len({c.section for c in used}) / len(sections) if len(sections) > 1 else None
    quarters = len({4 * c.index // len(candidates) for c in used}) / min(4, len(candidates))
    return headed, quarters


def evaluate(settings: Settings) -> dict[str, Any]:
    """Held-out scores and coverage per (method, language, length); weights chosen per half."""
    budgets = Budgets.from_settings(settings)
    articles = load_articles()
    scorer = Scorer()
    anchors: dict[str, Method] = {
        "lead-N": lead_n,
        "sumy-lexrank": sumy_method("lexrank"),
        "sumy-textrank": sumy_method("textrank"),
        "sumy-lsa": sumy_method("lsa"),
    }
    chosen = {
        (half, length): tune(
            [a for a in articles if a.half != half], length, budgets.of(length), scorer
        )
        for half in "AB"
        for length in LENGTHS
    }
    summaries: dict[tuple[str, str, Length], list[str]] = {}
    for article in articles:
        for length in LENGTHS:
            budget = budgets.of(length)
            for name, method in anchors.items():
                summary = method(article.text, article.language, length, budget)
                summaries[(name, article.name, length)] = summary
            held_out = chosen[(article.half, length)]
            summaries[("briefs", article.name, length)] = briefs_pick(article, held_out, budget)
            shipped = briefs_pick(article, WEIGHTS[length], budget)
            summaries[("briefs-shipped", article.name, length)] = shipped
    timed: dict[str, Method] = {"briefs": briefs_method(settings), **anchors}
    seconds = {name: timings(articles, method, budgets) for name, method in timed.items()}
    return {
        "articles": articles,
        "chosen": chosen,
        "summaries": summaries,
        "scorer": scorer,
        "seconds": seconds,
    }


def _mean(values: list[float]) -> str:
    return f"{statistics.mean(values):.3f}" if values else "-"


def markdown(report: dict[str, Any]) -> str:
    """The result as the Markdown tables of ``docs/benchmarks.md``."""
    articles: list[Article] = report["articles"]
    scorer: Scorer = report["scorer"]
    summaries = report["summaries"]
    lines = [
        "| language | length | method | ROUGE-1 | ROUGE-2 | ROUGE-L (held-out A) "
        "| ROUGE-L (held-out B) | ROUGE-L (all 12) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for language in LANGUAGES:
        for length in LENGTHS:
            group = [a for a in articles if a.language == language]
            for name in METHODS:
                scores = {
                    a.name: scorer.score(a, length, summaries[(name, a.name, length)])
                    for a in group
                }
                row = [_mean([s[m] for s in scores.values()]) for m in ("rouge1", "rouge2")]
                row += [
                    _mean([scores[a.name]["rougeL"] for a in group if a.half == h]) for h in "AB"
                ]
                row.append(_mean([s["rougeL"] for s in scores.values()]))
                lines.append(f"| {language} | {length} | {name} | {' | '.join(row)} |")
    headed = sum(len({c.section for c in a.candidates}) > 1 for a in articles)
    lines += [
        "",
        f"| method | sections used (long, {headed} articles with headings) "
        f"| quarters used (long, all {len(articles)}) |",
        "|---|---|---|",
    ]
    for name in METHODS:
        used = [coverage(a, summaries[(name, a.name, "long")]) for a in articles]
        headed = [h for h, _ in used if h is not None]
        lines.append(f"| {name} | {_mean(headed)} | {_mean([q for _, q in used])} |")
    lines += ["", "| weights chosen on | length | weights |", "|---|---|---|"]
    for (half, length), weights in report["chosen"].items():
        other = "B" if half == "A" else "A"
        lines.append(f"| half {other} (scored on {half}) | {length} | {_weights(weights)} |")
    lines += ["", "| method | ms per article (short + long, median) |", "|---|---|"]
    for name, seconds in report["seconds"].items():
        lines.append(f"| {name} | {1000 * statistics.median(seconds):.1f} |")
    return "\n".join(lines)


def _weights(weights: Weights) -> str:
    def shown(value: Any) -> str:
        return "+".join(value) if isinstance(value, tuple) else f"{value:g}"

    return ", ".join(f"{k}={shown(v)}" for k, v in vars(weights).items() if v)


def speed(settings: Settings, runs: int = 21) -> str:
    """Milliseconds for the long summary of the 1,007-word seed, after a warm-up call."""
    summarizer = ExtractiveSummarizer(Budgets.from_settings(settings))
    text = (FOLDERS[0] / "guatemala-us-migration-security.en.txt").read_text(encoding="utf-8")
    summarizer.summarize(text, "en", "long")  # imports, stemmer and stop-word caches
    cold, warm = [], []
    for _ in range(runs):
        _candidate_sentences.cache_clear()
        started = time.perf_counter()
        summarizer.summarize(text, "en", "long")
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()  # a brief's second summary reuses the sentence split
        summarizer.summarize(text, "en", "long")
        warm.append(time.perf_counter() - started)
    return (
        f"long summary of the seed, median of {runs}: {1000 * statistics.median(cold):.1f} ms "
        f"(text split included), {1000 * statistics.median(warm):.1f} ms (split cached)"
    )


def main() -> None:
    """Run the evaluation and print the tables (or, with --tune, the weights to ship)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tune", action="store_true", help="best weights on all articles")
    parser.add_argument("--speed", action="store_true", help="time the seed's long summary")
    settings = Settings()
    arguments = parser.parse_args()
    if arguments.speed:
        print(speed(settings))
        return
    if arguments.tune:
        budgets = Budgets.from_settings(settings)
        articles, scorer = load_articles(), Scorer()
        for length in LENGTHS:
            print(length, _weights(tune(articles, length, budgets.of(length), scorer)))
        return
    report = evaluate(settings)
    folders = ", ".join(f"{folder.relative_to(REPO)}/" for folder in FOLDERS)
    print(f"{len(report['articles'])} articles in {folders}\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
