"""MarianMT through Hugging Face transformers (tokenizer + ``generate``; v5 has no pipeline)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.config import Settings
from service.errors import EngineUnavailable
from service.models.store import InstalledModel
from service.translate.marian_engine import (
    Decoding,
    Loaded,
    Locate,
    MarianEngine,
    quiet_transformers,
)

if TYPE_CHECKING:
    from transformers import MarianMTModel


class TransformersTranslator(MarianEngine["MarianMTModel"]):
    """Sentence translator on the Hugging Face files of installed Opus-MT models."""

    name = "transformers"

    def __init__(self, settings: Settings, locate: Locate | None = None) -> None:
        super().__init__(settings, locate)
        self.device = settings.device
        self.dtype = "float16" if self.device == "cuda" else "float32"
        self.format_label = f"transformers {self.dtype}"

    def _load_model(self, model: InstalledModel) -> MarianMTModel:
        import torch
        from transformers import MarianMTModel

        if self.device == "cuda" and not torch.cuda.is_available():
            raise EngineUnavailable(
                "torch sees no CUDA device", hint="set BRIEFS_DEVICE=cpu or install a CUDA torch"
            )
        quiet_transformers()
        loaded = MarianMTModel.from_pretrained(str(model.hf_dir), dtype=getattr(torch, self.dtype))
        torch.nn.Module.to(loaded, torch.device(self.device))  # typed, unlike the override
        torch.nn.Module.eval(loaded)
        return loaded

    def _hypotheses(
        self, loaded: Loaded[MarianMTModel], texts: list[str], decoding: Decoding, n: int
    ) -> list[list[str]]:
        import torch

        ids = loaded.codec.encode(texts)
        pad = loaded.codec.pad
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))  # less padding per batch
        out: list[list[list[int]]] = [[] for _ in ids]
        size = self.settings.engine_batch(decoding.beam_size)
        for start in range(0, len(order), size):
            batch = order[start : start + size]
            width = max(len(ids[i]) for i in batch)
            input_ids = torch.tensor([ids[i] + [pad] * (width - len(ids[i])) for i in batch])
            mask = torch.tensor([[1] * len(ids[i]) + [0] * (width - len(ids[i])) for i in batch])
            with torch.inference_mode():
                generated = loaded.model.generate(
                    input_ids=input_ids.to(self.device),
                    attention_mask=mask.to(self.device),
                    num_beams=decoding.beam_size,
                    num_return_sequences=n,  # the n best beams, best first, per input
                    do_sample=False,
                    # max_length (not max_new_tokens, which warns beside the model's own
                    # max_length) counts the decoder start token.
                    max_length=decoding.max_new_tokens + 1,
                    repetition_penalty=decoding.repetition_penalty,
                    no_repeat_ngram_size=decoding.no_repeat_ngram_size,
                )
            rows = generated.tolist()
            for k, i in enumerate(batch):
                out[i] = rows[k * n : (k + 1) * n]
        flat = loaded.codec.decode([row for rows_of_one in out for row in rows_of_one])
        return [flat[k * n : (k + 1) * n] for k in range(len(out))]
