"""MarianCodec must tokenize exactly as transformers' MarianTokenizer does."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from service.translate.marian_codec import BATCH_CALL_FROM, MarianCodec
from tests.conftest import SEEDS

SAMPLES = [
    "Guatemala will increase deportation flights by 40%.",
    "Los EE. UU. y el Sr. García se reunieron el miércoles.",
    "Emoji 🎉, ¿preguntas? «Citas» — y números: 1,200.50",
    "",
    "   spaced    out   ",
    "Ünïcödé wörds that the tiny vocabulary has never seen: Zyxwvut.",
]


@pytest.fixture(params=["en-es", "es-en"])
def folder(request: pytest.FixtureRequest, tiny_marian: dict[str, Path]) -> Path:
    return tiny_marian[request.param]


def _seed_lines() -> list[str]:
    lines = [
        line.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    return [line for line in lines if line][:80]


def test_encoding_matches_marian_tokenizer(folder: Path) -> None:
    from transformers import MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(str(folder))
    codec = MarianCodec(folder, max_input_tokens=512)
    texts = SAMPLES + _seed_lines()
    assert codec.encode(texts) == tokenizer(texts, truncation=True, max_length=512)["input_ids"]
    full = tokenizer(texts, verbose=False)["input_ids"]
    assert codec.count(texts) == [len(ids) for ids in full]


def test_long_input_is_cut_like_the_tokenizer(folder: Path) -> None:
    from transformers import MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(str(folder))
    codec = MarianCodec(folder, max_input_tokens=16)
    text = " ".join(_seed_lines()[:3])
    expected = tokenizer([text], truncation=True, max_length=16)["input_ids"]
    assert codec.encode([text]) == expected
    assert codec.count([text])[0] > 16


def test_decoding_matches_marian_tokenizer(folder: Path) -> None:
    from transformers import MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(str(folder))
    codec = MarianCodec(folder, max_input_tokens=512)
    rng = random.Random(7)
    rows = [rng.sample(range(len(codec.pieces)), rng.randint(0, 30)) for _ in range(50)]
    rows += codec.encode(SAMPLES + _seed_lines())
    expected = [tokenizer.decode(row, skip_special_tokens=True) for row in rows]
    assert codec.decode(rows) == expected


def test_pieces_are_the_ids_vocabulary_entries(folder: Path) -> None:
    """CTranslate2 gets pieces straight from SentencePiece: the same tokens as ``encode``."""
    codec = MarianCodec(folder, max_input_tokens=16)
    texts = [*_seed_lines(), "Zq\u0394\u2603 unseen glyphs \U0001f600"]
    rows = codec.encode(texts)
    pieces = codec.encode_pieces(texts)
    assert pieces == [[codec.pieces[i] for i in row] for row in rows]
    assert codec.decode_pieces(pieces) == codec.decode(rows)


def test_small_batches_match_the_tokenizer_too(folder: Path) -> None:
    """Below ``BATCH_CALL_FROM`` texts the codec calls SentencePiece once per text: the same
    ids, counts and text as MarianTokenizer (and as the one-call path above)."""
    from transformers import MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(str(folder))
    codec = MarianCodec(folder, max_input_tokens=512)
    texts = SAMPLES + _seed_lines()[:10]
    assert len(texts) < BATCH_CALL_FROM
    expected = tokenizer(texts, truncation=True, max_length=512)["input_ids"]
    for size in (1, 3, len(texts)):
        chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
        assert [row for chunk in chunks for row in codec.encode(chunk)] == expected
        counts = [n for chunk in chunks for n in codec.count(chunk)]
        assert counts == [len(ids) for ids in tokenizer(texts, verbose=False)["input_ids"]]
        decoded = [text for chunk in chunks for text in codec.decode(codec.encode(chunk))]
        assert decoded == [tokenizer.decode(row, skip_special_tokens=True) for row in expected]
    many = texts * (BATCH_CALL_FROM // len(texts) + 1)  # the one-call path gives the same
    assert codec.encode_pieces(many) == [p for t in many for p in codec.encode_pieces([t])]
    assert codec.decode(codec.encode(many)) == [codec.decode(codec.encode([t]))[0] for t in many]
