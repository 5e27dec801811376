"""Builds a tiny, randomly initialised T5 summarizer folder (hub layout) for tests.

The SentencePiece model is trained on the seed articles (English and Spanish), so prompts
tokenize like real text; the weights are random, so the output is noise, but it comes from
the real ``generate`` path of transformers.
"""

from __future__ import annotations

import io
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"


def build_tiny_t5(folder: Path, max_input_tokens: int = 128, seed: int = 0) -> Path:
    """Write config, tokenizer and safetensors weights of a tiny T5 into ``folder``."""
    import sentencepiece as spm
    import torch
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    model_file = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus.splitlines()),
        model_writer=model_file,
        vocab_size=400,
        model_type="unigram",
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        character_coverage=1.0,
        minloglevel=2,
    )
    pieces = spm.SentencePieceProcessor(model_proto=model_file.getvalue())
    vocab = [(pieces.id_to_piece(i), pieces.get_score(i)) for i in range(pieces.get_piece_size())]
    tokenizer = T5Tokenizer(
        vocab=vocab,
        extra_ids=0,
        model_max_length=max_input_tokens,
        legacy=False,
    )
    tokenizer.save_pretrained(folder)
    torch.manual_seed(seed)
    config = T5Config(
        vocab_size=len(tokenizer),
        d_model=32,
        d_kv=8,
        d_ff=64,
        num_layers=1,
        num_decoder_layers=1,
        num_heads=2,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    model = T5ForConditionalGeneration(config)
    model.generation_config.max_length = None
    # Random weights favour <pad>; keep them to real pieces so the output is visible text.
    model.generation_config.suppress_tokens = [0, 2]
    model.generation_config.begin_suppress_tokens = [1]
    model.save_pretrained(folder)
    return folder
