"""Peak memory of ``briefs serve`` with both directions loaded: the full-size random Opus-MT
models (en-es and es-en, ``tests/marian_factory.py``), CTranslate2 int8.

Builds (or reuses) both models in ``--model-root``, starts ``python -m service serve`` with the
ctranslate2 engine, and reads the server's resident memory (``VmRSS``) once ready, then its
peak (``VmHWM``) after it has briefed every seed article (English and Spanish: both
directions, the summarizer and the detector) and answered ``--clients`` concurrent
one-sentence translations each way. Target: under 500 MB.

Run: ``python bench/serve_memory.py [--model-root /tmp/briefs-bench]``.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import MODEL_ROOT, REPO, bench_model, machine, start_serve


def status_mib(pid: int, field: str) -> float:
    """A ``/proc/PID/status`` memory field (``VmRSS``, ``VmHWM``) in MiB."""
    match = re.search(rf"{field}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    assert match, field
    return int(match.group(1)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-root", type=Path, default=MODEL_ROOT)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    import httpx

    for pair in ("en-es", "es-en"):
        models = bench_model(args.model_root, pair)
    env = {
        **os.environ,
        "BRIEFS_MODELS_DIR": str(models),
        "BRIEFS_ENGINE": "ctranslate2",
        "BRIEFS_COMPUTE_TYPE": "int8",
        "BRIEFS_CACHE_SIZE": "0",
        "BRIEFS_LOG_LEVEL": "warning",
        "BRIEFS_MAX_DECODING_LENGTH": "33",
        "HF_HUB_OFFLINE": "1",
    }
    load = os.getloadavg()[0]
    process, url = start_serve(
        env, lambda u: httpx.get(f"{u}/readyz", timeout=2).status_code == 200
    )
    try:
        ready = status_mib(process.pid, "VmRSS")
        seeds = sorted((REPO / "seeds").glob("*.txt"))
        with httpx.Client(base_url=url, timeout=600) as http:
            for path in seeds:
                language = "es" if ".es." in path.name else "en"
                body = {"text": path.read_text("utf-8"), "language": language}
                http.post("/v1/briefs", json=body).raise_for_status()
            briefed = status_mib(process.pid, "VmRSS")
            texts = [
                ("The volcano erupted near the town on Monday.", "en", "es"),
                ("El volcán hizo erupción cerca del pueblo el lunes.", "es", "en"),
            ]

            def send(i: int) -> None:
                text, source, target = texts[i % 2]
                body = {"text": f"{text} ({i})", "source": source, "target": target}
                http.post("/v1/translate", json=body).raise_for_status()

            with ThreadPoolExecutor(args.clients) as pool:
                list(pool.map(send, range(4 * args.clients)))
        end = status_mib(process.pid, "VmRSS")
        peak = status_mib(process.pid, "VmHWM")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    size = sum(f.stat().st_size for f in models.glob("translation/*/ct2-int8/*") if f.is_file())
    print(f"Machine: {machine()}; load average {load:.1f}.")
    print(
        f"`briefs serve`, ctranslate2 int8, both directions (full-size random Opus-MT, "
        f"{size / 2**20:.0f} MiB of CTranslate2 files on disk): {ready:.0f} MiB resident once "
        f"ready, {briefed:.0f} MiB after {len(seeds)} briefs, {end:.0f} MiB after "
        f"{4 * args.clients} translations "
        f"from {args.clients} clients; peak (VmHWM) {peak:.0f} MiB."
    )


if __name__ == "__main__":
    main()
