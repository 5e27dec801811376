"""`briefs brief` over the seed folder: --jobs 1 vs 2, and the cost of a rerun that skips all.

Run: python bench/brief_folder.py [--engine apertium]  (one run per row; prints a Markdown table)
Each row builds fresh engines, so no row profits from another's translation cache.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def main() -> None:
    """Time the seed folder at each --jobs, then a rerun, and print one table row each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", default="apertium")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    from service.config import Settings
    from service.engines import build_engines
    from service.jobs.brief_job import BriefJob, brief_folder

    settings = Settings()
    articles = sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt")
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in articles)
    print(f"{len(articles)} seed articles, {words:,} words; engine {args.engine}; ", end="")
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, ", end="")
    print(f"load average {os.getloadavg()[0]:.1f}\n")
    print("| run | seconds | articles/s |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in (1, 2):
            job = BriefJob(build_engines(settings, engine=args.engine), settings)
            out = Path(tmp) / f"jobs{jobs}"
            start = time.perf_counter()
            result = brief_folder(SEEDS, out, job, jobs=jobs)
            seconds = time.perf_counter() - start
            assert len(result.done) == len(articles), result.failures
            print(f"| first run, --jobs {jobs} | {seconds:.2f} | {len(articles) / seconds:.2f} |")
        start = time.perf_counter()
        result = brief_folder(SEEDS, out, job, jobs=2)
        seconds = time.perf_counter() - start
        assert len(result.skipped) == len(articles)
        print(f"| rerun, nothing changed (all skipped) | {seconds:.3f} | — |")


if __name__ == "__main__":
    main()
