"""A live ``briefs serve`` under sustained load and under overload (slow; not in CI).

Run: python bench/soak.py [--engine apertium|ctranslate2] [--clients 32] [--seconds 300]
     python bench/soak.py --overload [--engine ...] [--clients 64] [--queue-size 8]
     python bench/soak.py --fan-in [--engine ...] [--clients 8] [--sentences 120]
     python bench/soak.py --cold [--engine ...]

The soak sends one-sentence ``POST /v1/translate`` requests (seed sentences, translation
cache off) from ``--clients`` threads, each waiting for its answer before the next, for
``--seconds``; it reports answers by status, p50/p95/p99 latency, and the server's resident
memory after the warm-up (``--warmup-seconds``) and at the end. The target: no 5xx, memory
growth under 10%.

``--overload`` runs the server with ``BRIEFS_QUEUE_SIZE=--queue-size`` and floods it from
more connections than that with ``wrk`` (``apt-get install wrk``: Python clients on a 2-core
machine spend more CPU than the server's refusals, so they would measure themselves), so most
requests are refused: it reports how fast the answers come, nearly all of them 503 (target
p50 <= 50 ms: admission happens before the body is read or a thread is taken), and the
server's own time for its refusals from ``/metrics``.

``--fan-in`` sends ``--sentences`` seed sentences as one-sentence requests from ``--clients``
clients, then the same sentences as one request, and reports both times and their ratio
(the cost of many small requests over one; target <= 3x on Apertium).

``--cold`` times the first ``POST /v1/briefs`` (the seed article) once ``/readyz`` is 200,
then the same request three more times, and reports the first over the median of the later
ones (target <= 1.5x: ready means loaded). The translation cache is off, but a repeat of the
same text still finds the summarizer's split and stems in their memos, so it also reports
the fair comparison: the same article as the first request of a fresh server, against the
same article on a second fresh server that has briefed the other seven seed articles first
(warm, but the text unseen); ``--repeat`` pairs of servers, medians.

``--engine ctranslate2`` uses tiny random Opus-MT models converted by the model store
(``bench/brief_folder.py``'s ``tiny_models``), decoding at most 32 tokens a sentence.
Prints Markdown.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from common import start_serve  # noqa: E402

PROCESSES = 4  # client processes; each runs its share of the clients as threads


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("apertium", "ctranslate2"), default="apertium")
    parser.add_argument("--clients", type=int, default=None, help="default 32 (overload: 64)")
    parser.add_argument("--seconds", type=float, default=None, help="default 300 (overload: 30)")
    parser.add_argument("--warmup-seconds", type=float, default=30.0)
    parser.add_argument("--overload", action="store_true")
    parser.add_argument("--fan-in", action="store_true")
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="--cold: pairs of fresh servers")
    parser.add_argument("--sentences", type=int, default=120, help="with --fan-in")
    parser.add_argument("--queue-size", type=int, default=8, help="BRIEFS_QUEUE_SIZE in overload")
    args = parser.parse_args()
    args.clients = args.clients or (64 if args.overload else 8 if args.fan_in else 32)
    args.seconds = args.seconds or (30.0 if args.overload else 300.0)
    return args


def seed_sentences() -> list[str]:
    """The English seed articles' sentences of 5 to 40 words."""
    from service.text.sentences import split_sentences

    sentences: list[str] = []
    for path in sorted((REPO / "seeds").glob("*.en.txt")):
        for sentence in split_sentences(path.read_text(encoding="utf-8"), "en"):
            if 5 <= len(sentence.split()) <= 40:
                sentences.append(sentence)
    return sentences


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m service serve`` on a free port; waits for /readyz."""
    import httpx

    return start_serve(
        {**os.environ, "BRIEFS_LOG_LEVEL": "warning", "BRIEFS_CACHE_SIZE": "0", **env},
        lambda url: httpx.get(f"{url}/readyz", timeout=2).status_code == 200,
    )


def rss_mib(pid: int) -> float:
    """The process's resident memory in MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    assert match, "no VmRSS"
    return int(match.group(1)) / 1024


