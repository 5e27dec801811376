"""Translation speed: the service's own path against a naive loop and raw CTranslate2.

Builds the real opus-mt-en-es architecture (vocab 65001, d_model 512, 6+6 layers) with random
weights through ``tests/marian_factory.py`` (cached under ``--model-root``), installs it in a
model store (import + CTranslate2 int8 conversion, the service's own path), and times the
same sentences (about 30 source tokens each) through:

- naive: transformers, one sentence at a time (tokenizer + ``generate``, what a pipeline does);
- the service: ``build_translator`` with the ``auto`` engine (ctranslate2 when converted);
- ``DocumentTranslator`` over it (sentence splitting, cache off, length batches, checks);
- raw ``ctranslate2.Translator.translate_batch`` on pre-tokenized input;
- the transformers engine, batched (the fallback when no conversion exists).

Greedy decoding with ``no_repeat_ngram_size=2`` everywhere (the model's generation_config.json
sets it, so the service's degenerate-output check retries nothing); every path runs exactly
``--new-tokens`` decoder steps per sentence (the random model never emits ``</s>``, see
``fixed_length``). CTranslate2 runs with the service's thread layout
(``Settings.engine_threads()``) on both the service and the raw side. Speed does not depend
on weight values. Run: ``python bench/translate_speed.py [--device cuda] [--sentences N]``.

CUDA: the PyPI ctranslate2 wheel opens ``libcublas.so.12``. On a machine with CUDA 13 only,
pass ``--cublas12-dir /usr/local/cuda-13.0/targets/x86_64-linux/lib`` (a folder holding
``libcublas.so.13``): the script makes ``.so.12`` links to those libraries under
``--model-root`` and re-runs itself with them first on LD_LIBRARY_PATH. A folder that already
holds ``libcublas.so.12`` (e.g. the nvidia-cublas-cu12 wheel's) is used as it is.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from common import (
    MODEL_ROOT,
    REPO,
    bench_model,
    machine,
    make_sentences,
    no_repeat_ngram_size,
    use_cublas12,
)


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--sentences", type=int, default=None, help="256 on cpu, 4096 on cuda")
    parser.add_argument("--naive-sentences", type=int, default=None, help="32 cpu, 64 cuda")
    parser.add_argument("--src-tokens", type=int, default=30, help="source tokens, </s> included")
    parser.add_argument("--new-tokens", type=int, default=32, help="decoder steps per sentence")
    parser.add_argument("--batch-size", type=int, default=None, help="32 on cpu, 256 on cuda")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model-root", type=Path, default=MODEL_ROOT)
    parser.add_argument("--skip-transformers", action="store_true", help="no batched HF row")
    parser.add_argument("--cublas12-dir", type=Path, default=None)
    args = parser.parse_args()
    cuda = args.device == "cuda"
    args.sentences = args.sentences or (4096 if cuda else 256)
    args.naive_sentences = args.naive_sentences or (64 if cuda else 32)
    args.batch_size = args.batch_size or (256 if cuda else 32)
    return args


@dataclass
class Workload:
    """One way of translating: what it runs, on which sentences, and its times."""

    key: str
    label: str
    texts: list[str]
    run: Callable[[list[str]], object]
    times: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def rate(self) -> float:
        """Sentences per second (median time)."""
        return len(self.texts) / statistics.median(self.times) if self.times else float("nan")


def time_all(workloads: list[Workload], repeats: int) -> None:
    """Warm each workload up, then time them in rotating order (load drifts hit all alike)."""
    for work in workloads:
        try:
            work.run(work.texts[:4])  # loads lazy models
        except Exception as exc:  # e.g. a missing CUDA library: report it, time the rest
            work.error = f"{type(exc).__name__}: {exc}"
            print(f"{work.label}: FAILED {work.error}", file=sys.stderr)
    live = [work for work in workloads if work.error is None]
    for rep in range(repeats if live else 0):
        shift = rep % len(live)
        for work in live[shift:] + live[:shift]:
            start = time.perf_counter()
            work.run(work.texts)
            work.times.append(time.perf_counter() - start)
            print(f"{work.label}: {len(work.texts) / work.times[-1]:.1f} sent/s", file=sys.stderr)


def main() -> None:
    """Build, warm up, time every path, print a Markdown table."""
    args = parse_args()
    if args.cublas12_dir:
        use_cublas12(args.cublas12_dir.resolve(), args.model_root.resolve())
    sys.path.insert(0, str(REPO))

    import ctranslate2
    import torch
    import transformers
    from transformers import MarianMTModel, MarianTokenizer

    from service.config import Settings
    from service.translate.base import DecodeOptions
    from service.translate.factory import build_translator

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    # The benchmark model is en-es only: the auto engine's es-en fallback notice is noise here.
    logging.getLogger("service.translate.factory").setLevel(logging.ERROR)
    load_start = os.getloadavg()[0]
    models_dir = bench_model(args.model_root)
    hf_dir = models_dir / "translation" / "en-es" / "hf"
    ct2_dir = models_dir / "translation" / "en-es" / "ct2-int8"
    tokenizer = MarianTokenizer.from_pretrained(str(hf_dir))
    sentences = make_sentences(tokenizer, args.sentences, args.src_tokens - 1, numbered=False)
    steps, no_repeat = args.new_tokens, no_repeat_ngram_size()
    # The service's max_length counts the </s> that transformers forces at the last step;
    # CTranslate2 then runs max_length - 1 steps, so this gives `steps` steps everywhere.
    greedy = DecodeOptions(beam_size=1, max_length=steps + 1, no_repeat_ngram_size=no_repeat)
    workloads: list[Workload] = []

    def settings(**extra: Any) -> Settings:
        return Settings(
            models_dir=models_dir,
            device=args.device,
            engine_batch_size=args.batch_size,
            auto_pull=False,
            **extra,
        )

    inter, intra = settings().engine_threads()  # the service's auto layout; raw uses it too
    threads = f", inter_threads={inter} intra_threads={intra}"

    # --- naive transformers loop ------------------------------------------------------
    dtype = torch.float16 if args.device == "cuda" else torch.float32
    loaded: list[Any] = []

    def naive(texts: list[str]) -> None:
        if not loaded:  # on first use, like the engines, so a failure is this row's
            model = MarianMTModel.from_pretrained(str(hf_dir), dtype=dtype)
            loaded.append(model.to(args.device).eval())
        model = loaded[0]
        for text in texts:
            enc = tokenizer([text], return_tensors="pt").to(args.device)
            with torch.inference_mode():
                model.generate(
                    **enc,
                    num_beams=1,
                    do_sample=False,
                    max_length=steps + 1,
                    no_repeat_ngram_size=no_repeat,
                )

    naive_texts = sentences[: args.naive_sentences]
    workloads.append(Workload("naive", "naive transformers loop, batch 1", naive_texts, naive))

    # --- transformers engine, batched -------------------------------------------------
    if not args.skip_transformers:
        engine = build_translator(settings(), "transformers")
        run = partial(engine.translate, source="en", target="es", options=greedy)
        label = f"service transformers engine: {_model_label(engine)}, batched"
        workloads.append(Workload("transformers", label, sentences[: 2 * args.batch_size], run))

    # --- the service ------------------------------------------------------------------
    service = build_translator(settings(), "auto")
    label = f"service `build_translator` auto: {_model_label(service)}{threads}"
    run = partial(service.translate, source="en", target="es", options=greedy)
    workloads.append(Workload("service", label, sentences, run))
    try:
        from service.translate.document import DocumentTranslator
    except ImportError:  # the document layer is optional for this benchmark
        DocumentTranslator = None  # type: ignore[assignment,misc]
    documents = []
    if DocumentTranslator is not None:
        doc_settings = settings(cache_size=0)
        document = DocumentTranslator(build_translator(doc_settings, "auto"), doc_settings)
        documents.append(document)
        label = f"service `DocumentTranslator` over it, cache off{threads}"
        run_doc = partial(document.translate, source="en", target="es", options=greedy)
        workloads.append(Workload("document", label, sentences, run_doc))

    # --- raw CTranslate2 --------------------------------------------------------------
    compute = "int8" if args.device == "cpu" else "int8_float16"
    pieces = {s: tokenizer.convert_ids_to_tokens(tokenizer(s)["input_ids"]) for s in sentences}
    raws: list[Any] = []

    def run_raw(texts: list[str]) -> None:
        if not raws:  # on first use, so a failure is this row's
            raws.append(
                ctranslate2.Translator(
                    str(ct2_dir),
                    device=args.device,
                    compute_type=compute,
                    inter_threads=inter,
                    intra_threads=intra,
                )
            )
        raws[0].translate_batch(
            [pieces[t] for t in texts],
            max_batch_size=args.batch_size,
            beam_size=1,
            min_decoding_length=steps,
            max_decoding_length=steps,
            no_repeat_ngram_size=no_repeat,
        )

    label = f"raw CTranslate2 {compute} `translate_batch`, pre-tokenized{threads}"
    workloads.append(Workload("raw", label, sentences, run_raw))

    # torch and CTranslate2 each bring an OpenMP runtime whose idle threads spin for a while:
    # timed in one rotation, each slows the other down. So: all torch paths, then the rest.
    torch_paths = {"naive", "transformers"}
    time_all([w for w in workloads if w.key in torch_paths], args.repeats)
    time_all([w for w in workloads if w.key not in torch_paths], args.repeats)
    for document in documents:  # the document layer's own checks must not add work
        try:
            result = document.translate(sentences, "en", "es", greedy)
        except Exception as exc:  # already reported in its row
            print(f"DocumentTranslator failed: {exc}", file=sys.stderr)
            continue
        print(f"DocumentTranslator: {result.retried} retried, {result.chunked} chunked")
    versions = (
        f"Python {platform.python_version()}, torch {torch.__version__}, "
        f"transformers {transformers.__version__}, ctranslate2 {ctranslate2.__version__}"
    )
    report(args, workloads, machine(args.device), (load_start, os.getloadavg()[0]), versions)


def _model_label(translator: Any) -> str:
    return str(translator.info("en", "es").model.rsplit("(", 1)[-1].rstrip(")"))


def report(
    args: argparse.Namespace,
    workloads: list[Workload],
    where: str,
    load: tuple[float, float],
    versions: str,
) -> None:
    """Print the Markdown table the docs take, and the ratios the targets are about."""
    by_key = {work.key: work for work in workloads}
    naive = by_key["naive"].rate  # nan when it failed: the ratios then say nan
    print(
        f"\n{where}; device {args.device}; {versions}; load average {load[0]:.1f} at start, "
        f"{load[1]:.1f} at end.\n{args.sentences} sentences of ~{args.src_tokens} source "
        f"tokens, {args.new_tokens} decoder steps each, greedy, batch {args.batch_size}, "
        f"median of {args.repeats}.\n"
    )
    print("| path | sentences | median s | sentences/s | vs naive |")
    print("|---|---|---|---|---|")
    for work in workloads:
        if work.error:
            print(f"| {work.label} | {len(work.texts)} | failed: {work.error[:120]} | | |")
            continue
        seconds = statistics.median(work.times)
        print(
            f"| {work.label} | {len(work.texts)} | {seconds:.2f} | {work.rate:.1f} "
            f"| {work.rate / naive:.1f}x |"
        )
    print()
    raw = by_key.get("raw")
    for path in ("service", "document"):
        mine = by_key.get(path)
        if mine and raw and mine.times and raw.times:
            print(f"{path} / raw: {mine.rate / raw.rate:.2f}")


if __name__ == "__main__":
    main()
