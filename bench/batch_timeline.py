"""Where the time of one-sentence requests goes under load, on the tiny models: how full the
engine batches are, how much of the time an engine batch runs, and what the garbage collector
takes, with the collector as the server sets it and with Python's default.

Serves the real app with uvicorn (``briefs serve``'s options) in this process on tiny random
models (CTranslate2, cache off, ``--tokens`` decoded at most), as ``serve_load.py
--overhead`` does, and drives ``POST /v1/translate`` with ``wrk``: ``--clients``
connections, ``--rounds`` turns of ``--seconds`` per collector setting. Each batch the
batcher runs is timed from its start to its answers (a worker's ``_run``; or, for batches the
event loop starts on CTranslate2 itself, ``_start`` to ``_landed``), and ``gc.callbacks``
time every collection: how much of the time the engine works, and whether batches overlap
the event loop's work or take turns with it.

Run: ``python bench/batch_timeline.py [--clients 16] [--rounds 3] [--seconds 4]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import free_port, machine
from serve_load import OVERHEAD_BODY, wrk_round, wrk_script


@dataclass
class Tally:
    """What one round saw: batches as (start, end, requests), and the collector's work."""

    batches: list[tuple[float, float, int]]
    collections: int = 0
    collecting_s: float = 0.0


@dataclass(frozen=True)
class Row:
    """One round's figures."""

    rate: float  # requests per second
    per_batch: float  # requests per engine batch
    batch_ms: float  # median time a batch runs, taking it to answering it
    idle: float  # share of the round with no batch running
    overlap: float  # with two or more at once
    collections_per_k: float
    collector_us: float  # per request

    @classmethod
    def of(cls, rate: float, tally: Tally, start: float, end: float) -> Row:
        batches = tally.batches
        shares = [*running_shares(batches, start, end), 0.0]
        requests = max(1.0, rate * (end - start))
        return cls(
            rate,
            sum(jobs for _, _, jobs in batches) / max(1, len(batches)),
            1000 * statistics.median(e - s for s, e, _ in batches) if batches else 0.0,
            shares[0],
            sum(shares[2:]),
            1000 * tally.collections / requests,
            1e6 * tally.collecting_s / requests,
        )


