from __future__ import annotations

import random

import pytest

from service.languages import Lang
from service.text.sentences import (
    _ONE_SENTENCE,
    WINDOW_CHARS,
    _split_with_pysbd,
    split_sentences,
)
from tests.conftest import SEEDS


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "The U.S. envoy met Dr. Smith at 10 a.m. today. He left.", 2),
        ("en", "Mr. Rubio arrived. Mrs. Lee did not!", 2),
        ("en", "John F. Kennedy spoke first. Prof. Ng spoke next, e.g. on trade.", 2),
        ("es", "Los EE. UU. y el Sr. García hablaron a las 10 a.m. del lunes. Dijo que sí.", 2),
        ("es", "La Dra. Pérez llegó. ¿Y el Lic. Gómez? No vino.", 3),
        ("es", "La Sra. Ruiz vive en la Avda. Reforma núm. 5. Los EE.UU. lo saben.", 2),
    ],
)
def test_abbreviations_do_not_split(language: Lang, text: str, expected: int) -> None:
    parts = split_sentences(text, language)
    assert len(parts) == expected, parts
    assert "".join(parts) == text


def test_sentence_ends_still_split() -> None:
    parts = split_sentences("It rained. “We will act,” he said. Why? Because!", "en")
    assert [p.strip() for p in parts] == [
        "It rained.",
        "“We will act,” he said.",
        "Why?",
        "Because!",
    ]


def test_urls_and_emails_are_not_split() -> None:
    text = "Read https://example.com/a.b?c=d. Then write to ana.lopez@gob.gt. Done."
    parts = split_sentences(text, "en")
    assert [p.strip() for p in parts] == [
        "Read https://example.com/a.b?c=d.",
        "Then write to ana.lopez@gob.gt.",
        "Done.",
    ]


def test_lossless_on_odd_input() -> None:
    for text in [
        "",
        "   ",
        "no punctuation at all",
        "Emoji 🎉 here. And 🇬🇹 there.\r\n",
        "  lead. trail  ",
        "x" * 5000 + " word.",
        "line one\nline two. Next one.\r\nMore",
    ]:
        parts = split_sentences(text, "en")
        assert "".join(parts) == text
        assert all(p.strip() for p in parts) or len(parts) <= 1


def test_long_paragraphs_are_split_in_windows_without_losing_boundaries() -> None:
    sentence = "The Dr. said the U.S. plan works, and more. "
    text = sentence * (3 * WINDOW_CHARS // len(sentence) + 5)
    parts = split_sentences(text, "en")
    assert "".join(parts) == text
    assert parts == [sentence] * (len(text) // len(sentence))


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "He said no. Then he left.", 2),
        ("en", "See No. 5 and Fig. 2 from Jan. 2024. Then stop.", 2),
        ("es", "Se fue al mar. Luego volvió.", 2),
        ("es", "Ver el art. 5 y la pág. 12 del informe. Nada más.", 2),
    ],
)
def test_number_abbreviations_only_hold_before_a_number(
    language: Lang, text: str, expected: int
) -> None:
    parts = split_sentences(text, language)
    assert len(parts) == expected, parts


