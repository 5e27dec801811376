"""HTTP API load: a live ``briefs serve`` against raw CTranslate2 on the same sentences.

Builds (or reuses) the full-size opus-mt-en-es architecture with random weights through
``tests/marian_factory.py``, installed and converted to CTranslate2 int8 by the model store,
starts ``python -m service serve`` on 127.0.0.1 with the ctranslate2 engine (cache off,
greedy, a fixed number of decoder steps, ``no_repeat_ngram_size=2`` from the model's
generation_config.json so nothing looks degenerate and nothing is retried), and posts the
sentences to ``POST /v1/translate`` in turn from ``--clients`` connections of ``wrk`` for
``--load-seconds`` at each level: one sentence per request, then short paragraphs of
``--sentences-per-request`` sentences. ``wrk`` is one C thread that costs the 2 cores far
less than the server (a Python client of 64 threads took CPU the engine needed: earlier
tables in docs/benchmarks.md were taken with one). The same sentences, pre-tokenized, go
through raw ``ctranslate2.Translator.translate_batch`` before and after the server runs, with
the same decoding and the server's thread layout. Prints a Markdown table: sentences per
second (answered requests only), p50/p95/p99 request latency, the share of raw throughput,
sentences retried, and the mean number of requests per engine batch (from ``/metrics``).

Run: ``python bench/serve_load.py [--sentences 256] [--clients 16 64] [--load-seconds 20]``.
On a GPU: ``--device cuda`` (the server with ``BRIEFS_DEVICE=cuda``, both sides in
int8_float16, by default 4,096 sentences, batches of 256 and 64 and 256 clients); with only
CUDA 13's cuBLAS, add ``--cublas12-dir`` as for ``bench/translate_speed.py``.

``--overhead`` measures the API's own cost instead: tiny random models decoding at most
``--overhead-tokens`` tokens, one short sentence per ``POST /v1/translate`` from
``--overhead-clients`` connections of ``wrk`` (a Python client would spend more CPU than the
server), against a bare FastAPI route that parses the same JSON and returns a string
(``bench/bare_api.py``, served by uvicorn with the same options). The two servers take turns,
``--rounds`` times, and the table gives the median requests per second of each and their
ratio. ``--baseline-repo DIR`` adds a ``briefs serve`` run from another checkout (an older
commit, say) to the turns, so before and after are measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from common import (
    MODEL_ROOT,
    REPO,
    bench_model,
    machine,
    make_sentences,
    no_repeat_ngram_size,
    start_serve,
    use_cublas12,
)

COMPUTE_TYPE = {"cpu": "int8", "cuda": "int8_float16"}  # the server's auto compute type


def parse_args() -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument(
        "--cublas12-dir", type=Path, help="a folder with libcublas.so.12 (or .so.13 to link)"
    )
    parser.add_argument("--sentences", type=int, help="default: 256 (cuda: 4,096)")
    parser.add_argument("--src-tokens", type=int, default=30, help="source tokens, </s> included")
    parser.add_argument("--new-tokens", type=int, default=32, help="decoder steps per sentence")
    parser.add_argument("--clients", type=int, nargs="+", help="default: 16 64 (cuda: 64 256)")
    parser.add_argument(
        "--sentences-per-request",
        type=int,
        nargs="+",
        default=[1, 4],
        help="sentences joined into one request's text (1, then paragraphs of 4)",
    )
    parser.add_argument(
        "--max-batch-size", type=int, help="BRIEFS_MAX_BATCH_SIZE (default: 32; cuda: 256)"
    )
    parser.add_argument(
        "--batch-wait-ms", type=float, help="BRIEFS_BATCH_WAIT_MS (default: the server's)"
    )
    parser.add_argument("--model-root", type=Path, default=MODEL_ROOT)
    parser.add_argument("--overhead", action="store_true", help="the API vs a bare route")
    parser.add_argument("--overhead-clients", type=int, default=16)
    parser.add_argument("--overhead-tokens", type=int, default=4, help="BRIEFS_MAX_DECODING_LENGTH")
    parser.add_argument("--seconds", type=float, default=5.0, help="each --overhead round")
    parser.add_argument("--load-seconds", type=float, default=20.0, help="each load level")
    parser.add_argument("--rounds", type=int, default=3, help="--overhead rounds per server")
    parser.add_argument(
        "--baseline-repo", type=Path, help="also serve from this checkout, taking turns"
    )
    args = parser.parse_args()
    cuda = args.device == "cuda"
    args.sentences = args.sentences or (4096 if cuda else 256)
    args.clients = args.clients or ([64, 256] if cuda else [16, 64])
    args.max_batch_size = args.max_batch_size or (256 if cuda else 32)
    return args


def start_server(
    models_dir: Path, args: argparse.Namespace, repo: Path = REPO
) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m service serve`` (from the checkout ``repo``) with the ctranslate2 engine;
    waits until en-es is served."""
    import httpx

    wait = args.batch_wait_ms

    env = {
        **os.environ,
        "BRIEFS_MODELS_DIR": str(models_dir),
        "BRIEFS_ENGINE": "ctranslate2",
        "BRIEFS_DEVICE": args.device,
        "BRIEFS_CACHE_SIZE": "0",
        "BRIEFS_BEAM_SIZE": "1",
        # The service's max length counts </s>; CTranslate2 then runs new_tokens steps.
        "BRIEFS_MAX_DECODING_LENGTH": str(args.new_tokens + 1),
        "BRIEFS_MAX_BATCH_SIZE": str(args.max_batch_size),
        "BRIEFS_BATCH_SIZE": str(args.max_batch_size),
        **({"BRIEFS_BATCH_WAIT_MS": str(args.batch_wait_ms)} if wait is not None else {}),
        "BRIEFS_QUEUE_SIZE": "100000",
        "BRIEFS_LOG_LEVEL": "warning",
        "HF_HUB_OFFLINE": "1",
    }

    def serves_en_es(url: str) -> bool:
        # Only en-es is installed, so /readyz (both directions) stays 503: ask for en-es.
        languages = httpx.get(f"{url}/v1/languages", timeout=2)
        return languages.status_code == 200 and bool(languages.json()["engines"]["en-es"])

    return start_serve(env, serves_en_es, repo)


