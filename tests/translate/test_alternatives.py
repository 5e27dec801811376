"""Alternative translations: the engines' n best (tiny random Marian models, so the words are
gibberish: these test the mechanism), the whole-text rule, and Apertium's none."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import Settings
from service.languages import Lang
from service.text.segment import Segment
from service.translate.alternatives import compose, varied_sentences
from service.translate.apertium import ApertiumTranslator
from service.translate.base import DecodeOptions, EngineInfo, Translator, n_best
from service.translate.batching import BatchingTranslator
from service.translate.document import DocumentTranslator
from service.translate.factory import RoutingTranslator, build_translator
from service.translate.glossary import glossary_from_rows
from service.translate.texts import translate_texts

ONE = "The government announced a new border plan today."
THREE = (
    "Heavy rain fell.\n\nThe government announced a new border plan for the northern region "
    "today. Officials met."
)


@pytest.fixture
def settings(installed_models: Path) -> Settings:
    # Random weights never emit </s>: cap the length; no cache, so nothing hides a call.
    return Settings(models_dir=installed_models, max_decoding_length=12, cache_size=0)


@pytest.fixture(params=["ctranslate2", "transformers"])
def marian(request: pytest.FixtureRequest, settings: Settings) -> Translator:
    return build_translator(settings, request.param)


@pytest.mark.parametrize("n", [1, 3, 5])
def test_each_neural_engine_gives_n_distinct_hypotheses(marian: Translator, n: int) -> None:
    found = n_best(marian, [ONE, "  ", "Officials met."], "en", "es", n)
    assert found is not None
    assert [len(set(hypotheses)) for hypotheses in found] == [n, 0, n]
    assert all(h.strip() for h in found[0])
    # The best hypothesis is what a plain translation with as many beams gives.
    beams = max(n, marian.translate.__self__._find("en", "es")[1].num_beams)  # type: ignore[attr-defined]
    (plain,) = marian.translate([ONE], "en", "es", DecodeOptions(beam_size=beams))
    assert found[0][0] == plain


def test_a_one_sentence_text_gets_n_whole_text_alternatives(
    marian: Translator, settings: Settings
) -> None:
    document = DocumentTranslator(marian, settings)
    (main,) = document.translate([ONE], "en", "es").texts
    (alternatives,) = document.alternatives([ONE], "en", "es", 3) or [[]]
    assert len(alternatives) == 3 and len(set(alternatives)) == 3
    assert main not in alternatives


def test_a_longer_text_varies_its_longest_sentence_in_place(
    marian: Translator, settings: Settings
) -> None:
    document = DocumentTranslator(marian, settings)
    (main,) = document.translate([THREE], "en", "es").texts
    (alternatives,) = document.alternatives([THREE], "en", "es", 2) or [[]]
    assert len(set(alternatives)) == 2 and main not in alternatives
    short = [
        document.translate([s], "en", "es").texts[0] for s in ("Heavy rain fell.", "Officials met.")
    ]
    for alternative in alternatives:
        # The layout and the two short sentences stay; the long one is worded otherwise.
        assert alternative.startswith(short[0] + "\n\n") and alternative.endswith(" " + short[1])


def test_translate_texts_gives_alternatives_per_plain_text_only(
    marian: Translator, settings: Settings
) -> None:
    document = DocumentTranslator(marian, settings)
    done = translate_texts(
        document, [ONE, "Officials met."], source="en", target="es", alternatives=2
    )
    assert done.alternatives is not None
    assert [len(set(a)) for a in done.alternatives] == [2, 2]
    html = translate_texts(
        document, [f"<p>{ONE}</p>"], source="en", target="es", fmt="html", alternatives=2
    )
    assert html.alternatives == [[]]  # as LibreTranslate: none for HTML


def test_wrappers_pass_the_capability_through(settings: Settings) -> None:
    marian = build_translator(settings, "ctranslate2")
    batcher = BatchingTranslator(RoutingTranslator({"en-es": marian}), settings, workers=1)
    try:
        found = n_best(batcher, [ONE], "en", "es", 2)
        assert found is not None and len(set(found[0])) == 2
        assert batcher.held == 0  # counted while it ran, released after
    finally:
        batcher.close()


def test_apertium_gives_none_and_says_so(settings: Settings) -> None:
    assert ApertiumTranslator.available(), "install apertium and apertium-eng-spa"
    apertium = ApertiumTranslator()
    try:
        assert n_best(apertium, [ONE], "en", "es", 2) is None
        routed = RoutingTranslator({"en-es": apertium})
        assert n_best(routed, [ONE], "en", "es", 2) is None
        document = DocumentTranslator(apertium, settings)
        assert document.alternatives([ONE], "en", "es", 2) is None
        done = translate_texts(document, [ONE], source="en", target="es", alternatives=2)
        assert done.alternatives is None and done.texts[0] != ONE
    finally:
        apertium.close()


def test_the_rule_varies_the_longest_sentences_first() -> None:
    assert varied_sentences(["a b", "a b c", "d", "a b c"], 2) == ["a b c", "a b"]
    plan = [Segment("s1", True), Segment(" ", False), Segment("s2", True), Segment(" ", False),
            Segment("s1", True)]  # fmt: skip
    main = {"s1": "A", "s2": "B"}
    others = {"s2": ["B", "B2", "B3"], "s1": ["A2"]}
    # Every occurrence of a varied sentence changes; a wording equal to the main is skipped.
    assert compose(plan, main, others, 3) == ["A B2 A", "A B3 A", "A2 B A2"]
    assert compose(plan, main, others, 1) == ["A B2 A"]


class _Echo:
    """A test engine whose hypotheses repeat: fewer distinct ones come back, never padding."""

    name = "echo"

    def __init__(self, inner: Translator) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def n_best(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        n: int,
        options: DecodeOptions | None = None,
    ) -> list[list[str]]:
        return [[text.upper()] * n for text in texts]


def test_fewer_distinct_wordings_give_fewer_alternatives(settings: Settings) -> None:
    engine = _Echo(build_translator(settings, "ctranslate2"))
    document = DocumentTranslator(engine, settings)  # type: ignore[arg-type]
    (alternatives,) = document.alternatives([ONE], "en", "es", 4) or [[]]
    assert alternatives == [ONE.upper()]


class _Variants:
    """A test engine with n best: the sentence in upper case, then numbered variants (it keeps
    placeholders as it got them, as a good model does)."""

    name = "variants"

    def info(self, source: Lang, target: Lang) -> EngineInfo:
        return EngineInfo(self.name, "variants")

    def max_input_tokens(self, source: Lang, target: Lang) -> int | None:
        return 40

    def count_tokens(self, texts: list[str], source: Lang, target: Lang) -> list[int]:
        return [len(text) for text in texts]

    def translate(
        self, texts: list[str], source: Lang, target: Lang, options: DecodeOptions | None = None
    ) -> list[str]:
        return [text.upper() for text in texts]

    def n_best(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        n: int,
        options: DecodeOptions | None = None,
    ) -> list[list[str]]:
        return [[t.upper(), *(f"{t.upper()} (v{i})" for i in range(1, n))] for t in texts]


def test_glossary_terms_stay_and_long_sentences_are_not_varied() -> None:
    document = DocumentTranslator(_Variants(), Settings(cache_size=0))
    terms = glossary_from_rows([{"en": "task force", "es": "fuerza de tarea"}])
    long = "This sentence is far too long for the tiny limit of the test engine."
    text = f"The task force met. {long}"
    (alternatives,) = document.alternatives([text], "en", "es", 2, glossary=terms) or [[]]
    # Only the short sentence is varied (the long one is over the limit), its term kept.
    assert alternatives == [
        f"THE fuerza de tarea MET. (v1) {long.upper()}",
        f"THE fuerza de tarea MET. (v2) {long.upper()}",
    ]
