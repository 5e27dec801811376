"""`briefs brief` over many articles: the real pipeline at --jobs 1, 2 and on Ray actors, and
the runner's own cost per article as the folder grows.

Run: python bench/brief_folder.py [--engine apertium|ctranslate2] [--copies 8] [--ray-actors 2]
     python bench/brief_folder.py --scaling 1000,10000,100000 [--jobs 2]

The first form briefs ``--copies`` copies of the seed folder, one run per row, each with
fresh engines and the translation cache off, so no row (and no copy of an article) profits
from another's translations; each copy gets its own first sentence, so every input is
distinct. ``--engine ctranslate2`` uses tiny random Opus-MT models (tests/marian_factory.py)
converted by the model store, decoding at most 32 tokens a sentence.

``--scaling`` times a trivial job (upper-case a 300-byte file) at each size, so every
millisecond is the runner's: discovery, hashing the input, planning against the SQLite run
state, the atomic fsynced output and the state row. The figure per article must stay flat as
the folder grows (before the run state moved to SQLite, 3,000 articles took 218 s).
Both print a Markdown table.
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
TEXT = "The volcano erupted on Monday and 2,552 people left their homes near the town. " * 4


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


def make_small_inputs(folder: Path, count: int) -> None:
    """``count`` small article files, 1,000 a subfolder as an archive would hold them."""
    for i in range(count):
        sub = folder / f"{i // 1000:04d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True)
        (sub / f"a{i:07d}.txt").write_text(f"{i} {TEXT}", encoding="utf-8")


def run_once(src: Path, out: Path, jobs: int) -> tuple[float, int, int]:
    """One runner pass; returns seconds, done and skipped counts."""
    from service.jobs.runner import Produced, Task, run_tasks
    from tests.jobs.fake_job import make_tasks  # the runner tests' plumbing job: .txt -> .out

    def work(task: Task[str], text: str) -> Produced:
        return Produced({task.outputs[0]: text.upper().encode()}, {"chars": len(text)})

    start = time.perf_counter()
    tasks, _ = make_tasks(src)
    result = run_tasks(
        tasks, work, out_dir=out, settings_fingerprint="bench", state_name="bench", jobs=jobs
    )
    return time.perf_counter() - start, len(result.done), len(result.skipped)


def runner_scaling(sizes: list[int], jobs: int) -> None:
    """Time a first run and a rerun of the trivial job at each size; one table row each."""
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, ", end="")
    print(f"load average {os.getloadavg()[0]:.1f}; --jobs {jobs}\n")
    print("| articles | first run, s | ms / article | rerun (all skipped), s | ms / article |")
    print("|---|---|---|---|---|")
    for count in sizes:
        with tempfile.TemporaryDirectory(dir=REPO / "bench") as tmp:
            src, out = Path(tmp) / "in", Path(tmp) / "out"
            make_small_inputs(src, count)
            first, done, _ = run_once(src, out, jobs)
            again, _, skipped = run_once(src, out, jobs)
            assert done == count and skipped == count, (done, skipped)
            print(
                f"| {count:,} | {first:.1f} | {1000 * first / count:.2f} "
                f"| {again:.1f} | {1000 * again / count:.2f} |",
                flush=True,
            )


def tiny_models(root: Path) -> Path:
    """Tiny random en-es and es-en models, imported and converted to CTranslate2 in ``root``."""
    from service.models.store import ModelStore
    from tests.marian_factory import build_marian

    store = ModelStore(root / "models")
    for seed, pair in enumerate(("en-es", "es-en")):
        folder = build_marian(root / f"opus-mt-{pair}", *pair.split("-"), seed=seed)
        store.import_folder(folder, pair, report=lambda _: None)
    return store.root


def tiny_serving_env(root: Path, tokens: int = 4) -> dict[str, str]:
    """``BRIEFS_*`` settings that serve tiny random models built in ``root``, as the API cost
    benchmarks do: CTranslate2, cache off, at most ``tokens`` decoded, an ample queue."""
    return {
        "BRIEFS_MODELS_DIR": str(tiny_models(root)),
        "BRIEFS_ENGINE": "ctranslate2",
        "BRIEFS_CACHE_SIZE": "0",
        "BRIEFS_MAX_DECODING_LENGTH": str(tokens),
        "BRIEFS_QUEUE_SIZE": "100000",
        "BRIEFS_LOG_LEVEL": "warning",
    }


def pipeline(engine: str, copies: int, ray_actors: int) -> None:
    """Time the copied seeds at each executor, then a rerun; one table row each."""
    from service.config import Settings
    from service.engines import build_engines
    from service.jobs.brief_job import DEFAULT_FORMATS, BriefJob, brief_folder, brief_recipe
    from service.jobs.executors import Executor

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(cache_size=0)
        if engine == "ctranslate2":
            models = tiny_models(Path(tmp) / "tiny")
            settings = Settings(cache_size=0, models_dir=models, max_decoding_length=32)
        src = Path(tmp) / "in"
        words = make_inputs(src, copies)
        count = len(list(src.iterdir()))
        print(f"{count} articles ({copies} copies of the seeds), {words:,} words; ", end="")
        print(f"engine {engine}; {platform.processor() or platform.machine()}, ", end="")
        print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
        print("| run | seconds | articles/s |\n|---|---|---|")
        rows: list[tuple[str, int, Executor | None]] = [("--jobs 1", 1, None)]
        rows.append(("--jobs 2", 2, None))
        if ray_actors:
            from service.jobs.ray_executor import RayExecutor

            recipe = partial(brief_recipe, settings, engine, DEFAULT_FORMATS, False)
            ray = RayExecutor(recipe, actors=ray_actors, local_cpus=os.cpu_count())
            rows.append((f"--executor ray, {ray_actors} actors", 1, ray))
        for number, (name, jobs, executor) in enumerate(rows):
            job = BriefJob(build_engines(settings, engine=engine), settings)  # type: ignore[arg-type]
            warm = Path(tmp) / f"warm{number}"  # lazy loads (models, detector) happen here
            brief_folder(next(src.iterdir()), warm, job)
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


def main() -> None:
    """Run the pipeline table, or the runner scaling table with ``--scaling``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", default="apertium", choices=["apertium", "ctranslate2"])
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--ray-actors", type=int, default=2, help="0 skips the Ray row")
    parser.add_argument("--scaling", help="comma list of sizes for the runner's own cost")
    parser.add_argument("--jobs", type=int, default=2, help="threads for --scaling")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.scaling:
        runner_scaling([int(size) for size in args.scaling.split(",")], args.jobs)
    else:
        pipeline(args.engine, args.copies, args.ray_actors)


if __name__ == "__main__":
    main()
