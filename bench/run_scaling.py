"""What the batch runner itself costs per article, at 1k, 10k and 100k inputs.

Run: python bench/run_scaling.py [--sizes 1000,10000,100000] [--jobs 2]
The work is trivial (upper-case a 300-byte file), so every millisecond is the runner's:
discovery, hashing the input, planning against the SQLite run state, the atomic fsynced
output and the state row. The per-article figure must stay flat as the folder grows (before
the run state moved to SQLite it grew with the folder: 3,000 articles took 218 s).
Prints a Markdown table: a first run and a rerun that skips everything, per size.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEXT = "The volcano erupted on Monday and 2,552 people left their homes near the town. " * 4


def make_inputs(folder: Path, count: int) -> None:
    """``count`` small article files, 1,000 a subfolder as an archive would hold them."""
    for i in range(count):
        sub = folder / f"{i // 1000:04d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True)
        (sub / f"a{i:07d}.txt").write_text(f"{i} {TEXT}", encoding="utf-8")


def run_once(src: Path, out: Path, jobs: int) -> tuple[float, int, int]:
    """One runner pass; returns seconds, done and skipped counts."""
    from service.jobs.discover import discover
    from service.jobs.runner import Produced, Task, run_tasks

    def work(task: Task[str], text: str) -> Produced:
        return Produced({task.outputs[0]: text.upper().encode()}, {"chars": len(text)})

    start = time.perf_counter()
    found = discover(src, [".txt"])
    tasks = [
        Task(
            key=f.rel,
            digest=hashlib.sha256(f.path.read_bytes()).hexdigest(),
            outputs=(f.rel.removesuffix(".txt") + ".out",),
            load=f.path.read_text,
        )
        for f in found.files
    ]
    result = run_tasks(
        tasks, work, out_dir=out, settings_fingerprint="bench", state_name="bench", jobs=jobs
    )
    return time.perf_counter() - start, len(result.done), len(result.skipped)


def main() -> None:
    """Time a first run and a rerun at each size and print one table row each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))

    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, ", end="")
    print(f"load average {os.getloadavg()[0]:.1f}; --jobs {args.jobs}\n")
    print("| articles | first run, s | ms / article | rerun (all skipped), s | ms / article |")
    print("|---|---|---|---|---|")
    for count in (int(size) for size in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(dir=REPO / "bench") as tmp:
            src, out = Path(tmp) / "in", Path(tmp) / "out"
            make_inputs(src, count)
            first, done, _ = run_once(src, out, args.jobs)
            again, _, skipped = run_once(src, out, args.jobs)
            assert done == count and skipped == count, (done, skipped)
            print(
                f"| {count:,} | {first:.1f} | {1000 * first / count:.2f} "
                f"| {again:.1f} | {1000 * again / count:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
