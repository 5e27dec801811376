"""Abstractive summaries with a seq2seq model (T5, mT5, mT0, BART) and prompt templates.

The model sees the article's body sentences (headings, bylines and credits removed) inside
the template ``prompts/summary.<length>.<language>.txt``. Text longer than the model's input
limit is never cut: it is summarized in parts that fit, and the parts' summaries are
summarized again until one prompt holds them all (map-reduce), with a warning that says so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from service.errors import EmptyInput, EngineUnavailable, InputTooLarge, ModelBroken
from service.extras import require_transformers
from service.languages import LANGUAGES, Lang
from service.models.store import InstalledModel
from service.summarize.base import LENGTHS, Length, Summary
from service.summarize.budget import Budget, Budgets, shorten
from service.summarize.structure import candidate_sentences
from service.text.prompts import PromptTemplate, TemplateError, load_prompt
from service.text.sentences import split_sentences

DEFAULT_INPUT_TOKENS = 512
# Sentencepiece models spend about two tokens per word on news text, more on Spanish.
TOKENS_PER_WORD = 2.0
MAX_MERGE_ROUNDS = 6
GENERATE_BATCH = 8
_UNBOUNDED = 100_000  # tokenizers without a limit report a huge model_max_length


class AbstractiveSummarizer:
    """Summaries written by a seq2seq model. Loads the model on first use; thread-safe."""

    name = "abstractive"

    def __init__(
        self,
        model: InstalledModel,
        budgets: Budgets,
        prompts_dir: Path,
        device: str = "cpu",
        beam_size: int | None = None,
    ) -> None:
        self.model = model
        self._budgets = budgets
        self._device = device
        self._beam_size = beam_size
        self._templates = {
            (length, language): _checked_template(f"summary.{length}.{language}", prompts_dir)
            for length in LENGTHS
            for language in LANGUAGES
        }
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any] | None = None

    def summarize(self, text: str, language: Lang, length: Length) -> Summary:
        """Generate a ``length`` summary of ``text``, in parts when it exceeds the input limit."""
        sentences = [c.text for c in candidate_sentences(text, language)[0]]
        if not sentences:
            raise EmptyInput("nothing to summarize: the text has no sentences, only headings")
        budget = self._budgets.of(length)
        final_template = self._templates[(length, language)]
        partial_template = self._templates[("long", language)]
        warnings: list[str] = []
        for _ in range(MAX_MERGE_ROUNDS):
            prompts = self._chunks(sentences, final_template, budget)
            if len(prompts) == 1:
                output = self._generate(prompts, budget)[0]
                return self._summary(output, language, length, budget, warnings)
            parts = self._chunks(sentences, partial_template, self._budgets.long)
            if not warnings:
                warnings.append(
                    f"the text is longer than the model's {self.max_input_tokens()}-token "
                    f"input: it was summarized in {len(parts)} parts, then those summaries "
                    "were summarized together"
                )
            # Each part's summary gets a quarter of the room a prompt has for text, so the
            # summaries of four parts fit in one prompt: the text shrinks every round.
            room = self._room(partial_template, self._budgets.long)
            outputs = self._generate(parts, self._budgets.long, max_new=max(8, room // 4))
            merged = [s.strip() for out in outputs for s in split_sentences(out, language)]
            merged = [s for s in merged if s]
            if not merged or sum(self._count(merged)) >= sum(self._count(sentences)):
                raise ModelBroken(
                    f"the summarizer {self.model.name} does not shorten the text it is given"
                )
            sentences = merged
        raise InputTooLarge(
            f"the text is too long for the summarizer {self.model.name}: it still does not "
            f"fit after {MAX_MERGE_ROUNDS} rounds of summarizing its parts",
            hint="use --method extractive for very long texts",
        )

    # --- model --------------------------------------------------------------------------

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._loaded is None:
                require_transformers("abstractive summaries")
                import torch
                from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

                if self._device == "cuda" and not torch.cuda.is_available():
                    raise EngineUnavailable("BRIEFS_DEVICE=cuda but no CUDA device is available")
                try:
                    tokenizer = AutoTokenizer.from_pretrained(self.model.hf_dir)
                    model = AutoModelForSeq2SeqLM.from_pretrained(self.model.hf_dir)
                except Exception as exc:  # a broken folder fails in many ways (safetensors too)
                    raise ModelBroken(
                        f"cannot load the summarizer {self.model.name} from {self.model.path}: "
                        f"{exc}",
                        hint=f"reinstall it with `briefs models import PATH --summarizer "
                        f"{self.model.name}`",
                    ) from None
                model.to(self._device).eval()
                self._loaded = (tokenizer, model)
            return self._loaded

    def max_input_tokens(self) -> int:
        """The longest prompt, in tokens, the model is given in one piece."""
        tokenizer, model = self._load()
        limits = [int(tokenizer.model_max_length)]
        for field in ("max_position_embeddings", "n_positions"):
            limits.append(int(getattr(model.config, field, None) or _UNBOUNDED))
        limit = min(limits)
        return limit if limit < _UNBOUNDED else DEFAULT_INPUT_TOKENS

    def _count(self, texts: list[str]) -> list[int]:
        tokenizer, _ = self._load()
        with self._lock:  # fast tokenizers are not safe to share between threads
            encoded = tokenizer(texts, add_special_tokens=True)["input_ids"]
        return [len(ids) for ids in encoded]

    def _generate(
        self, prompts: list[str], budget: Budget, max_new: int | None = None
    ) -> list[str]:
        import torch

        tokenizer, model = self._load()
        max_new = min(max_new or _UNBOUNDED, int(budget.max_words * TOKENS_PER_WORD))
        outputs: list[str] = []
        for start in range(0, len(prompts), GENERATE_BATCH):
            batch = prompts[start : start + GENERATE_BATCH]
            with self._lock:
                inputs = tokenizer(batch, return_tensors="pt", padding=True).to(self._device)
                with torch.inference_mode():
                    generated = model.generate(
                        **inputs,
                        max_new_tokens=max_new,
                        num_beams=self._beam_size or 1,
                        do_sample=False,
                        no_repeat_ngram_size=3,
                    )
                outputs += tokenizer.batch_decode(generated, skip_special_tokens=True)
        return outputs

    # --- prompts and chunks --------------------------------------------------------------

    def _chunks(self, sentences: list[str], template: PromptTemplate, budget: Budget) -> list[str]:
        """Prompts holding all ``sentences`` in order, each within the model's input limit."""
        limit = self.max_input_tokens()
        room = self._room(template, budget)

        def render(body: str) -> str:
            return _render(template, body, budget)

        pieces = self._fit_pieces(sentences, room)
        groups: list[list[str]] = [[]]
        sizes = self._count(pieces)
        used = 0
        for piece, size in zip(pieces, sizes, strict=True):
            if groups[-1] and used + size > room:
                groups.append([])
                used = 0
            groups[-1].append(piece)
            used += size
        prompts: list[str] = []
        for group in groups:
            prompts += self._split_until_fits(group, render, limit)
        return prompts

    def _room(self, template: PromptTemplate, budget: Budget) -> int:
        """Tokens left for the text in a prompt built from ``template``."""
        limit = self.max_input_tokens()
        room = limit - self._count([_render(template, "", budget)])[0]
        if room < 16:
            raise ModelBroken(
                f"the template {template.name} leaves no room for text in the model's "
                f"{limit}-token input"
            )
        return room

    def _fit_pieces(self, sentences: list[str], room: int) -> list[str]:
        """Sentences, with any sentence longer than ``room`` tokens cut into word runs."""
        pieces: list[str] = []
        for sentence, size in zip(sentences, self._count(sentences), strict=True):
            if size <= room:
                pieces.append(sentence)
                continue
            words = sentence.split()
            run: list[str] = []
            used = 0
            # Word counts add up to about the run's count; _split_until_fits checks the sum.
            for word, word_size in zip(words, self._count(words), strict=True):
                if word_size > room:
                    raise InputTooLarge(f"a single word of {word_size} tokens is too long")
                if run and used + word_size > room:
                    pieces.append(" ".join(run))
                    run, used = [], 0
                run.append(word)
                used += word_size
            if run:
                pieces.append(" ".join(run))
        return pieces

    def _split_until_fits(
        self, group: list[str], render: Callable[[str], str], limit: int
    ) -> list[str]:
        prompt = render(" ".join(group))
        if self._count([prompt])[0] <= limit or len(group) == 1:
            return [prompt]
        middle = len(group) // 2
        return self._split_until_fits(group[:middle], render, limit) + self._split_until_fits(
            group[middle:], render, limit
        )

    def _summary(
        self, output: str, language: Lang, length: Length, budget: Budget, warnings: list[str]
    ) -> Summary:
        generated = [s.strip() for s in split_sentences(output.strip(), language) if s.strip()]
        chosen: list[str] = []
        for sentence in generated:
            if not budget.fits([*chosen, sentence]):
                break
            chosen.append(sentence)
        if generated and not chosen:
            chosen = [shorten(generated[0], budget.max_words)]
            warnings.append(f"the model's first sentence was cut to {budget.max_words} words")
        elif len(chosen) < len(generated):
            warnings.append("sentences past the budget were left out of the model's output")
        if not chosen:
            warnings.append("the model produced no text")
        return Summary(
            text=" ".join(chosen),
            sentences=chosen,
            language=language,
            length=length,
            method="abstractive",
            model=self.model.name,
            warnings=warnings,
        )


def _render(template: PromptTemplate, text: str, budget: Budget) -> str:
    return template.render(
        text=text, max_words=budget.max_words, max_sentences=budget.max_sentences
    )


def _checked_template(name: str, prompts_dir: Path) -> PromptTemplate:
    """Load a summary template and fail now, not mid-request, if it cannot be filled."""
    template = load_prompt(name, prompts_dir)
    if "text" not in template.variables:
        raise TemplateError(f"template {name} ({template.path}) never uses $text")
    template.render(text="", max_words=0, max_sentences=0)
    return template
