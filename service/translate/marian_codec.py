"""Opus-MT tokenization with SentencePiece directly, batched in C++.

It does what ``MarianTokenizer`` does for these models (SentencePiece pieces looked up in
vocab.json, unknown pieces as ``<unk>``, ``</s>`` appended, specials dropped on decode), but a
large batch is one SentencePiece call (a small one a call per text, which costs less than
the threads a batch call starts) and transformers is not imported. On a GPU the Python
tokenizer was the bottleneck: CTranslate2 translated faster than MarianTokenizer could feed it.
``tests/translate/test_marian_codec.py`` checks it against MarianTokenizer.
"""

from __future__ import annotations

import json
from pathlib import Path

import sentencepiece as spm

SPIECE_UNDERLINE = "▁"
# SentencePiece's batch calls start worker threads on every call (about 0.1 ms even for one
# text, more on a busy machine); below this many texts a call per text is faster.
BATCH_CALL_FROM = 64


class MarianCodec:
    """Text <-> token ids for one Opus-MT direction. Thread-safe (SentencePiece is)."""

    def __init__(self, hf_dir: Path, max_input_tokens: int) -> None:
        vocab: dict[str, int] = json.loads((hf_dir / "vocab.json").read_text(encoding="utf-8"))
        self.ids = vocab
        self.pieces = [""] * (max(vocab.values()) + 1)
        for piece, index in vocab.items():
            self.pieces[index] = piece
        self.eos = vocab["</s>"]
        self.unk = vocab["<unk>"]
        self.pad = vocab["<pad>"]
        self.special = {self.eos, self.unk, self.pad}
        self.special_pieces = frozenset(self.pieces[i] for i in self.special)
        self.max_input_tokens = max_input_tokens
        self._source = spm.SentencePieceProcessor(model_file=str(hf_dir / "source.spm"))
        self._target = spm.SentencePieceProcessor(model_file=str(hf_dir / "target.spm"))

    def encode(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text, ``</s>`` kept, cut to the model's input limit."""
        keep = self.max_input_tokens - 1
        rows = self._pieces_of(texts)
        return [[self.ids.get(p, self.unk) for p in row[:keep]] + [self.eos] for row in rows]

    def encode_pieces(self, texts: list[str]) -> list[list[str]]:
        """Vocabulary pieces of each text (CTranslate2 takes pieces), as ``encode`` cuts them."""
        keep = self.max_input_tokens - 1
        known = self.ids
        rows = self._pieces_of(texts)
        return [[p if p in known else "<unk>" for p in row[:keep]] + ["</s>"] for row in rows]

    def count(self, texts: list[str]) -> list[int]:
        """Input length of each text in tokens, ``</s>`` included, without the cut."""
        return [len(row) + 1 for row in self._pieces_of(texts)]

    def decode(self, rows: list[list[int]]) -> list[str]:
        """Text of each output (token ids), special tokens dropped."""
        return self.decode_pieces([[self.pieces[i] for i in row] for row in rows])

    def decode_pieces(self, rows: list[list[str]]) -> list[str]:
        """Text of each output (vocabulary pieces), special tokens dropped."""
        special = self.special_pieces
        pieces = [[p for p in row if p not in special] for row in rows]
        if len(pieces) >= BATCH_CALL_FROM:
            texts: list[str] = self._target.decode(pieces)
        else:
            texts = [self._target.decode(row) for row in pieces]
        return [text.replace(SPIECE_UNDERLINE, " ").strip() for text in texts]

    def _pieces_of(self, texts: list[str]) -> list[list[str]]:
        """SentencePiece pieces of each text: one C++ call for a large batch, else one each."""
        if len(texts) >= BATCH_CALL_FROM:
            rows: list[list[str]] = self._source.encode(texts, out_type=str)
            return rows
        return [self._source.encode(text, out_type=str) for text in texts]
