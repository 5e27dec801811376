from __future__ import annotations

import pytest

from service.languages import Lang
from service.text.sentences import WINDOW_CHARS, split_sentences


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
