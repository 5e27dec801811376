"""Glossaries and protected terms: read, matched, kept on every engine or reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.config import Settings, get_settings
from service.errors import InputTooLarge, InvalidInput
from service.translate.apertium import ApertiumTranslator
from service.translate.document import DocumentTranslator
from service.translate.factory import build_translator
from service.translate.glossary import (
    Glossary,
    TermMatcher,
    glossary_from_rows,
    load_glossary,
    placeholder,
    protect,
    restore,
)

ROWS = [
    {"en": "task force", "es": "fuerza de tarea"},
    {"en": "Donald Trump", "es": "Donald Trump"},
    {"en": "Prensa Libre", "es": "Prensa Libre"},
    {"en": "Julio Reyes", "es": "Julio Reyes"},
]


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".json"])
def test_a_glossary_file_in_each_format(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"terms{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(ROWS), encoding="utf-8")
    else:
        sep = "\t" if suffix == ".tsv" else ","
        lines = [f"es{sep}en"] + [f"{r['es']}{sep}{r['en']}" for r in ROWS]  # columns by header
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    glossary = load_glossary(path)
    assert glossary == glossary_from_rows(ROWS)
    assert glossary.pairs("en", "es")[0] == ("Donald Trump", "Donald Trump")  # longest first


def test_a_malformed_glossary_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_text("en,es\ntask force,fuerza de tarea\nvote,\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"line 3.*'es'"):
        load_glossary(path)
    path.write_text("english,spanish\na,b\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="no en or es column"):
        load_glossary(path)
    path.write_text("en,es\na,b,c\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="line 2: 3 cells for 2 columns"):
        load_glossary(path)
    with pytest.raises(InputTooLarge, match="over 2 terms"):
        glossary_from_rows(ROWS, limit=2)


def test_matching_is_case_insensitive_on_word_boundaries_longest_first() -> None:
    pairs = Glossary(
        (
            *glossary_from_rows(ROWS).terms,
            *glossary_from_rows([{"en": "task", "es": "tarea"}]).terms,
        )
    ).pairs("en", "es")
    protected = protect("The Task Force met; multitasking is not a task.", TermMatcher.of(pairs))
    assert [(s.source, s.target) for s in protected.slots] == [
        ("Task Force", "fuerza de tarea"),
        ("task", "tarea"),
    ]
    assert "multitasking" in protected.text
    back = restore(protected.text.replace(placeholder(0), placeholder(0).lower()), protected)
    assert back == "The fuerza de tarea met; multitasking is not a tarea."
    assert restore(protected.text.replace(placeholder(1), ""), protected) is None


def test_urls_addresses_handles_hashtags_and_units_are_always_protected() -> None:
    text = "See https://x.org/a?b=1, write a@b.org or @briefs_gt #Guatemala: 40% and 12 km."
    protected = protect(text)
    assert [s.source for s in protected.slots] == [
        "https://x.org/a?b=1",
        "a@b.org",
        "@briefs_gt",
        "#Guatemala",
        "40%",
        "12 km",
    ]


def test_apertium_keeps_glossary_terms_and_protected_names() -> None:
    translator = DocumentTranslator(ApertiumTranslator(), Settings())
    text = (
        "President Donald Trump met Julio Reyes. Prensa Libre said the task force grew. "
        "Follow @briefs_gt and #Guatemala."
    )
    plain = translator.translate([text], "en", "es").texts[0]
    assert "Triunfo" in plain  # what Apertium does with a name on its own
    result = translator.translate([text], "en", "es", glossary=glossary_from_rows(ROWS))
    out = result.texts[0]
    for term in ("Donald Trump", "Julio Reyes", "Prensa Libre", "fuerza de tarea", "@briefs_gt"):
        assert term in out
    assert "#Guatemala" in out and "Triunfo" not in out
    assert result.checks == [[]]


def test_a_term_at_sentence_start_takes_the_capital() -> None:
    translator = DocumentTranslator(ApertiumTranslator(), Settings())
    glossary = glossary_from_rows([{"en": "task force", "es": "fuerza de tarea"}])
    out = translator.translate(["Task force members arrived."], "en", "es", glossary=glossary)
    assert out.texts[0].startswith("Fuerza de tarea")


def test_the_default_glossary_comes_from_settings(tmp_path: Path) -> None:
    path = tmp_path / "terms.csv"
    path.write_text("en,es\nPrensa Libre,Prensa Libre\n", encoding="utf-8")
    translator = DocumentTranslator(ApertiumTranslator(), Settings(glossary=path))
    out = translator.translate(["Prensa Libre reported it."], "en", "es").texts[0]
    assert (
        "Prensa Libre" in out
        and "Prensa Libre"
        not in translator.translate(["Free Press reported it."], "en", "es").texts[0]
    )


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ["ctranslate2", "transformers"])
def test_neural_engines_keep_each_term_or_report_it(
    installed_models: Path, engine_name: str
) -> None:
    """Random weights emit anything: every term is in the output or its sentence says not."""
    translator = DocumentTranslator(build_translator(get_settings(), engine_name), get_settings())  # type: ignore[arg-type]
    glossary = glossary_from_rows(ROWS)
    sentences = [
        "The task force met Donald Trump today.",
        "Prensa Libre said Julio Reyes would resign.",
        "Read https://example.org/news and write to desk@example.org.",
    ]
    result = translator.translate([" ".join(sentences)], "en", "es", glossary=glossary)
    (checks,) = result.checks
    out = result.texts[0]
    expected = {
        0: ["fuerza de tarea", "Donald Trump"],
        1: ["Prensa Libre", "Julio Reyes"],
        2: ["https://example.org/news", "desk@example.org"],
    }
    for index, terms in expected.items():
        reported = " ".join(c.message for c in checks if c.kind == "term" and c.sentence == index)
        for term in terms:
            assert term.casefold() in out.casefold() or f"“{term}”" in reported, (term, out)


def test_the_prefix_tree_pattern_finds_what_a_flat_alternation_finds() -> None:
    """The matcher's one pattern is a prefix tree (fast); at each place it must pick exactly
    the term a flat alternation of the terms, longest first, picks."""
    import random
    import re

    rng = random.Random(7)
    words = ["task", "force", "Task", "a.b", "fuerza", "Ñu", "ñu", "de", "x", "term", "1", "10"]
    for _ in range(300):
        terms = {" ".join(rng.choices(words, k=rng.randint(1, 3))) for _ in range(8)}
        pairs = sorted(((t, t.upper()) for t in terms), key=lambda pair: -len(pair[0]))
        flat = "|".join(re.escape(term) for term, _ in pairs)
        reference = re.compile(rf"(?<!\w)(?:{flat})(?!\w)", re.IGNORECASE)
        matcher = TermMatcher.of(pairs)
        assert matcher.pattern is not None
        for _ in range(5):
            sentence = " ".join(rng.choices([*words, "force.", "(task"], k=rng.randint(1, 12)))
            expected = [m.span() for m in reference.finditer(sentence)]
            assert [m.span() for m in matcher.pattern.finditer(sentence)] == expected, (
                pairs,
                sentence,
            )
