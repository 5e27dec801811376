from __future__ import annotations

from service.text.paragraphs import count_paragraphs, split_paragraphs


def _paragraphs(text: str) -> list[str]:
    spans = split_paragraphs(text)
    assert "".join(s.text for s in spans) == text
    return [s.text for s in spans if s.is_text]


def test_each_line_is_a_paragraph_and_layout_is_kept() -> None:
    text = "Headline Without Period\nFirst paragraph. Two sentences.\n\n\n  Indented one.  \n"
    assert _paragraphs(text) == [
        "Headline Without Period",
        "First paragraph. Two sentences.",
        "Indented one.",
    ]


def test_soft_wrapped_lines_join_their_paragraph() -> None:
    text = "The task force will\nconsist of police\r\nand soldiers.\nA new one starts."
    assert _paragraphs(text) == [
        "The task force will\nconsist of police\r\nand soldiers.",
        "A new one starts.",
    ]


def test_markdown_markers_are_layout() -> None:
    text = "# Title\n\n- first item\n- second item\n1. numbered\n> quoted text\n"
    assert _paragraphs(text) == ["Title", "first item", "second item", "numbered", "quoted text"]


def test_empty_and_blank_inputs() -> None:
    assert split_paragraphs("") == []
    assert _paragraphs(" \r\n\t\n") == []
    assert count_paragraphs("A\n\nB\r\nC") == 3