class Recorder:
    """Times the batcher's batches and the collector's runs while ``tally`` is set."""

    def __init__(self) -> None:
        self.tally: Tally | None = None
        self._lock = threading.Lock()
        self._collecting_since = 0.0

    def install(self) -> None:
        """Time the workers' batches (``_run``) and those the loop starts (``_start`` to
        ``_landed``), and every collection."""
        from service.translate.batching import BatchingTranslator

        run, start, landed = (
            BatchingTranslator._run,
            BatchingTranslator._start,
            BatchingTranslator._landed,
        )
        recorder = self
        began: dict[int, float] = {}

        def timed_run(batcher: BatchingTranslator, key: Any, jobs: list[Any]) -> Any:
            since = time.perf_counter()
            try:
                return run(batcher, key, jobs)
            finally:
                recorder.batch(since, len(jobs))

        def timed_start(batcher: BatchingTranslator, starter: Any, jobs: list[Any]) -> Any:
            started = start(batcher, starter, jobs)
            if started is not None:
                began[id(started)] = time.perf_counter()
            return started

        def timed_landed(batcher: BatchingTranslator, lane: Any, jobs: list[Any], s: Any) -> None:
            landed(batcher, lane, jobs, s)
            since = began.pop(id(s), None)
            if since is not None:
                recorder.batch(since, len(jobs))

        BatchingTranslator._run = timed_run  # type: ignore[method-assign,assignment]
        BatchingTranslator._start = timed_start  # type: ignore[method-assign,assignment]
        BatchingTranslator._landed = timed_landed  # type: ignore[method-assign,assignment]
        gc.callbacks.append(self._on_collection)

    def batch(self, since: float, jobs: int) -> None:
        """A batch of ``jobs`` callers that ran from ``since`` until now."""
        tally = self.tally
        if tally is not None:
            with self._lock:
                tally.batches.append((since, time.perf_counter(), jobs))

    def _on_collection(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._collecting_since = time.perf_counter()
        elif self.tally is not None:
            self.tally.collections += 1
            self.tally.collecting_s += time.perf_counter() - self._collecting_since


def running_shares(
    batches: list[tuple[float, float, int]], start: float, end: float
) -> list[float]:
    """The share of ``start``..``end`` during which 0, 1, 2, ... batches ran."""
    edges = sorted(
        [(max(s, start), 1) for s, e, _ in batches if e > start]
        + [(min(e, end), -1) for s, e, _ in batches if e > start]
    )
    shares: list[float] = []
    level, last = 0, start
    for moment, step in edges:
        while len(shares) <= level:
            shares.append(0.0)
        shares[level] += moment - last
        level, last = level + step, moment
    while len(shares) <= level:
        shares.append(0.0)
    shares[level] += end - last
    return [share / (end - start) for share in shares]


def serve(port: int) -> Any:
    """The app under uvicorn in a thread of this process, once ready."""
    import httpx
    import uvicorn

    from service.api.app import create_app
    from service.cli.serve import uvicorn_options
    from service.config import get_settings

    config = uvicorn.Config(
        create_app(), host="127.0.0.1", port=port, **uvicorn_options(get_settings())
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, name="uvicorn", daemon=True).start()
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not become ready")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--tokens", type=int, default=4)
    args = parser.parse_args()
    from brief_folder import tiny_serving_env

    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(tiny_serving_env(Path(tmp), args.tokens))
        script = Path(tmp) / "post.lua"
        script.write_text(wrk_script([OVERHEAD_BODY]))
        recorder = Recorder()
        recorder.install()
        port = free_port()
        server = serve(port)
        url = f"http://127.0.0.1:{port}"
        serving = gc.get_threshold()  # what the app's start-up set
        settings = {"as served": serving, "Python's default": (700, *serving[1:])}
        wrk_round(url, None, args.clients, 2, script)  # warm-up
        rounds: dict[str, list[Row]] = {name: [] for name in settings}
        for _ in range(args.rounds):
            for name, threshold in settings.items():
                gc.set_threshold(*threshold)
                tally = Tally([])
                recorder.tally = tally
                start = time.perf_counter()
                done = wrk_round(url, None, args.clients, args.seconds, script)
                recorder.tally = None
                rounds[name].append(Row.of(done.rate, tally, start, time.perf_counter()))
                print(f"{name}: {done.rate:,.0f} requests/s", file=sys.stderr)
        gc.set_threshold(*serving)
        server.should_exit = True
    print(
        f"\nMachine: {machine()}; load average {load_start:.1f} -> {os.getloadavg()[0]:.1f}. "
        f"wrk -t1 -c{args.clients}, {args.rounds} rounds of {args.seconds:g} s per setting, "
        f"taking turns; tiny random models, BRIEFS_MAX_DECODING_LENGTH={args.tokens}, cache "
        "off; medians over the rounds.\n"
    )
    print(
        "| young-generation threshold | requests/s | requests per batch | batch ms "
        "| time with no batch running | with two at once | collections per 1,000 requests "
        "| collector µs per request |\n|---|---|---|---|---|---|---|---|"
    )
    for name, rows in rounds.items():

        def median(field: str, rows: list[Row] = rows) -> float:
            return float(statistics.median(getattr(row, field) for row in rows))

        print(
            f"| {name} ({settings[name][0]:,}) | {median('rate'):,.0f} "
            f"| {median('per_batch'):.1f} | {median('batch_ms'):.2f} "
            f"| {100 * median('idle'):.0f}% | {100 * median('overlap'):.0f}% "
            f"| {median('collections_per_k'):.0f} | {median('collector_us'):.1f} |"
        )


if __name__ == "__main__":
    main()
