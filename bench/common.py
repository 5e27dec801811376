"""Helpers the translation benchmarks share: the benchmark model, sentences, the machine.

Scripts import this as ``common`` (``bench/`` is on ``sys.path`` when one runs) and must put
the repository root on ``sys.path`` before calling ``bench_model``.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "guatemala-us-migration-security.en.txt"
MODEL_ROOT = Path("/tmp/briefs-bench")


def bench_model(root: Path) -> Path:
    """The full-size random en-es model, installed and converted in ``root/models``.

    Rebuilt when the cached folder's generation_config.json is not what the factory writes
    now (an older cache lacks ``no_repeat_ngram_size``), re-imported when the installed copy
    differs from the built one.
    """
    from service.models.store import ModelStore
    from tests.marian_factory import FULL_VOCAB_SIZE, build_marian, generation_config

    wanted = generation_config(FULL_VOCAB_SIZE, fixed_length=True)
    hf = root / "opus-mt-en-es-random"
    if not (hf / "model.safetensors").is_file() or _read_json(hf) != wanted:
        print(f"building the full-size random model in {hf}", file=sys.stderr)
        build_marian(hf, full_size=True, weights="safetensors", fixed_length=True)
    store = ModelStore(root / "models")
    installed = store.find_translation("en-es")
    if installed is None or installed.ct2_dir is None or _read_json(installed.hf_dir) != wanted:
        store.import_folder(hf, "en-es", report=lambda m: print(m, file=sys.stderr))
    return store.root


def _read_json(folder: Path) -> Any:
    try:
        return json.loads((folder / "generation_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def no_repeat_ngram_size() -> int:
    """What the benchmark model's generation_config.json sets; every path decodes with it."""
    from tests.marian_factory import FIXED_LENGTH_NO_REPEAT_NGRAM

    return FIXED_LENGTH_NO_REPEAT_NGRAM


def make_sentences(tokenizer: Any, count: int, tokens: int, *, numbered: bool) -> list[str]:
    """``count`` sentences cut from the seed article, each about ``tokens`` tokens long.

    ``numbered`` starts each with ``Item N:`` so all are distinct (a cache could not help).
    """
    words = re.findall(r"[\w'-]+", SEED.read_text(encoding="utf-8"))
    sentences: list[str] = []
    for i in range(count):
        start, picked = (i * 7) % len(words), [f"Item {i}:"] if numbered else []
        first = len(picked)
        while True:
            picked.append(words[(start + len(picked) - first) % len(words)])
            text = " ".join(picked) + "."
            if len(tokenizer(text)["input_ids"]) >= tokens:
                break
        sentences.append(text)
    return sentences


def machine(device: str = "cpu") -> str:
    """A one-line description of where this ran: CPU model, cores, and the GPU on cuda."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    text = f"{cpu}, {os.cpu_count()} cores"
    if device == "cuda":
        import torch

        gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none found"
        text += f", GPU {gpu}"
    return text
