"""The headline rule shared by `briefs brief` (.txt) and `POST /v1/briefs` without a title."""

from __future__ import annotations

import pytest

from service.text.headline import reads_as_headline, split_headline


@pytest.mark.parametrize(
    "line",
    [
        "Thousands Evacuated as Fuego Volcano Erupts Near Guatemala's Capital",
        "Honduras declara emergencia sanitaria por un brote de dengue que ya deja 48 muertos",
        "¿Quién pagará la reconstrucción?",
        "Guatemala firma un acuerdo con EE.UU.",
        "# Rains flood the capital",
    ],
)
def test_headlines(line: str) -> None:
    assert reads_as_headline(line)


@pytest.mark.parametrize(
    "line",
    [
        "The volcano erupted on Sunday.",
        "TEGUCIGALPA, 3 jul (AFP) - El Gobierno declaró la emergencia,",
        "He said:",
        "Officials asked three villages to leave...",
        "A" * 201,
        "   ",
    ],
)
def test_sentences_are_not_headlines(line: str) -> None:
    assert not reads_as_headline(line)


def test_split_takes_the_first_non_empty_line() -> None:
    assert split_headline("\n\n  # Rains flood the capital \nHeavy rains.\n\nMore rain.\n") == (
        "Rains flood the capital",
        "Heavy rains.\n\nMore rain.",
    )


def test_a_first_sentence_stays_in_the_text() -> None:
    text = "Heavy rains flooded the capital.\nMore rain is coming."
    assert split_headline(text) == (None, text)


def test_a_lone_headline_has_no_rest() -> None:
    assert split_headline("Only a title\n") == ("Only a title", "")
