"""What the two MarianMT engines share: model lookup, lazy loading, tokenizer, decoding defaults.

One engine object serves both directions; each direction's model loads on first use, once,
under a lock. Tokenization goes through ``MarianCodec`` (SentencePiece, thread-safe).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from service.config import Settings
from service.errors import BriefsError, ModelBroken, ModelNotAvailable, UnsupportedPair
from service.languages import Lang, pair_name
from service.models.marian import PAIRS, read_generation_config, read_marian_config
from service.models.store import InstalledModel, ModelStore, install_hint
from service.translate.base import DecodeOptions, EngineInfo
from service.translate.marian_codec import MarianCodec

Locate = Callable[[str], InstalledModel | None]
ModelT = TypeVar("ModelT")


@dataclass(frozen=True)
class Decoding:
    """Resolved decoding parameters for one call."""

    beam_size: int
    max_new_tokens: int  # generated tokens, the closing </s> included
    repetition_penalty: float
    no_repeat_ngram_size: int


@dataclass(frozen=True)
class ModelDefaults:
    """What the model's config.json and generation_config.json say about decoding."""

    num_beams: int
    max_new_tokens: int
    repetition_penalty: float
    no_repeat_ngram_size: int
    forced_eos: bool  # transformers makes the last allowed token </s>
    max_input_tokens: int

    @classmethod
    def read(cls, model: InstalledModel) -> ModelDefaults:
        """Read the defaults from the model's Hugging Face files."""
        config = read_marian_config(model.hf_dir)
        generation = {**config, **read_generation_config(model.hf_dir)}
        # max_length counts the decoder start token, which is not generated.
        max_length = int(generation.get("max_length") or 512)
        return cls(
            num_beams=int(generation.get("num_beams") or 1),
            max_new_tokens=max(1, max_length - 1),
            repetition_penalty=float(generation.get("repetition_penalty") or 1.0),
            no_repeat_ngram_size=int(generation.get("no_repeat_ngram_size") or 0),
            forced_eos=generation.get("forced_eos_token_id") is not None,
            max_input_tokens=int(config.get("max_position_embeddings") or 512),
        )

    def decoding(self, settings: Settings, options: DecodeOptions | None) -> Decoding:
        """Per-call options win over settings, which win over the model's defaults."""
        options = options or DecodeOptions()
        max_new_tokens = options.max_length or settings.max_decoding_length or self.max_new_tokens
        return Decoding(
            beam_size=options.beam_size or settings.beam_size or self.num_beams,
            max_new_tokens=max_new_tokens,
            repetition_penalty=options.repetition_penalty or self.repetition_penalty,
            no_repeat_ngram_size=(
                options.no_repeat_ngram_size
                if options.no_repeat_ngram_size is not None
                else self.no_repeat_ngram_size
            ),
        )


@dataclass
class Loaded(Generic[ModelT]):
    """One direction's loaded model and its tokenization."""

    model: ModelT
    codec: MarianCodec
    defaults: ModelDefaults
    installed: InstalledModel


