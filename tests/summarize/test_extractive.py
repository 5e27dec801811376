from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from service.config import Settings
from service.errors import EmptyInput
from service.summarize.base import LENGTHS, Length, Summary
from service.summarize.budget import Budget, Budgets, shorten
from service.summarize.compress import compress
from service.summarize.extractive import DUPLICATE_SIMILARITY, WEIGHTS, ExtractiveSummarizer
from service.summarize.features import features
from service.summarize.structure import candidate_sentences, is_heading, is_meta
from tests.conftest import REPO
from tests.summarize.conftest import SEED_ARTICLES, seed_language

_WORDS = re.compile(r"\w+")
# The seeds and the evaluation articles of bench/summary_eval.py: 24 news articles.
NEWS = [*SEED_ARTICLES, *sorted((REPO / "bench" / "articles").glob("*.txt"))]
MIGRATION = next(p for p in SEED_ARTICLES if p.name.startswith("guatemala-us-migration"))

BUDGETS = Budgets.from_settings(Settings())
SHORT_RULES = WEIGHTS["short"].compress
SUMMARIZER = ExtractiveSummarizer(BUDGETS)


def assert_within(summary: Summary, budget: Budget) -> None:
    assert 1 <= len(summary.sentences) <= budget.max_sentences
    assert len(summary.text.split()) <= budget.max_words
    assert summary.text == " ".join(summary.sentences)


def assert_trimmed_in_order(summary: Summary, source: str) -> None:
    """Each sentence is the article's, in order, or one trimmed by the short summary's
    compression: only words taken out, its final stop kept."""
    words = _WORDS.findall(source)
    position = 0
    for sentence in summary.sentences:
        assert sentence[-1] == "…" or sentence[-1] in ".!?" or sentence in source, sentence
        for word in _WORDS.findall(sentence):
            assert word in words[position:], f"not the article's words in order: {sentence!r}"
            position = words.index(word, position) + 1