# Hard cases: what pysbd (with our abbreviation rules) gets right, in stripped sentences.
# Every way of splitting must give these, the one-sentence shortcut included.
HARD_CASES: list[tuple[Lang, str, list[str]]] = [
    ("es", "La Embajada de EE. UU. abrió hoy.", ["La Embajada de EE. UU. abrió hoy."]),
    (
        "es",
        "Los EE. UU. y el Sr. García hablaron a las 10 a.m. del lunes. Dijo que sí.",
        ["Los EE. UU. y el Sr. García hablaron a las 10 a.m. del lunes.", "Dijo que sí."],
    ),
    (
        "en",
        "The Sr. partner arrived at 6:30 a.m. on Monday.",
        ["The Sr. partner arrived at 6:30 a.m. on Monday."],
    ),
    (
        "en",
        "Prices rose 2.5 percent. Wages did not.",
        ["Prices rose 2.5 percent.", "Wages did not."],
    ),
    ("en", 'He said "we will act." Then he left.', ['He said "we will act."', "Then he left."]),
    ("en", '"We will act," he said.', ['"We will act," he said.']),
    ("en", "“It is over,” she said. “Go home.”", ["“It is over,” she said.", "“Go home.”"]),
    ("en", "Wait... then it happened. Or did it…", ["Wait... then it happened.", "Or did it…"]),
    ("en", "It was late… The rain kept falling.", ["It was late… The rain kept falling."]),
    (
        "es",
        "¿Qué sigue? ¡Nadie lo sabe! El gobierno calla.",
        ["¿Qué sigue?", "¡Nadie lo sabe!", "El gobierno calla."],
    ),
    ("es", "¿Qué sigue?", ["¿Qué sigue?"]),
    ("es", "¡Basta ya!", ["¡Basta ya!"]),
    ("en", "Volcano erupts near Antigua", ["Volcano erupts near Antigua"]),
    (
        "es",
        "Erupción cerca de Antigua, miles evacuados",
        ["Erupción cerca de Antigua, miles evacuados"],
    ),
    ("en", "Guatemala's president meets U.S. envoy", ["Guatemala's president meets U.S. envoy"]),
    ("en", "Guatemala's president meets the envoy", ["Guatemala's president meets the envoy"]),
    (
        "en",
        "The plan (announced Monday) takes effect today.",
        ["The plan (announced Monday) takes effect today."],
    ),
    ("en", "(Reuters) The plan takes effect today.", ["(Reuters)", "The plan takes effect today."]),
    ("en", "'Yes' Then he left.", ["'Yes'", "Then he left."]),
    (
        "en",
        "Officials said: the shelters are full; 40% left.",
        ["Officials said: the shelters are full; 40% left."],
    ),
    (
        "es",
        "Cerca del 40 % de las familias fue, según él.",
        ["Cerca del 40 % de las familias fue, según él."],
    ),
    ("en", "Steps: 1) pack 2) leave 3) return", ["Steps:", "1) pack", "2) leave", "3) return"]),
    ("en", "The U.S. Embassy opened 10 shelters", ["The U.S. Embassy opened 10 shelters"]),
    ("en", "Why?", ["Why?"]),
    ("en", "He asked why?! Nobody knew.", ["He asked why?!", "Nobody knew."]),
    ("en", "  Padded headline  ", ["Padded headline"]),
]


@pytest.mark.parametrize(("language", "text", "expected"), HARD_CASES)
def test_hard_cases(language: Lang, text: str, expected: list[str]) -> None:
    parts = split_sentences(text, language)
    assert [p.strip() for p in parts if p.strip()] == expected
    assert "".join(parts) == text
    assert parts == _split_with_pysbd(text, language)  # the shortcut changes nothing


def test_the_one_sentence_shortcut_gives_what_pysbd_gives() -> None:
    """Texts built from seed words and hard pieces (quotes, brackets, ellipses, ¿¡, lists,
    abbreviations, odd spacing): wherever the shortcut answers, pysbd answers the same."""
    rng = random.Random(16)
    words = " ".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    pool = words.split()
    hard = ['"', "'", "“", "”", "(", ")", "¿", "¡", "...", "…", ":", ";", ",", "—", "U.S.",
            "a.m.", "2.5", "Sr.", "EE. UU.", "?", "!", ".", "\u2019s", "«", "»", "1)", "a.", "III.",
            "\u00a0", "\t", "https://x.org/a.b", "x@y.com"]  # fmt: skip
    taken = 0
    for _ in range(1500):
        parts = [rng.choice(pool) if rng.random() < 0.8 else rng.choice(hard) for _ in range(12)]
        text = "".join(p + rng.choice([" ", "", "  "]) for p in parts[: rng.randint(1, 12)])
        text = rng.choice(["", '"', "¿", "(", " ", "'"]) + text + rng.choice(["", ".", "?", " "])
        language: Lang = rng.choice(["en", "es"])
        if _ONE_SENTENCE.fullmatch(text):
            taken += 1
            assert split_sentences(text, language) == _split_with_pysbd(text, language), text
    assert taken > 100  # the shortcut was tried, not skipped
