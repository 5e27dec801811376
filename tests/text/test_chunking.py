from __future__ import annotations

from service.text.chunking import Chunk, split_long


def words(texts: list[str]) -> list[int]:
    return [len(t.split()) for t in texts]


def test_short_sentences_are_one_chunk() -> None:
    assert split_long("  A short\nsentence. ", 10, words) == [Chunk("A short sentence.")]


def test_clause_boundaries_come_first() -> None:
    sentence = "one two three; four five six: seven eight, nine ten"
    chunks = split_long(sentence, 4, words)
    assert [c.text for c in chunks] == ["one two three;", "four five six:", "seven eight, nine ten"]


def test_600_words_without_punctuation_lose_nothing() -> None:
    sentence = " ".join(f"w{i}" for i in range(600))
    chunks = split_long(sentence, 100, words)
    assert all(c.translate and len(c.text.split()) <= 100 for c in chunks)
    assert " ".join(c.text for c in chunks) == sentence


def test_an_over_long_word_is_kept_verbatim() -> None:
    word = "x" * 5000

    def chars(texts: list[str]) -> list[int]:
        return [len(t) for t in texts]

    chunks = split_long(f"Before it, {word} after it.", 50, chars)
    assert Chunk(word, translate=False) in chunks
    assert " ".join(c.text for c in chunks) == f"Before it, {word} after it."