@dataclass
class Tally:
    """Answers by status with their latencies; errors that got no answer."""

    latencies: dict[int, list[float]] = field(default_factory=dict)
    failures: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.latencies.setdefault(status, []).append(seconds)

    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) in milliseconds."""
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def load(url: str, sentences: list[str], clients: int, until: float, tally: Tally) -> None:
    """``clients`` clients, each one request at a time, until the monotonic time ``until``:
    threads in ``PROCESSES`` processes, so the clients' own GIL does not queue their requests."""
    processes = min(PROCESSES, clients)
    shares = [clients // processes + (n < clients % processes) for n in range(processes)]
    with ProcessPoolExecutor(processes) as pool:
        runs = [
            pool.submit(_client_threads, url, sentences, first, share, clients, until)
            for first, share in zip(itertools.accumulate([0, *shares]), shares, strict=False)
        ]
        for run in runs:
            latencies, failures = run.result()
            for status, values in latencies.items():
                tally.latencies.setdefault(status, []).extend(values)
            tally.failures.update(failures)


def _client_threads(
    url: str, sentences: list[str], first: int, count: int, clients: int, until: float
) -> tuple[dict[int, list[float]], Counter[str]]:
    """Clients ``first`` to ``first + count - 1``, one thread each (in a worker process)."""
    import httpx

    tally = Tally()

    def client(number: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            i = number
            while time.monotonic() < until:
                text = sentences[i % len(sentences)]
                i += clients
                start = time.perf_counter()
                try:
                    response = http.post(
                        "/v1/translate", json={"text": text, "source": "en", "target": "es"}
                    )
                except httpx.HTTPError as exc:
                    with tally.lock:
                        tally.failures[type(exc).__name__] += 1
                    continue
                tally.add(response.status_code, time.perf_counter() - start)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(first, first + count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally.latencies, tally.failures


def refusal_buckets(url: str) -> str:
    """The server's own latency of its 503s (measured outside the admission control), as the
    share answered within each histogram bucket up to 100 ms."""
    import httpx

    text = httpx.get(f"{url}/metrics", timeout=10).text
    pattern = re.compile(
        r'briefs_http_request_duration_seconds_bucket\{le="([^"]+)",method="POST",'
        r'route="unmatched"\} (\S+)'
    )
    buckets = {float(le): float(n) for le, n in pattern.findall(text)}
    total = buckets.get(float("inf"), 0.0)
    if not total:
        return "none"
    shares = [f"{le * 1000:g} ms: {n / total:.1%}" for le, n in buckets.items() if le <= 0.1]
    return ", ".join(shares)


WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = '{"text": "The volcano erupted on Monday near the town.", '
    .. '"source": "en", "target": "es"}'
wrk.headers["Content-Type"] = "application/json"
"""


def flood(url: str, clients: int, seconds: float, tmp: Path) -> str:
    """wrk's report of a ``clients``-connection flood of one-sentence translations."""
    script = tmp / "post.lua"
    script.write_text(WRK_SCRIPT)
    command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds:.0f}s", "--latency", "-s", str(script)]
    try:
        done = subprocess.run(
            [*command, f"{url}/v1/translate"], capture_output=True, text=True, check=True
        )
    except FileNotFoundError:
        raise SystemExit("--overload needs wrk: apt-get install wrk") from None
    return done.stdout


def fan_in(url: str, sentences: list[str], clients: int) -> tuple[float, float]:
    """Seconds for the sentences as one-sentence requests from ``clients``, then as one."""
    import httpx

    def send(http: httpx.Client, text: str) -> None:
        body = {"text": text, "source": "en", "target": "es"}
        http.post("/v1/translate", json=body, timeout=300).raise_for_status()

    with httpx.Client(base_url=url) as http:
        send(http, " ".join(sentences[:clients]))  # warm-up: pipelines or models load here
        start = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            list(pool.map(lambda text: send(http, text), sentences))
        many = time.perf_counter() - start
        start = time.perf_counter()
        send(http, " ".join(sentences))  # one text (a list is capped by BRIEFS_MAX_ITEMS)
        one = time.perf_counter() - start
    return many, one


def cold_first(url: str) -> tuple[float, float]:
    """Seconds of the first brief after ready, and the median of three later ones."""
    import httpx

    text = (REPO / "seeds" / "guatemala-us-migration-security.en.txt").read_text("utf-8")
    times = []
    with httpx.Client(base_url=url, timeout=300) as http:
        for _ in range(4):
            start = time.perf_counter()
            http.post("/v1/briefs", json={"text": text, "language": "en"}).raise_for_status()
            times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def brief_seconds(http: httpx.Client, path: Path) -> float:
    """Seconds of one ``POST /v1/briefs`` of a seed article."""
    language = "es" if ".es." in path.name else "en"
    body = {"text": path.read_text("utf-8"), "language": language}
    start = time.perf_counter()
    http.post("/v1/briefs", json=body).raise_for_status()
    return time.perf_counter() - start


def cold_unseen(env: dict[str, str], repeat: int) -> tuple[float, float]:
    """Medians over ``repeat`` pairs of fresh servers: the seed article as the first request,
    and the same article after the other seed articles (warm, the text unseen)."""
    import httpx

    article = REPO / "seeds" / "guatemala-us-migration-security.en.txt"
    others = [p for p in sorted((REPO / "seeds").glob("*.txt")) if p != article]
    cold, warm = [], []
    for _ in range(repeat):
        for first in (True, False):
            process, url = start_server(env)
            try:
                with httpx.Client(base_url=url, timeout=300) as http:
                    http.get("/readyz").raise_for_status()  # the connection is open
                    if not first:
                        for other in others:
                            brief_seconds(http, other)
                    (cold if first else warm).append(brief_seconds(http, article))
            finally:
                process.terminate()
                process.wait(30)
    return statistics.median(cold), statistics.median(warm)


def server_env(args: argparse.Namespace, tmp: Path) -> dict[str, str]:
    """The server's settings for the engine (and the overload queue)."""
    env = {"BRIEFS_ENGINE": args.engine}
    if args.engine == "ctranslate2":
        from brief_folder import tiny_models

        env["BRIEFS_MODELS_DIR"] = str(tiny_models(tmp))
        env["BRIEFS_MAX_DECODING_LENGTH"] = "32"
    if args.overload:
        env["BRIEFS_QUEUE_SIZE"] = str(args.queue_size)
    return env


def main() -> None:
    args = parse_args()
    sentences = seed_sentences()
    with tempfile.TemporaryDirectory() as tmp:
        env = server_env(args, Path(tmp))
        process, url = start_server(env)
        try:
            if args.cold:
                first, later = cold_first(url)
            elif args.fan_in:
                picked = (sentences * (args.sentences // len(sentences) + 1))[: args.sentences]
                many, one = fan_in(url, picked, args.clients)
            elif args.overload:
                report = flood(url, args.clients, args.seconds, Path(tmp))
                server_side = refusal_buckets(url)
            else:
                warm = Tally()
                load(url, sentences, args.clients, time.monotonic() + args.warmup_seconds, warm)
                rss_before = rss_mib(process.pid)
                tally = Tally()
                start = time.monotonic()
                load(url, sentences, args.clients, start + args.seconds, tally)
                seconds = time.monotonic() - start
                rss_after = rss_mib(process.pid)
        finally:
            process.terminate()
            process.wait(30)
        if args.cold:
            cold_s, warm_s = cold_unseen(env, args.repeat)
    mode = f"overload, BRIEFS_QUEUE_SIZE={args.queue_size}" if args.overload else "soak"
    mode = "fan-in" if args.fan_in else "cold start" if args.cold else mode
    print(
        f"{mode}; engine {args.engine}; {args.clients} clients for {args.seconds:.0f} s; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    if args.cold:
        print(f"first /v1/briefs after /readyz: {first:.2f} s; later ones (median of 3): "
              f"{later:.2f} s; ratio {first / later:.2f}x")  # fmt: skip
        print(f"unseen article ({args.repeat} pairs of fresh servers, medians): first request "
              f"{cold_s:.3f} s, after the other seeds {warm_s:.3f} s; "
              f"ratio {cold_s / warm_s:.2f}x")  # fmt: skip
        return
    if args.fan_in:
        print(f"{args.sentences} one-sentence requests from {args.clients} clients: {many:.2f} s; "
              f"one request of the {args.sentences} sentences: {one:.2f} s; "
              f"ratio {many / one:.1f}x")  # fmt: skip
        return
    if args.overload:
        print(f"```\n{report.strip()}\n```\n")
        print(f"server-side time of refusals (share within): {server_side}")
        return
    print("| status | answers | per second | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|")
    for status in sorted(tally.latencies):
        values = tally.latencies[status]
        print(
            f"| {status} | {len(values):,} | {len(values) / seconds:.1f} | "
            f"{percentile(values, 50):.1f} | {percentile(values, 95):.1f} | "
            f"{percentile(values, 99):.1f} |"
        )
    server_errors = sum(len(v) for s, v in tally.latencies.items() if s >= 500 and s != 503)
    print(f"\nno answer: {dict(tally.failures) or 0}; 5xx other than 503: {server_errors}")
    growth = (rss_after / rss_before - 1) * 100
    print(f"server memory: {rss_before:.0f} MiB after warm-up, {rss_after:.0f} MiB at the end "
          f"({growth:+.1f}%)")  # fmt: skip


if __name__ == "__main__":
    main()