@dataclass(frozen=True)
class Load:
    """One load level's result."""

    server: str  # "briefs", or "baseline" (--baseline-repo)
    clients: int
    per_request: int  # sentences in each request's text
    sentences: int  # sentences in the requests answered
    seconds: float
    latencies_ms: dict[int, float]  # percentile -> request latency in milliseconds
    jobs_per_batch: float  # callers whose sentences shared one engine batch
    retried: int  # engine sentences beyond the ones asked for: degenerate-output retries

    @property
    def rate(self) -> float:
        """Sentences per second."""
        return self.sentences / self.seconds

    def percentile(self, q: int) -> float:
        """Latency percentile in milliseconds."""
        return self.latencies_ms[q]


def counters(url: str) -> dict[str, float]:
    """Batch and sentence counters so far, from /metrics."""
    import httpx
    from prometheus_client.parser import text_string_to_metric_families

    wanted = {
        "briefs_batch_requests_count": "batches",
        "briefs_batch_requests_sum": "jobs",
        "briefs_sentences_translated_total": "engine",
        "briefs_translation_sentences_total": "sentences",
    }
    found = dict.fromkeys(wanted.values(), 0.0)
    for family in text_string_to_metric_families(httpx.get(f"{url}/metrics").text):
        for sample in family.samples:
            if sample.name in wanted:
                found[wanted[sample.name]] += sample.value
    return found


def stop_servers(servers: dict[str, tuple[subprocess.Popen[bytes], str]]) -> None:
    """Stop every server as ``briefs serve`` is stopped (SIGTERM: a graceful shutdown)."""
    for process, _url in servers.values():
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wait_idle(url: str, quiet_s: float = 1.0) -> None:
    """Wait until the server has finished what wrk left in flight: no sentence translated
    for ``quiet_s`` (with 64 clients of paragraphs, seconds of queued work)."""
    last, still = counters(url), 0.0
    while still < quiet_s:
        time.sleep(0.25)
        now = counters(url)
        still = still + 0.25 if now == last else 0.0
        last = now


