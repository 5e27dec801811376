"""MarianMT through CTranslate2: the fast engine (int8 on CPU, int8_float16 on CUDA).

Each direction's model has CTranslate2's own workers (``inter_threads``), so with both
directions busy twice as many batches would run as the engine has workers: on a 2-core CPU
four decoders shared two cores, and each held the vocabulary's scores for its hypotheses
(peak memory +240 MiB over two at a time, for no more throughput). This engine cuts a call
into engine batches itself, shortest sentences first, and runs at most ``inter_threads`` of
them at once across every direction (``_decoders``): one at once in the calling thread, more
through a pool of ``inter_threads`` threads. ``start`` hands a batch to CTranslate2's workers
without waiting (``asynchronous=True``), holding a decoder for each engine batch in it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from service.config import Settings
from service.errors import EngineUnavailable
from service.languages import Lang, pair_name
from service.models.store import InstalledModel
from service.translate.base import DecodeOptions
from service.translate.marian_codec import MarianCodec
from service.translate.marian_engine import Decoding, Loaded, Locate, MarianEngine

if TYPE_CHECKING:
    import ctranslate2

AUTO_COMPUTE_TYPE = {"cpu": "int8", "cuda": "int8_float16"}


class _Decoders:
    """Engine batches decoding at once, across every direction: at most ``limit``. A thread
    waiting for one is served before any start that does not wait."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.free = limit
        self.waiting = 0  # threads in ``acquire``
        self._cond = threading.Condition()

    def acquire(self) -> None:
        """Take one, waiting while none is free."""
        with self._cond:
            self.waiting += 1
            try:
                while not self.free:
                    self._cond.wait()
                self.free -= 1
            finally:
                self.waiting -= 1

    def available(self) -> int:
        """How many a start may take now without jumping a waiting thread."""
        with self._cond:
            return 0 if self.waiting else self.free

    def try_acquire(self, count: int) -> bool:
        """Take ``count`` at once if that many are available, without waiting."""
        with self._cond:
            if self.waiting or self.free < count:
                return False
            self.free -= count
            return True

    def release(self, count: int = 1) -> None:
        with self._cond:
            self.free += count
            self._cond.notify(count)


class _Started:
    """A batch decoding on CTranslate2's workers (``CTranslate2Translator.start``)."""

    def __init__(
        self,
        results: list[Any],
        codec: MarianCodec,
        todo: list[int],
        count: int,
        release: Callable[[], None],
    ) -> None:
        self._results = results
        self._codec = codec
        self._todo = todo  # the non-blank inputs' indices
        self._count = count
        self._release: Callable[[], None] | None = release

    def done(self) -> bool:
        """Whether CTranslate2 has finished every sentence (its decoders are then free)."""
        if self._release is not None and all(result.done() for result in self._results):
            self._release()
            self._release = None
        return self._release is None

    def result(self) -> list[str]:
        """The translations, blank inputs blank; raises what CTranslate2 raised."""
        found = [result.result().hypotheses[0] for result in self._results]
        out = [""] * self._count
        for i, text in zip(self._todo, self._codec.decode_pieces(found), strict=True):
            out[i] = text
        return out


