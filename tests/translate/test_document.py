from __future__ import annotations

import random
import threading

import pytest

from service.config import Settings
from service.errors import UnsupportedPair
from service.text.paragraphs import count_paragraphs
from service.translate.base import DecodeOptions
from service.translate.document import DocumentTranslator
from tests.conftest import SEEDS
from tests.translate.fakes import LoopingEngine, UpperEngine

SEED = (SEEDS / "guatemala-us-migration-security.en.txt").read_text(encoding="utf-8")


def make(engine: UpperEngine, **settings: int) -> DocumentTranslator:
    return DocumentTranslator(engine, Settings(**settings))  # type: ignore[arg-type]


def test_seed_article_keeps_every_paragraph_and_sentence() -> None:
    engine = UpperEngine()
    result = make(engine).translate([SEED], "en", "es")
    (out,) = result.texts
    assert out == SEED.upper()  # layout identical, every sentence replaced in place
    assert count_paragraphs(out) == count_paragraphs(SEED) == len(SEED.splitlines()) == 19
    assert result.sentences == len(engine.sent) == 47
    assert result.engine.engine == "upper"
    assert result.warnings == []


def test_whitespace_crlf_emoji_and_markup_are_kept_exactly() -> None:
    text = "\r\n  # Dr. Smith arrives 🎉  \r\n\r\n\tThe U.S. said no.   Then yes!\r\n- 2024\r\n"
    out = make(UpperEngine()).translate([text], "en", "es").texts[0]
    assert (
        out == "\r\n  # DR. SMITH ARRIVES 🎉  \r\n\r\n\tTHE U.S. SAID NO.   THEN YES!\r\n- 2024\r\n"
    )


def test_empty_texts_come_back_without_calling_the_engine() -> None:
    engine = UpperEngine()
    texts = ["", "   ", "\r\n\t\n", "12,500 🎉 https://example.com"]
    result = make(engine).translate(texts, "en", "es")
    assert result.texts == texts
    assert engine.batches == []
    assert result.sentences == 0


def test_abbreviations_in_both_languages_stay_in_one_sentence() -> None:
    engine = UpperEngine()
    translator = make(engine)
    translator.translate(
        ["The U.S. envoy met Dr. Smith at 10 a.m. on Monday. He left."], "en", "es"
    )
    translator.translate(
        ["Los EE. UU. y el Sr. García hablaron a las 8 p.m. Luego se fue."], "es", "en"
    )
    assert sorted(engine.sent) == sorted(
        [
            "The U.S. envoy met Dr. Smith at 10 a.m. on Monday.",
            "He left.",
            "Los EE. UU. y el Sr. García hablaron a las 8 p.m. Luego se fue.",
        ]
    )


def test_identical_sentences_are_translated_once_and_then_cached() -> None:
    engine = UpperEngine()
    translator = make(engine)
    first = translator.translate(["Same one. Other one.", "Same one."], "en", "es")
    assert engine.sent.count("Same one.") == 1
    assert (first.sentences, first.cache_hits) == (3, 1)
    second = translator.translate(["Same one.\nNew one."], "en", "es")
    assert (second.sentences, second.cache_hits) == (2, 1)
    assert engine.sent == ["Same one.", "Other one.", "New one."]  # in text order
    other_options = translator.translate(["Same one."], "en", "es", DecodeOptions(beam_size=2))
    assert other_options.cache_hits == 0


def test_cache_size_zero_disables_the_cache() -> None:
    engine = UpperEngine()
    translator = make(engine, cache_size=0)
    translator.translate(["Same one."], "en", "es")
    assert translator.translate(["Same one."], "en", "es").cache_hits == 0
    assert len(engine.batches) == 2


def test_the_engine_gets_one_call_in_text_order() -> None:
    # One call lets the engine sort by length, batch (engine_batch_size) and run batches in
    # parallel (inter_threads); sorting is the engine's job alone.
    engine = UpperEngine()
    sentences = [("word " * n).strip() + "." for n in (3, 9, 1, 7, 5, 2, 8)]
    make(engine, engine_batch_size=3).translate([" ".join(sentences)], "en", "es")
    assert engine.batches == [sentences]


