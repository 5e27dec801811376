"""`briefs brief` over copies of the seed folder: --jobs 1 vs 2 vs Ray actors, and a rerun.

Run: python bench/brief_folder.py [--engine apertium] [--copies 8] [--ray-actors 2]
One run per row, each with fresh engines and the translation cache off, so no row (and no
copy of an article) profits from another's translations. Each copy of a seed article gets
its own first sentence, so every input is distinct. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def make_inputs(folder: Path, copies: int) -> int:
    """``copies`` of every seed article under ``folder``; returns the number of words."""
    words = 0
    folder.mkdir()
    for seed in sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt"):
        text = seed.read_text(encoding="utf-8")
        for copy in range(copies):
            marked = f"Copy {copy}.\n\n{text}" if copy else text
            (folder / f"{seed.stem}-{copy}.txt").write_text(marked, encoding="utf-8")
            words += len(marked.split())
    return words


def main() -> None:
    """Time the folder at each executor, then a rerun, and print one table row each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", default="apertium")
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--ray-actors", type=int, default=2, help="0 skips the Ray row")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    from service.config import Settings
    from service.engines import build_engines
    from service.jobs.brief_job import DEFAULT_FORMATS, BriefJob, brief_folder, brief_recipe
    from service.jobs.executors import Executor

    settings = Settings(cache_size=0)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        words = make_inputs(src, args.copies)
        count = len(list(src.iterdir()))
        print(f"{count} articles ({args.copies} copies of the seeds), {words:,} words; ", end="")
        print(f"engine {args.engine}; {platform.processor() or platform.machine()}, ", end="")
        print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
        print("| run | seconds | articles/s |\n|---|---|---|")
        rows: list[tuple[str, int, Executor | None]] = [("--jobs 1", 1, None)]
        rows.append(("--jobs 2", 2, None))
        if args.ray_actors:
            from service.jobs.ray_executor import RayExecutor

            recipe = partial(brief_recipe, settings, args.engine, DEFAULT_FORMATS, False)
            ray = RayExecutor(recipe, actors=args.ray_actors, local_cpus=os.cpu_count())
            rows.append((f"--executor ray, {args.ray_actors} actors", 1, ray))
        for number, (name, jobs, executor) in enumerate(rows):
            job = BriefJob(build_engines(settings, engine=args.engine), settings)
            out = Path(tmp) / f"out{number}"
            start = time.perf_counter()
            result = brief_folder(src, out, job, jobs=jobs, executor=executor)
            seconds = time.perf_counter() - start
            assert len(result.done) == count, result.failures
            print(f"| first run, {name} | {seconds:.2f} | {count / seconds:.2f} |", flush=True)
        start = time.perf_counter()
        result = brief_folder(src, out, job, jobs=2)
        seconds = time.perf_counter() - start
        assert len(result.skipped) == count
        print(f"| rerun, nothing changed (all skipped) | {seconds:.3f} | — |")


if __name__ == "__main__":
    main()
