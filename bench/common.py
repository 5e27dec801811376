"""Helpers the translation benchmarks share: the benchmark model, sentences, the machine.

Scripts import this as ``common`` (``bench/`` is on ``sys.path`` when one runs) and must put
the repository root on ``sys.path`` before calling ``bench_model``.
"""

from __future__ import annotations

import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "guatemala-us-migration-security.en.txt"
MODEL_ROOT = Path("/tmp/briefs-bench")


def bench_model(root: Path, pair: str = "en-es") -> Path:
    """The full-size random model of ``pair``, installed and converted in ``root/models``.

    Rebuilt when the cached folder's generation_config.json is not what the factory writes
    now (an older cache lacks ``no_repeat_ngram_size``), re-imported when the installed copy
    differs from the built one.
    """
    from service.models.store import ModelStore
    from tests.marian_factory import FULL_VOCAB_SIZE, build_marian, generation_config

    wanted = generation_config(FULL_VOCAB_SIZE, fixed_length=True)
    source, target = pair.split("-")
    hf = root / f"opus-mt-{pair}-random"
    if not (hf / "model.safetensors").is_file() or _read_json(hf) != wanted:
        print(f"building the full-size random model in {hf}", file=sys.stderr)
        build_marian(hf, source, target, full_size=True, weights="safetensors", fixed_length=True)
    store = ModelStore(root / "models")
    installed = store.find_translation(pair)
    if installed is None or installed.ct2_dir is None or _read_json(installed.hf_dir) != wanted:
        store.import_folder(hf, pair, report=lambda m: print(m, file=sys.stderr))
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


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_serve(
    env: dict[str, str], ready: Callable[[str], bool], repo: Path = REPO
) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m service serve`` on a free port with ``env`` (the whole environment), from
    the checkout ``repo``; waits up to 120 s until ``ready(url)``, and returns the process and
    its URL."""
    import httpx

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=repo,
        env={**env, "PYTHONPATH": str(repo)} if repo != REPO else env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            if ready(url):
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not get ready in 120 s")


def median_s(work: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``work`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def use_cublas12(folder: Path, root: Path) -> None:
    """Re-run this script with ``folder`` first on LD_LIBRARY_PATH (read only at start-up).

    A folder with CUDA 13's ``libcublas.so.13`` only gets a folder of ``.so.12`` links to it.
    """
    if not (folder / "libcublas.so.12").exists() and (folder / "libcublas.so.13").exists():
        links = root / "cublas12"
        links.mkdir(parents=True, exist_ok=True)
        for name in ("libcublas", "libcublasLt"):
            link = links / f"{name}.so.12"
            if not link.is_symlink():
                link.symlink_to(folder / f"{name}.so.13")
        folder = links
    path = os.environ.get("LD_LIBRARY_PATH", "")
    if path.split(":")[0] == str(folder):
        return
    env = {**os.environ, "LD_LIBRARY_PATH": f"{folder}:{path}".rstrip(":")}
    os.execve(sys.executable, [sys.executable, *sys.argv], env)
