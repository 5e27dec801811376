from __future__ import annotations

import pytest

from service.text.segment import is_sentence, reassemble, segment_text, sentence_key


def test_segments_join_to_the_input_and_only_sentences_are_translated() -> None:
    text = (
        "\ufeff# Title\r\n\r\nOne. Two!  \n\t- 2024\n🎉🎉\nhttps://x.org/a.b\nSee https://x.org.\n"
    )
    segments = segment_text(text, "en")
    assert "".join(s.text for s in segments) == text
    assert [s.text for s in segments if s.translate] == [
        "Title",
        "One.",
        "Two!",
        "See https://x.org.",
    ]


def test_reassemble_replaces_only_sentence_content() -> None:
    text = "  First one.   Second one.\r\n\r\n  Third.  "
    segments = segment_text(text, "en")
    out = reassemble(segments, ["<1>", "<2>", "<3>"])
    assert out == "  <1>   <2>\r\n\r\n  <3>  "


def test_reassemble_refuses_a_wrong_count() -> None:
    segments = segment_text("One. Two.", "en")
    with pytest.raises(ValueError):
        reassemble(segments, ["only one"])


def test_helpers() -> None:
    assert sentence_key(" a\n b\t\tc ") == "a b c"
    assert is_sentence("Q3 grew")
    assert not is_sentence("12,500 — 7%")
    assert not is_sentence("www.example.com/path 🎉")
