from __future__ import annotations

import pytest

from service.languages import Lang
from service.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "The U.S. envoy met Dr. Smith at 10 a.m. today. He left.", 2),
        ("en", "Mr. Rubio arrived. Mrs. Lee did not!", 2),
        ("es", "Los EE. UU. y el Sr. García hablaron a las 10 a.m. del lunes. Dijo que sí.", 2),
        ("es", "La Dra. Pérez llegó. ¿Y el Lic. Gómez? No vino.", 3),
    ],
)
def test_abbreviations_do_not_split(language: Lang, text: str, expected: int) -> None:
    parts = split_sentences(text, language)
    assert len(parts) == expected
    assert "".join(parts) == text


def test_lossless_on_odd_input() -> None:
    for text in ["", "   ", "no punctuation at all", "Emoji 🎉 here. And 🇬🇹 there.\r\n"]:
        assert "".join(split_sentences(text, "en")) == text