def test_a_600_token_sentence_is_chunked_and_nothing_is_lost() -> None:
    engine = UpperEngine(limit=512)
    words = [f"w{i}" for i in range(600)]
    sentence = " ".join(words[:250]) + "; " + " ".join(words[250:]) + "."
    result = make(engine).translate([f"Intro. {sentence}\nEnd."], "en", "es")
    out = result.texts[0]
    assert out.startswith("INTRO. ") and out.endswith("\nEND.")
    assert out.split() == f"Intro. {sentence}\nEnd.".upper().split()
    assert result.chunked == 1
    assert len(engine.sent) == 4  # intro, end and the long sentence in two pieces


def test_a_5000_char_word_passes_through_intact() -> None:
    word = "x" * 5000
    engine = UpperEngine(limit=50)
    engine.count_tokens = lambda texts, s, t: [len(x) // 4 + 1 for x in texts]  # type: ignore[method-assign]
    out = make(engine).translate([f"It said {word} twice."], "en", "es").texts[0]
    assert out == f"IT SAID {word} TWICE."


def test_degenerate_output_is_retried_with_repetition_suppression() -> None:
    engine = LoopingEngine()
    result = make(engine).translate(["A loop here. Fine here."], "en", "es")
    assert result.texts == ["A LOOP HERE. FINE HERE."]
    assert result.retried == 1 and result.warnings == []
    assert engine.batches[-1] == ["A loop here."]
    retry = engine.options[-1]
    assert retry is not None and retry.repetition_penalty and retry.no_repeat_ngram_size


def test_output_still_bad_after_the_retry_is_flagged_and_the_flag_survives_the_cache() -> None:
    engine = LoopingEngine(stubborn=True)
    translator = make(engine)
    for _ in range(2):
        result = translator.translate(["A loop here. Fine here."], "en", "es")
        assert len(result.warnings) == 1
        assert "“A loop here.”" in result.warnings[0] and "repeated" in result.warnings[0]
    assert result.cache_hits == 2


def test_same_source_and_target_is_refused() -> None:
    with pytest.raises(UnsupportedPair):
        make(UpperEngine()).translate(["Hello."], "en", "en")


def test_concurrent_calls_get_their_own_results() -> None:
    translator = make(UpperEngine(), engine_batch_size=4)
    texts = [f"Sentence number {i}. Shared sentence." for i in range(40)]
    results: dict[int, str] = {}

    def work(i: int) -> None:
        results[i] = translator.translate([texts[i]], "en", "es").texts[0]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {i: text.upper() for i, text in enumerate(texts)}


class IdentityEngine(UpperEngine):
    def convert(self, text: str) -> str:
        return text


@pytest.mark.parametrize("seed", range(5))
def test_random_layouts_come_back_exactly_with_an_identity_engine(seed: int) -> None:
    rng = random.Random(seed)
    pieces = [
        "The U.S. envoy met Dr. Smith at 10 a.m.",
        "Los EE. UU. y el Sr. García hablaron.",
        "¿Vuelve mañana?",
        "“We will act,” he said.",
        "Prices rose 3.5% to $1,200.",
        "See https://example.com/a.b?c=d.",
        "🎉🇬🇹",
        "2024",
        "X" + "x" * 299,
        "Wait...",
    ]
    breaks = ["\n", "\r\n", "\n\n", "\r\n\r\n", "\n \t\n", " \n"]
    lead = ["", "", "  ", "\t", "# ", "- ", "1. ", "> "]
    engine = IdentityEngine()
    translator = make(engine, engine_batch_size=7)
    for _ in range(40):
        lines = [
            rng.choice(lead) + " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(1, 8))
        ]
        text = rng.choice(["", " ", "\n"]) + "".join(line + rng.choice(breaks) for line in lines)
        result = translator.translate([text], "en", "es")
        assert result.texts == [text]
        assert count_paragraphs(result.texts[0]) == len(lines)