def run_load(
    server: str, url: str, sentences: list[str], clients: int, per_request: int, seconds: float
) -> Load:
    """``clients`` connections of ``wrk`` post the sentences, ``per_request`` to a request and
    in turn, for ``seconds`` after a warm-up; the server's counters give the batches."""
    import tempfile

    texts = [
        " ".join(sentences[i : i + per_request]) for i in range(0, len(sentences), per_request)
    ]
    bodies = [json.dumps({"text": text, "source": "en", "target": "es"}) for text in texts]
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "post.lua"
        script.write_text(wrk_script(bodies))
        wrk_round(url, None, clients, 2, script)  # warm-up: connections, first batches
        wait_idle(url)
        before = counters(url)
        done = wrk_round(url, None, clients, seconds, script)
    after = counters(url)
    wait_idle(url)  # what wrk left in flight must not run into the next server's turn
    delta = {key: after[key] - before[key] for key in after}
    answered = done.requests * per_request
    # Requests still in flight when wrk stops are translated and counted after it.
    if delta["sentences"] < answered:  # the splitter must see our sentences
        print(
            f"warning: the service counted {delta['sentences']:.0f} sentences for "
            f"{answered} answered",
            file=sys.stderr,
        )
    return Load(
        server,
        clients,
        per_request,
        answered,
        done.seconds,
        done.latencies_ms,
        delta["jobs"] / max(1.0, delta["batches"]),
        round(delta["engine"] - delta["sentences"]),
    )


def raw_seconds(ct2_dir: Path, pieces: list[list[str]], args: argparse.Namespace) -> float:
    """Raw CTranslate2 on pre-tokenized input, the server's decoding: median of 3, warmed up."""
    import ctranslate2

    from service.config import Settings

    # The server's own thread layout (auto: two one-thread workers on 2 cores), so both sides
    # run the engine the same way; translate_batch spreads its batches over the workers.
    inter, intra = Settings(device=args.device).engine_threads()
    translator = ctranslate2.Translator(
        str(ct2_dir),
        device=args.device,
        compute_type=COMPUTE_TYPE[args.device],
        inter_threads=inter,
        intra_threads=intra,
    )

    def run(batch: list[list[str]]) -> None:
        translator.translate_batch(
            batch,
            max_batch_size=args.max_batch_size,
            beam_size=1,
            min_decoding_length=args.new_tokens,
            max_decoding_length=args.new_tokens,
            no_repeat_ngram_size=no_repeat_ngram_size(),
        )

    run(pieces[:8])
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run(pieces)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


OVERHEAD_BODY = json.dumps(
    {"text": "The volcano erupted on Monday near the town.", "source": "en", "target": "es"}
)
PERCENTILES = (50, 95, 99)


def wrk_script(bodies: list[str]) -> str:
    """A ``wrk`` Lua script: POST the JSON ``bodies`` in turn, then print the latency
    percentiles (``p50 <µs>`` lines). Long brackets keep each body as written."""
    listed = ",\n".join(f"[==[{body}]==]" for body in bodies)
    wanted = ", ".join(str(p) for p in PERCENTILES)
    return f"""
local bodies = {{
{listed}
}}
local turn = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  turn = turn % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[turn])
end
done = function(summary, latency, requests)
  for _, p in ipairs({{{wanted}}}) do
    io.write(string.format("p%d %d\\n", p, latency:percentile(p)))
  end
end
"""