class CTranslate2Translator(MarianEngine["ctranslate2.Translator"]):
    """Sentence translator on converted Opus-MT models (``ct2-int8`` in the model store)."""

    name = "ctranslate2"

    def __init__(self, settings: Settings, locate: Locate | None = None) -> None:
        super().__init__(settings, locate)
        self.device = settings.device
        self.compute_type = (
            AUTO_COMPUTE_TYPE[self.device]
            if settings.compute_type == "auto"
            else settings.compute_type
        )
        self.format_label = f"ctranslate2 {self.compute_type}"
        inter, _ = settings.engine_threads()
        self._decoders = _Decoders(inter)  # engine batches decoding now, any direction
        self._pool = ThreadPoolExecutor(inter, thread_name_prefix="briefs-ct2")

    def _usable(self, model: InstalledModel) -> bool:
        return model.ct2_dir is not None

    def _load_model(self, model: InstalledModel) -> ctranslate2.Translator:
        import ctranslate2

        if self.device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
            raise EngineUnavailable(
                "CTranslate2 sees no CUDA device", hint="set BRIEFS_DEVICE=cpu or check the driver"
            )
        supported = ctranslate2.get_supported_compute_types(self.device)
        if self.compute_type not in supported:
            raise EngineUnavailable(
                f"CTranslate2 cannot compute in {self.compute_type} on {self.device}",
                hint=f"set BRIEFS_COMPUTE_TYPE to one of: auto, {', '.join(sorted(supported))}",
            )
        inter, intra = self.settings.engine_threads()
        return ctranslate2.Translator(
            str(model.ct2_dir),
            device=self.device,
            compute_type=self.compute_type,
            inter_threads=inter,
            intra_threads=intra,
        )

    def _hypotheses(
        self, loaded: Loaded[ctranslate2.Translator], texts: list[str], decoding: Decoding, n: int
    ) -> list[list[str]]:
        tokens = loaded.codec.encode_pieces(texts)
        size = self.settings.engine_batch(decoding.beam_size)
        options = _batch_options(loaded, decoding, n, size)

        def run(batch: list[int]) -> list[Any]:
            self._decoders.acquire()
            try:
                found: list[Any] = loaded.model.translate_batch(
                    [tokens[i] for i in batch], **options
                )
            finally:
                self._decoders.release()
            return found

        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]))  # less padding
        batches = [order[start : start + size] for start in range(0, len(order), size)]
        done = [run(batches[0])] if len(batches) == 1 else list(self._pool.map(run, batches))
        results: list[Any] = [None] * len(tokens)
        for batch, batch_results in zip(batches, done, strict=True):
            for i, result in zip(batch, batch_results, strict=True):
                results[i] = result
        flat = loaded.codec.decode_pieces([h for r in results for h in r.hypotheses[:n]])
        counts = [len(r.hypotheses[:n]) for r in results]
        out: list[list[str]] = []
        for count in counts:
            out.append(flat[:count])
            flat = flat[count:]
        return out

    # --- starting without waiting (service.translate.base.StartingTranslator) ----------
    def start_size(self, source: Lang, target: Lang, options: DecodeOptions | None) -> int | None:
        """Sentences one ``start`` may take now: an engine batch per free decoder; None until
        the direction's model is loaded (loading must not happen on the caller's loop)."""
        loaded = self._loaded.get(pair_name(source, target))
        if loaded is None:
            return None
        decoding = loaded.defaults.decoding(self.settings, options)
        return self._decoders.available() * self.settings.engine_batch(decoding.beam_size)

    def start(
        self,
        texts: list[str],
        source: Lang,
        target: Lang,
        options: DecodeOptions | None = None,
    ) -> _Started | None:
        """Hand ``texts`` to CTranslate2's workers and return at once, holding a decoder for
        each engine batch in them until they are done; None when those decoders are not
        free or the model is not loaded. CTranslate2 sorts them by length and cuts them into
        engine batches itself, as ``_hypotheses`` does."""
        loaded = self._loaded.get(pair_name(source, target))
        if loaded is None:
            return None
        decoding = loaded.defaults.decoding(self.settings, options)
        size = self.settings.engine_batch(decoding.beam_size)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        held = min(self._decoders.limit, -(-len(todo) // size))
        if held and not self._decoders.try_acquire(held):
            return None
        try:
            tokens = loaded.codec.encode_pieces([texts[i] for i in todo])
            batch_options = _batch_options(loaded, decoding, 1, size)
            results = (
                loaded.model.translate_batch(tokens, asynchronous=True, **batch_options)
                if tokens
                else []
            )
        except BaseException:
            self._decoders.release(held)
            raise
        return _Started(
            results, loaded.codec, todo, len(texts), lambda: self._decoders.release(held)
        )

    def close(self) -> None:
        """Stop the batch threads (models stay loaded until the engine is dropped)."""
        self._pool.shutdown(wait=True)


def _batch_options(
    loaded: Loaded[ctranslate2.Translator], decoding: Decoding, n: int, size: int
) -> dict[str, Any]:
    """``translate_batch``'s options for ``n`` hypotheses in engine batches of ``size``."""
    # The converted model has add_source_eos=false: the </s> the codec added stays.
    # transformers forces </s> as the last allowed token; leaving that step out here
    # gives both engines the same output when a sentence hits the length limit.
    max_steps = decoding.max_new_tokens - (1 if loaded.defaults.forced_eos else 0)
    return {
        "max_batch_size": size,
        "beam_size": decoding.beam_size,
        "num_hypotheses": n,
        "max_decoding_length": max(1, max_steps),
        "repetition_penalty": decoding.repetition_penalty,
        "no_repeat_ngram_size": decoding.no_repeat_ngram_size,
    }