@pytest.mark.parametrize("path", SEED_ARTICLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("length", LENGTHS)
def test_seed_articles_within_budget_in_order(path: Path, length: Length) -> None:
    text = path.read_text(encoding="utf-8")
    language = seed_language(path)
    summary = SUMMARIZER.summarize(text, language, length)
    assert (summary.language, summary.length, summary.method) == (language, length, "extractive")
    assert_within(summary, BUDGETS.of(length))
    assert_trimmed_in_order(summary, text)
    if length == "long":  # a long summary is about 4-6 sentences
        assert len(summary.sentences) >= 4
    assert not summary.warnings


@pytest.mark.parametrize("path", SEED_ARTICLES, ids=lambda p: p.stem)
def test_headings_bylines_and_datelines_never_picked(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    excluded = [line for line in text.splitlines() if is_heading(line) or is_meta(line)]
    assert excluded, "every seed has a title"
    summary = SUMMARIZER.summarize(text, seed_language(path), "long")
    for line in excluded:
        assert all(line not in sentence for sentence in summary.sentences)
    # Wire datelines ("TEGUCIGALPA, 3 jul (AFP) -") are not part of a picked lead.
    assert not any(re.match(r"^[A-Z ]{4,}[,(]", s) for s in summary.sentences)


def test_the_lead_opens_the_short_summary_of_news() -> None:
    summary = SUMMARIZER.summarize(MIGRATION.read_text(encoding="utf-8"), "en", "short")
    assert summary.sentences[0].startswith("Guatemala has committed to a significant escalation")
    # Not padded with a weaker sentence that happens to fit ("These flights will carry ...").
    assert len(summary.sentences) == 1


def test_the_long_summary_of_the_seed_covers_its_sections() -> None:
    text = MIGRATION.read_text(encoding="utf-8")
    candidates, _ = candidate_sentences(text, "en")
    section = {candidate.text: candidate.section for candidate in candidates}
    summary = SUMMARIZER.summarize(text, "en", "long")
    used = {section[sentence] for sentence in summary.sentences}
    assert len(used) >= 3, "at least half of the six headed sections"
    # The clarification a reader of the long brief needs: Guatemala has not agreed to it.
    assert "“safe third country”" in summary.text


@pytest.mark.parametrize("path", NEWS, ids=lambda p: p.stem)
def test_long_summaries_keep_the_lead_and_say_nothing_twice(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    language = seed_language(path)
    candidates, _ = candidate_sentences(text, language)
    summary = SUMMARIZER.summarize(text, language, "long")
    assert_within(summary, BUDGETS.long)
    assert_trimmed_in_order(summary, text)
    assert summary.sentences[0] == candidates[0].text
    index = {candidate.text: candidate.index for candidate in candidates}
    picked = [index[sentence] for sentence in summary.sentences]
    similarity = features(candidates, language).similarity[np.ix_(picked, picked)]
    assert similarity.max() < DUPLICATE_SIMILARITY
    # A long summary reaches past the lead: into the second half of the article.
    assert max(picked) >= len(candidates) // 2


@pytest.mark.parametrize("path", NEWS, ids=lambda p: p.stem)
def test_short_summaries_are_the_lead_with_its_figure(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    language = seed_language(path)
    lead = compress(candidate_sentences(text, language)[0][0].text, language, SHORT_RULES)
    summary = SUMMARIZER.summarize(text, language, "short")
    assert_within(summary, BUDGETS.short)
    if len(lead.split()) <= BUDGETS.short.max_words:
        assert summary.sentences[0] == lead
        assert not summary.warnings
    else:  # a lead past 60 words even trimmed: the lead, shortened, not another sentence
        assert summary.sentences == [shorten(lead, BUDGETS.short.max_words)]
        assert summary.warnings == ["the lead is longer than the 60-word budget; it was shortened"]
    assert re.search(r"\d", summary.text) or not re.search(r"\d", text)


@pytest.mark.parametrize("length", LENGTHS)
def test_short_text_comes_back_whole(length: Length) -> None:
    text = "Guatemala will add deportation flights. The plan starts in March."
    summary = SUMMARIZER.summarize(text, "en", length)
    assert summary.text == text
    assert summary.sentences == [
        "Guatemala will add deportation flights.",
        "The plan starts in March.",
    ]


def test_one_sentence() -> None:
    text = "El Congreso aprobó el contrato del Metro Riel con 121 votos a favor."
    assert SUMMARIZER.summarize(text, "es", "short").sentences == [text]


def test_no_punctuation_short_line_comes_back_whole() -> None:
    text = "guatemala adds deportation flights and a border task force"
    assert SUMMARIZER.summarize(text, "en", "short").text == text


def test_no_punctuation_long_text_is_shortened_with_a_warning() -> None:
    text = " ".join(f"palabra{i} sin puntos ni comas" for i in range(200))
    summary = SUMMARIZER.summarize(text, "es", "short")
    assert len(summary.text.split()) <= BUDGETS.short.max_words
    assert summary.text.endswith("…")
    assert text.startswith(summary.text[:-1])
    assert any("shortened" in warning for warning in summary.warnings)


def test_only_headings_is_an_error() -> None:
    text = "A Big Title\nA Section Heading\nBy Someone Important\nAnother Heading"
    with pytest.raises(EmptyInput, match="only headings"):
        SUMMARIZER.summarize(text, "en", "long")


def test_mixed_languages() -> None:
    english = SEED_ARTICLES[0].read_text(encoding="utf-8")
    spanish = next(p for p in SEED_ARTICLES if p.name.endswith(".es.txt")).read_text("utf-8")
    text = english + "\n" + spanish
    for language in ("en", "es"):
        for length in LENGTHS:
            summary = SUMMARIZER.summarize(text, language, length)  # type: ignore[arg-type]
            assert_within(summary, BUDGETS.of(length))
            assert_trimmed_in_order(summary, text)


def test_fifty_thousand_words() -> None:
    base = SEED_ARTICLES[0].read_text(encoding="utf-8")
    words = len(base.split())
    text = "\n".join([base] * (50_000 // words + 1))
    assert len(text.split()) >= 50_000
    for length in LENGTHS:
        summary = SUMMARIZER.summarize(text, "en", length)
        assert_within(summary, BUDGETS.of(length))
        assert_trimmed_in_order(summary, text)
        assert any("first 400 sentences" in warning for warning in summary.warnings)


def test_repeated_sentences_are_not_picked_twice() -> None:
    fact = "The government will raise deportation flights by forty percent this year."
    other = [
        "Farmers in the highlands fear a poor coffee harvest after heavy rain.",
        "The national team won its qualifying match in the capital on Sunday.",
        "A new hospital will open next month in the western city of Quetzaltenango.",
        "Teachers demanded higher wages in a march through the historic centre.",
    ]
    text = "\n".join([fact, fact, *other, fact])
    summary = SUMMARIZER.summarize(text, "en", "long")
    assert summary.sentences.count(fact) == 1


def test_budgets_come_from_the_settings() -> None:
    settings = Settings(short_max_sentences=1, short_max_words=30, long_max_words=70)
    summarizer = ExtractiveSummarizer(Budgets.from_settings(settings))
    text = SEED_ARTICLES[0].read_text(encoding="utf-8")
    short = summarizer.summarize(text, "en", "short")
    long = summarizer.summarize(text, "en", "long")
    assert len(short.sentences) == 1 and len(short.text.split()) <= 30
    assert len(long.text.split()) <= 70


def test_same_result_from_many_threads() -> None:
    jobs = [(p.read_text(encoding="utf-8"), seed_language(p)) for p in SEED_ARTICLES] * 3
    expected = [SUMMARIZER.summarize(t, lang, "long").sentences for t, lang in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(lambda job: SUMMARIZER.summarize(*job, "long").sentences, jobs))
    assert found == expected


def test_tfidf_equals_scikit_learns_on_every_seed() -> None:
    """The summarizer's own TF-IDF is scikit-learn's TfidfVectorizer(sublinear_tf=True)."""
    from functools import partial

    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from service.summarize.features import tfidf
    from service.summarize.structure import candidate_sentences
    from service.summarize.terms import terms
    from tests.conftest import SEEDS

    for path in sorted(SEEDS.glob("*.txt")):
        language = "es" if ".es." in path.name else "en"
        candidates, _ = candidate_sentences(path.read_text(encoding="utf-8"), language)
        texts = [candidate.text for candidate in candidates]
        ours = tfidf([terms(text, language) for text in texts])
        vectorizer = TfidfVectorizer(analyzer=partial(terms, language=language), sublinear_tf=True)
        theirs = vectorizer.fit_transform(texts).toarray()
        np.testing.assert_allclose(ours @ ours.T, theirs @ theirs.T, atol=1e-12)
    assert not tfidf([[], []]).any() and tfidf([]).shape == (0, 0)


# A 50-word lead whose last 7 words are its attribution, a 16-word second sentence, and
# sentences too long to join either (over 17 words).
FLOOD_LEAD = (
    "Heavy rains flooded 40 villages along the northern coast and forced more than 6,000 "
    "families from their homes over the weekend, as rivers burst their banks in three provinces "
    "and washed away roads, bridges and the banana crop of two entire valleys, the national "
    "disaster agency said on Monday."
)
FLOOD_SECOND = (
    "No deaths have been reported, but 12 people are still missing in the province of Atlántida."
)
FLOOD_REST = [
    "Rescue teams from the army and the fire brigade used boats to reach families stranded on "
    "the roofs of their houses near the mouth of the river.",
    "Meteorologists expect more rain this week as a cold front moves south from the Gulf of "
    "Mexico and stalls over the mountains of the interior.",
]


def _short_summarizer(**changes: object) -> ExtractiveSummarizer:
    """The shipped summarizer with its short weights changed (a second sentence always let in
    when it fits: ``min_share`` 0)."""
    short = replace(WEIGHTS["short"], min_share=0.0, **changes)  # type: ignore[arg-type]
    return ExtractiveSummarizer(BUDGETS, weights={"short": short, "long": WEIGHTS["long"]})


def test_a_compressed_lead_leaves_room_for_a_second_sentence() -> None:
    assert len(FLOOD_LEAD.split()) + len(FLOOD_SECOND.split()) > BUDGETS.short.max_words
    text = "\n".join([FLOOD_LEAD, FLOOD_SECOND, *FLOOD_REST])
    whole = _short_summarizer(compress=()).summarize(text, "en", "short")
    assert whole.sentences == [FLOOD_LEAD]
    trimmed = _short_summarizer().summarize(text, "en", "short")
    lead = FLOOD_LEAD.removesuffix(", the national disaster agency said on Monday.") + "."
    assert trimmed.sentences == [lead, FLOOD_SECOND]  # what is shown is what was counted
    assert trimmed.text == f"{lead} {FLOOD_SECOND}"
    assert_within(trimmed, BUDGETS.short)


def test_a_lead_that_fits_once_compressed_is_not_cut() -> None:
    lead = (
        "Heavy rains flooded 40 villages along the northern coast and forced more than 6,000 "
        "families from their homes over the weekend, as rivers burst their banks in three "
        "provinces, washed away roads, bridges and the banana crop of two valleys and cut "
        "power to the port city of La Ceiba for two days, according to the national disaster "
        "agency and the ministry of public works."
    )
    assert len(lead.split()) > BUDGETS.short.max_words
    text = "\n".join([lead, *FLOOD_REST])
    whole = _short_summarizer(compress=()).summarize(text, "en", "short")
    assert whole.text.endswith("…") and whole.warnings
    trimmed = _short_summarizer().summarize(text, "en", "short")
    assert trimmed.sentences == [lead.split(", according to")[0] + "."]
    assert not trimmed.warnings