@dataclass(frozen=True)
class Round:
    """One ``wrk`` run against one server."""

    requests: int
    seconds: float
    cpu_s: float  # CPU time the server process spent meanwhile (user + system)
    latencies_ms: dict[int, float]  # percentile -> request latency in milliseconds
    loop_cpu_s: float = 0.0  # of it, the main thread's: uvicorn's event loop

    @property
    def loop_ms(self) -> float:
        """The event loop's CPU milliseconds per request."""
        return 1000 * self.loop_cpu_s / max(1, self.requests)

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        """Server CPU milliseconds per request."""
        return 1000 * self.cpu_s / max(1, self.requests)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its finished children so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def main_thread_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process's main thread so far (uvicorn runs its event
    loop there)."""
    fields = Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:13]) / os.sysconf("SC_CLK_TCK")


def wrk_round(url: str, pid: int | None, clients: int, seconds: float, script: Path) -> Round:
    """One ``wrk`` run (one thread: a client that costs the machine far less than the server);
    every answer must be a 2xx. ``pid``: the server process, for its CPU time."""
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "60s"]
    command += ["-s", str(script)]
    before = cpu_seconds(pid) if pid else 0.0
    loop_before = main_thread_cpu_seconds(pid) if pid else 0.0
    try:
        report = subprocess.run(
            [*command, f"{url}/v1/translate"], capture_output=True, text=True, check=True
        ).stdout
    except FileNotFoundError:
        raise SystemExit("this benchmark needs wrk: apt-get install wrk") from None
    cpu = cpu_seconds(pid) - before if pid else 0.0
    loop = main_thread_cpu_seconds(pid) - loop_before if pid else 0.0
    if "Non-2xx" in report or "Socket errors" in report:
        raise SystemExit(f"the server answered errors:\n{report}")
    match = re.search(r"(\d+) requests in ([\d.]+)(m?s)", report)
    if match is None:
        raise SystemExit(f"no request count in wrk's report:\n{report}")
    took = float(match.group(2)) / (1000 if match.group(3) == "ms" else 1)
    latencies = {int(p): int(us) / 1000 for p, us in re.findall(r"^p(\d+) (\d+)$", report, re.M)}
    return Round(int(match.group(1)), took, cpu, latencies, loop)


def overhead(args: argparse.Namespace) -> None:
    """``/v1/translate`` on tiny models vs a bare FastAPI route, taking turns; prints a table."""
    import tempfile

    import httpx
    from brief_folder import tiny_serving_env
    from common import free_port

    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "post.lua"
        script.write_text(wrk_script([OVERHEAD_BODY]))
        env = {
            **os.environ,
            **tiny_serving_env(Path(tmp), args.overhead_tokens),
            "BRIEFS_DEVICE": args.device,
        }
        ready = lambda url: httpx.get(f"{url}/readyz", timeout=2).status_code == 200  # noqa: E731
        servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
        port = free_port()
        # The same environment, so uvicorn's access lines are off in both (BRIEFS_LOG_LEVEL).
        bare_api = [sys.executable, str(REPO / "bench" / "bare_api.py"), str(port)]
        bare = subprocess.Popen(bare_api, env=env)
        servers["bare"] = bare, f"http://127.0.0.1:{port}"
        try:
            if args.baseline_repo:
                servers["baseline"] = start_serve(env, ready, args.baseline_repo.resolve())
            servers["briefs"] = start_serve(env, ready)
            for _ in range(100):
                try:
                    httpx.get(f"{servers['bare'][1]}/docs", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            rounds: dict[str, list[Round]] = {name: [] for name in servers}
            for process, url in servers.values():  # warm-up
                wrk_round(url, process.pid, args.overhead_clients, 1, script)
            for _ in range(args.rounds):
                for name, (process, url) in servers.items():
                    done = wrk_round(url, process.pid, args.overhead_clients, args.seconds, script)
                    rounds[name].append(done)
                    print(
                        f"{name}: {done.rate:,.0f} requests/s, {done.cpu_ms:.3f} CPU ms each",
                        file=sys.stderr,
                    )
        finally:
            stop_servers(servers)
    bare_rate = statistics.median(r.rate for r in rounds["bare"])
    bare_cpu = statistics.median(r.cpu_ms for r in rounds["bare"])
    load_end = os.getloadavg()[0]
    print(f"\nMachine: {machine(args.device)}; load average {load_start:.1f} -> {load_end:.1f}.")
    print(
        f"wrk -t1 -c{args.overhead_clients}, {args.rounds} rounds of {args.seconds:g} s per "
        f"server, taking turns; tiny random models, BRIEFS_MAX_DECODING_LENGTH="
        f"{args.overhead_tokens}, cache off. CPU ms per request: the server process's user + "
        "system time over the requests it answered (steadier than requests/s on a shared "
        "machine).\n"
    )
    labels = {
        "bare": "bare FastAPI route (`bench/bare_api.py`)",
        "baseline": f"`briefs serve` from {args.baseline_repo}",
        "briefs": "`briefs serve` (this checkout)",
    }
    print(
        "| server | requests/s (median) | rounds | vs bare | CPU ms per request "
        "| of it, the event loop's | bare's CPU / this CPU |\n|---|---|---|---|---|---|---|"
    )
    for name, values in rounds.items():
        rate = statistics.median(r.rate for r in values)
        cpu = statistics.median(r.cpu_ms for r in values)
        loop = statistics.median(r.loop_ms for r in values)
        print(
            f"| {labels[name]} | {rate:,.0f} | {', '.join(f'{r.rate:,.0f}' for r in values)} "
            f"| {100 * rate / bare_rate:.1f}% | {cpu:.3f} | {loop:.3f} "
            f"| {100 * bare_cpu / cpu:.1f}% |"
        )


def main() -> None:
    """Build, serve, load at each level, compare with raw CTranslate2, print a table."""
    args = parse_args()
    if args.cublas12_dir:
        use_cublas12(args.cublas12_dir.resolve(), args.model_root.resolve())
    sys.path.insert(0, str(REPO))
    if args.overhead:
        overhead(args)
        return
    from transformers import MarianTokenizer

    models_dir = bench_model(args.model_root)
    hf_dir = models_dir / "translation" / "en-es" / "hf"
    ct2_dir = models_dir / "translation" / "en-es" / "ct2-int8"
    tokenizer = MarianTokenizer.from_pretrained(str(hf_dir))
    sentences = make_sentences(tokenizer, args.sentences, args.src_tokens - 1, numbered=True)
    pieces = [tokenizer.convert_ids_to_tokens(tokenizer(s)["input_ids"]) for s in sentences]
    load_start = os.getloadavg()[0]
    count = len(sentences)

    raw_before = count / raw_seconds(ct2_dir, pieces, args)
    print(f"raw CTranslate2: {raw_before:.1f} sentences/s", file=sys.stderr)
    servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    try:
        if args.baseline_repo:
            servers["baseline"] = start_server(models_dir, args, args.baseline_repo.resolve())
        servers["briefs"] = start_server(models_dir, args)
        loads = []
        for per_request in args.sentences_per_request:
            for clients in args.clients:
                for name, (_process, url) in servers.items():  # taking turns
                    load = run_load(name, url, sentences, clients, per_request, args.load_seconds)
                    loads.append(load)
                    print(
                        f"{name}: {clients} clients x {per_request} sentences/request: "
                        f"{load.rate:.1f} sentences/s, p50 {load.percentile(50):.0f} ms, "
                        f"p95 {load.percentile(95):.0f} ms, {load.retried} retried",
                        file=sys.stderr,
                    )
    finally:
        stop_servers(servers)
    raw_after = count / raw_seconds(ct2_dir, pieces, args)
    raw = (raw_before + raw_after) / 2

    import ctranslate2

    from service.config import Settings

    wait = Settings().batch_wait_ms if args.batch_wait_ms is None else args.batch_wait_ms
    load_end = os.getloadavg()[0]
    print(f"\nMachine: {machine(args.device)}; load average {load_start:.1f} -> {load_end:.1f}.")
    print(
        f"Python {platform.python_version()}, ctranslate2 {ctranslate2.__version__}. "
        f"{count} distinct sentences of ~{args.src_tokens} tokens, {args.new_tokens} greedy "
        f"decoder steps each, no_repeat_ngram_size={no_repeat_ngram_size()}, "
        f"{COMPUTE_TYPE[args.device]} on {args.device}; server: "
        f"BRIEFS_MAX_BATCH_SIZE={args.max_batch_size}, "
        f"BRIEFS_BATCH_WAIT_MS={wait:g}, cache off; CTranslate2 "
        f"(inter_threads, intra_threads) = {Settings(device=args.device).engine_threads()} on both "
        f"sides; "
        f"client: wrk -t1, {args.load_seconds:g} s per level after a 2 s warm-up.\n"
    )
    print(
        "| path | sentences/request | sentences/s | p50 ms | p95 ms | p99 ms | vs raw | retried "
        "| requests per engine batch |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| raw CTranslate2 `translate_batch`, batch {args.max_batch_size}, pre-tokenized "
        f"({raw_before:.1f} before the server, {raw_after:.1f} after; mean) | all "
        f"| {raw:.1f} | | | | 100% | | |"
    )
    for load in loads:
        where = f" from {args.baseline_repo}" if load.server == "baseline" else ""
        print(
            f"| `briefs serve`{where}, {load.clients} client{'s' if load.clients > 1 else ''} "
            f"| {load.per_request} | {load.rate:.1f} | {load.percentile(50):.0f} "
            f"| {load.percentile(95):.0f} | {load.percentile(99):.0f} "
            f"| {100 * load.rate / raw:.0f}% | {load.retried} "
            f"| {load.jobs_per_batch:.1f} |"
        )


if __name__ == "__main__":
    main()