class MarianEngine(ABC, Generic[ModelT]):
    """Base of the CTranslate2 and transformers engines (``Translator`` protocol)."""

    name: str
    format_label: str  # what ``info()`` says after the model's name

    def __init__(self, settings: Settings, locate: Locate | None = None) -> None:
        self.settings = settings
        self._locate = locate or ModelStore.from_settings(settings).find_translation
        self._found: dict[str, tuple[InstalledModel, ModelDefaults]] = {}
        self._loaded: dict[str, Loaded[ModelT]] = {}
        self._load_lock = threading.Lock()

    # --- Translator protocol ----------------------------------------------------------
    def info(self, source: Lang, target: Lang) -> EngineInfo:
        """Engine and model for this direction; raises UnsupportedPair / ModelNotAvailable."""
        model, _ = self._find(source, target)
        return EngineInfo(engine=self.name, model=model.label(self.format_label))

    def max_input_tokens(self, source: Lang, target: Lang) -> int | None:
        """The model's input limit (config.json ``max_position_embeddings``)."""
        return self._find(source, target)[1].max_input_tokens

    def count_tokens(self, texts: list[str], source: Lang, target: Lang) -> list[int]:
        """Tokens of each text as the model sees it, ``</s>`` included."""
        return self._load(source, target).codec.count(texts)

    def translate(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
    ) -> list[str]:
        """Translate each sentence; blank inputs give blank outputs."""
        loaded = self._load(source, target)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        out = [""] * len(texts)
        if todo:
            decoding = loaded.defaults.decoding(self.settings, options)
            done = self._hypotheses(loaded, [texts[i] for i in todo], decoding, 1)
            for i, found in zip(todo, done, strict=True):
                out[i] = found[0]
        return out

    def n_best(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        n: int,
        options: DecodeOptions | None = None,
    ) -> list[list[str]]:
        """Up to ``n`` distinct translations of each sentence, best first: beam search with
        at least ``n`` beams, its ``n`` best hypotheses (blank inputs have none)."""
        loaded = self._load(source, target)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        out: list[list[str]] = [[] for _ in texts]
        if todo and n >= 1:
            decoding = loaded.defaults.decoding(self.settings, options)
            decoding = replace(decoding, beam_size=max(decoding.beam_size, n))
            done = self._hypotheses(loaded, [texts[i] for i in todo], decoding, n)
            for i, found in zip(todo, done, strict=True):
                # Different token sequences can decode to the same text.
                out[i] = list(dict.fromkeys(text for text in found if text.strip()))
        return out

    # --- for the engines --------------------------------------------------------------
    @abstractmethod
    def _load_model(self, model: InstalledModel) -> ModelT:
        """Load this engine's model for one installed direction."""

    @abstractmethod
    def _hypotheses(
        self, loaded: Loaded[ModelT], texts: list[str], decoding: Decoding, n: int
    ) -> list[list[str]]:
        """The ``n`` best translations of each non-blank sentence with a loaded model
        (``decoding.beam_size >= n``), best first."""

    def _usable(self, model: InstalledModel) -> bool:
        """Whether the installed model has this engine's format (every one has ``hf``)."""
        return True

    # --- lookup and lazy loading ------------------------------------------------------
    def _find(self, source: Lang, target: Lang) -> tuple[InstalledModel, ModelDefaults]:
        pair = pair_name(source, target)
        found = self._found.get(pair)
        if found is None:
            if pair not in PAIRS:
                raise UnsupportedPair(f"{pair} is not a supported direction (en-es, es-en)")
            model = self._locate(pair)
            if model is None or not self._usable(model):
                what = "model" if model is None else f"{self.name} model"
                raise ModelNotAvailable(
                    f"no {pair} {what} is installed in {self.settings.models_dir}",
                    hint=install_hint(pair),
                )
            found = self._found.setdefault(pair, (model, ModelDefaults.read(model)))
        return found

    def _load(self, source: Lang, target: Lang) -> Loaded[ModelT]:
        pair = pair_name(source, target)
        loaded = self._loaded.get(pair)
        if loaded is not None:
            return loaded
        with self._load_lock:
            loaded = self._loaded.get(pair)
            if loaded is None:
                model, defaults = self._find(source, target)
                loaded = self._load_installed(pair, model, defaults)
                self._loaded[pair] = loaded
        return loaded

    def _load_installed(
        self, pair: str, model: InstalledModel, defaults: ModelDefaults
    ) -> Loaded[ModelT]:
        """Tokenizer and weights of one installed model; a broken folder is ``ModelBroken``."""
        try:
            codec = MarianCodec(model.hf_dir, defaults.max_input_tokens)
            return Loaded(self._load_model(model), codec, defaults, model)
        except BriefsError:
            raise
        except Exception as exc:
            # Missing or corrupt files surface as RuntimeError, OSError, KeyError, ValueError...
            raise ModelBroken(
                f"cannot load the {pair} {self.name} model from {model.path}: {exc}",
                hint="reinstall it with `briefs models pull` or `briefs models import`",
            ) from exc


def quiet_transformers() -> None:
    """Turn off the progress bar transformers draws on every model load (service logs)."""
    import transformers

    transformers.logging.disable_progress_bar()
