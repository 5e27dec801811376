from __future__ import annotations

import pytest

from service.summarize.structure import (
    candidate_sentences,
    is_heading,
    is_meta,
    strip_lead_dateline,
)


@pytest.mark.parametrize(
    "line",
    [
        "Guatemala Announces Increased Deportation Flights and New Border Task Force",
        "Conclusion: A New Era of US-Guatemala Collaboration",
        "Hospitales al límite",
    ],
)
def test_short_lines_without_final_punctuation_are_headings(line: str) -> None:
    assert is_heading(line)


@pytest.mark.parametrize(
    "line",
    [
        "The flights will start next week.",
        "¿Qué pasará con los migrantes?",
        "He said:",
        # Long lines are paragraphs even when the final period is missing.
        " ".join(["word"] * 30),
    ],
)
def test_sentences_are_not_headings(line: str) -> None:
    assert not is_heading(line)


@pytest.mark.parametrize(
    "line",
    [
        "By Daniela Cux",
        "Por Lucía Tzoc",
        "Reporting by Carlos Mendoza; Editing by Laura Whitfield",
        "Escuintla, Guatemala, June 9, 2025",
        "Ciudad de Guatemala, 18 de febrero de 2025",
        "Published 12 March 2025 10:32 GMT",
        "Photo: A worker checks coffee leaves for rust spots. (Anacafé)",
        "Fotografía: Voluntarios liberan crías de tortuga en la playa. (Conap)",
        "Read more: How climate change is moving coffee up the mountains",
        "Lee también: Las remesas alcanzan un récord en Centroamérica",
        "Más información: Así será el recorrido del Metro Riel, estación por estación",
        "Subscribe to our newsletter.",
    ],
)
def test_bylines_datelines_credits_and_links_are_meta(line: str) -> None:
    assert is_meta(line)


@pytest.mark.parametrize(
    "line",
    [
        "By fostering economic development, the government hopes to offer alternatives.",
        "Por otro lado, el ministro dijo que no habrá cambios.",
        "The vote is on March 3, 2025.",
        "More than 300 people were deported.",
        "Video shows the crowd outside the palace.",
    ],
)
def test_body_sentences_starting_like_meta_stay(line: str) -> None:
    assert not is_meta(line)


@pytest.mark.parametrize(
    ("sentence", "rest"),
    [
        ("GUATEMALA CITY (AP) — The president said flights would rise.", "The president"),
        ("CIUDAD DE GUATEMALA, 12 mar (EFE) - El presidente dijo que sí.", "El presidente"),
        ("Washington (Reuters) - The US said it would act.", "The US"),
        ("TEGUCIGALPA, 3 jul (AFP) - El Gobierno declaró la emergencia.", "El Gobierno"),
    ],
)
def test_wire_datelines_are_cut_off_the_lead(sentence: str, rest: str) -> None:
    stripped = strip_lead_dateline(sentence)
    assert stripped.startswith(rest)
    assert sentence.endswith(stripped)


def test_ordinary_sentences_keep_their_start() -> None:
    for sentence in ["US officials said the plan - a bold one - would work.", "Hello there."]:
        assert strip_lead_dateline(sentence) == sentence


def test_candidates_skip_title_headings_and_meta() -> None:
    text = (
        "Title of the Story\n"
        "By Ana Pérez\n"
        "GUATEMALA CITY (AP) — The first fact is here. The second fact follows.\n"
        "A Section Heading\n"
        "Photo: Someone somewhere. (AP)\n"
        "Another paragraph opens. It ends here.\n"
        "Read more: Another story\n"
    )
    candidates, truncated = candidate_sentences(text, "en")
    assert [c.text for c in candidates] == [
        "The first fact is here.",
        "The second fact follows.",
        "Another paragraph opens.",
        "It ends here.",
    ]
    assert [c.paragraph for c in candidates] == [0, 0, 1, 1]
    assert [c.first_in_paragraph for c in candidates] == [True, False, True, False]
    assert not truncated


def test_markdown_headings_emphasis_links_and_wrapping() -> None:
    text = (
        "# A Title\n\n"
        "## Section\n\n"
        "The **minister** said the plan, which was announced\n"
        "on Monday, would start in [June](https://example.org/june).\n\n"
        "> *A quoted line that is a sentence.*\n\n"
        "![photo](img.png)\n\n"
        "- A list item that is a sentence.\n"
    )
    texts = [c.text for c in candidate_sentences(text, "en")[0]]
    assert texts == [
        "The minister said the plan, which was announced on Monday, would start in June.",
        "A quoted line that is a sentence.",
        "A list item that is a sentence.",
    ]


def test_limit_reports_truncation() -> None:
    text = "One sentence here. " * 50
    candidates, truncated = candidate_sentences(text, "en", limit=10)
    assert len(candidates) == 10
    assert truncated


def test_a_single_line_is_never_a_heading() -> None:
    candidates, _ = candidate_sentences("no punctuation at all here", "en")
    assert [c.text for c in candidates] == ["no punctuation at all here"]


def test_only_the_article_lead_loses_a_dateline() -> None:
    text = "WASHINGTON (AP) — The talks began on Monday.\nUS - Mexico talks resumed on Tuesday."
    texts = [c.text for c in candidate_sentences(text, "en")[0]]
    assert texts == ["The talks began on Monday.", "US - Mexico talks resumed on Tuesday."]
