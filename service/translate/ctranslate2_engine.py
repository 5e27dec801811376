"""MarianMT through CTranslate2: the fast engine (int8 on CPU, int8_float16 on CUDA).

Each direction's model has CTranslate2's own workers (``inter_threads``), so with both
directions busy twice as many batches would run as the engine has workers: on a 2-core CPU
four decoders shared two cores, and each held the vocabulary's scores for its hypotheses
(peak memory +240 MiB over two at a time, for no more throughput). This engine cuts a call
into engine batches itself, shortest sentences first, and runs at most ``inter_threads`` of
them at once across every direction (``_slots``): one at once in the calling thread, more
through a pool of ``inter_threads`` threads.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from service.config import Settings
from service.errors import EngineUnavailable
from service.models.store import InstalledModel
from service.translate.marian_engine import Decoding, Loaded, Locate, MarianEngine

if TYPE_CHECKING:
    import ctranslate2

AUTO_COMPUTE_TYPE = {"cpu": "int8", "cuda": "int8_float16"}


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
        self._slots = threading.BoundedSemaphore(inter)  # batches decoding now, any direction
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
        # The converted model has add_source_eos=false: the </s> the codec added stays.
        # transformers forces </s> as the last allowed token; leaving that step out here
        # gives both engines the same output when a sentence hits the length limit.
        max_steps = decoding.max_new_tokens - (1 if loaded.defaults.forced_eos else 0)
        size = self.settings.engine_batch(decoding.beam_size)

        def run(batch: list[int]) -> list[Any]:
            with self._slots:
                found: list[Any] = loaded.model.translate_batch(
                    [tokens[i] for i in batch],
                    max_batch_size=size,
                    beam_size=decoding.beam_size,
                    num_hypotheses=n,
                    max_decoding_length=max(1, max_steps),
                    repetition_penalty=decoding.repetition_penalty,
                    no_repeat_ngram_size=decoding.no_repeat_ngram_size,
                )
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

    def close(self) -> None:
        """Stop the batch threads (models stay loaded until the engine is dropped)."""
        self._pool.shutdown(wait=True)
