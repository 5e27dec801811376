"""What a one-sentence ``POST /v1/translate`` costs the event loop, piece by piece, in process.

Drives ASGI apps with 16 concurrent callers in this process (no sockets, no uvicorn) and
reports CPU time per request, median of ``--repeat`` runs: the event loop thread's
(``time.thread_time``) and the whole process's (``time.process_time``):

- a bare FastAPI route (``bench/bare_api.py``), ``async`` and plain ``def``: what a hop to
  the thread pool costs;
- probe routes added to the real app (tiny random models, CTranslate2, cache off): a fixed
  answer ``async`` and ``def``; the body read by FastAPI with the engines as a dependency, and
  read with ``model_validate_json``; awaiting the batcher for one sentence;
- ``/v1/translate`` itself, and LibreTranslate's ``/translate``;
- ``translate_texts`` of the sentence alone, with an engine that answers at once.

Run: ``python bench/route_cost.py [--requests 3000] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# At module level: FastAPI reads the probe routes' annotations from this module's globals.
from fastapi import Request
from starlette.responses import Response

from service.api.deps import EnginesDep, services_of
from service.api.schemas import TranslateIn

SENTENCE = "The volcano erupted on Monday near the town."
BODY = b'{"text": "%s", "source": "en", "target": "es"}' % SENTENCE.encode()
LIBRETRANSLATE_BODY = b'{"q": "%s", "source": "en", "target": "es"}' % SENTENCE.encode()
CLIENTS = 16


def _body(path: str) -> bytes:
    return LIBRETRANSLATE_BODY if path == "/translate" else BODY


def _scope(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"bench"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(_body(path))).encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
    }


async def _one(app: Any, path: str) -> None:
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": _body(path), "more_body": False}
        await asyncio.sleep(3600)  # the client never leaves
        return {"type": "http.disconnect"}

    status: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(_scope(path), receive, send)
    assert status == [200], (path, status)


async def cpu_ms(app: Any, path: str, requests: int) -> tuple[float, float]:
    """CPU milliseconds per request, ``CLIENTS`` callers at once: the event loop thread's,
    and the whole process's (route threads, batch workers and CTranslate2 included)."""

    async def client(count: int) -> None:
        for _ in range(count):
            await _one(app, path)

    loop, process = time.thread_time(), time.process_time()
    await asyncio.gather(*(client(requests // CLIENTS) for _ in range(CLIENTS)))
    done = requests // CLIENTS * CLIENTS
    return 1000 * (time.thread_time() - loop) / done, 1000 * (time.process_time() - process) / done


def probed_app() -> Any:
    """The real app with the probe routes under ``/v1/probe/``."""
    from service.api.app import create_app
    from service.api.routes import native_router

    router = native_router("probe")
    answer = b'"x"'

    @router.post("/probe/fixed")
    async def fixed() -> Response:
        return Response(answer, media_type="application/json")

    @router.post("/probe/fixed-def")
    def fixed_def() -> Response:
        return Response(answer, media_type="application/json")

    @router.post("/probe/fastapi-body")
    async def fastapi_body(body: TranslateIn, engines: EnginesDep) -> Response:
        return Response(answer, media_type="application/json")

    @router.post("/probe/own-body")
    async def own_body(request: Request) -> Response:
        TranslateIn.model_validate_json(await request.body())
        assert services_of(request).engines is not None
        return Response(answer, media_type="application/json")

    @router.post("/probe/batcher")
    async def batcher(body: TranslateIn, engines: EnginesDep) -> Response:
        await engines.sentences.translate_async([body.text], "en", "es")  # type: ignore[attr-defined]
        return Response(answer, media_type="application/json")

    app = create_app()
    app.include_router(router)
    return app


def text_work_us(repeat: int) -> float:
    """``translate_texts`` of the sentence with an engine that answers at once, µs."""
    from service.config import Settings
    from service.languages import Lang
    from service.translate.base import DecodeOptions, EngineInfo
    from service.translate.document import DocumentTranslator
    from service.translate.texts import translate_texts

    class Instant:
        name = "instant"

        def info(self, source: Lang, target: Lang) -> EngineInfo:
            return EngineInfo("instant", "instant")

        def max_input_tokens(self, source: Lang, target: Lang) -> int | None:
            return 512

        def count_tokens(self, texts: list[str], source: Lang, target: Lang) -> list[int]:
            return [len(text.split()) for text in texts]

        def translate(
            self, texts: list[str], s: Lang, t: Lang, o: DecodeOptions | None = None
        ) -> list[str]:
            return ["El volcán hizo erupción el lunes cerca del pueblo." for _ in texts]

    document = DocumentTranslator(Instant(), Settings(cache_size=0))
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(3000):
            translate_texts(document, [SENTENCE], source="en", target="es")
        runs.append(1e6 * (time.perf_counter() - start) / 3000)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    from bare_api import create_app as bare_app
    from brief_folder import tiny_serving_env

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(tiny_serving_env(Path(tmp)))
        bare = bare_app()

        @bare.post("/v1/translate-def")
        def bare_def(body: dict[str, str]) -> str:
            return body["text"]

        app = probed_app()
        rows = [
            ("bare FastAPI route, `async`", bare, "/v1/translate"),
            ("bare FastAPI route, plain `def`", bare, "/v1/translate-def"),
            ("this app, fixed answer, `async`", app, "/v1/probe/fixed"),
            ("this app, fixed answer, plain `def`", app, "/v1/probe/fixed-def"),
            ("this app, body and engines through FastAPI", app, "/v1/probe/fastapi-body"),
            ("this app, body read with `model_validate_json`", app, "/v1/probe/own-body"),
            ("this app, awaiting the batcher for the sentence", app, "/v1/probe/batcher"),
            ("`POST /v1/translate`", app, "/v1/translate"),
            ("LibreTranslate's `POST /translate`", app, "/translate"),
        ]

        async def run() -> list[tuple[float, float]]:
            lifespan = app.router.lifespan_context(app)
            await lifespan.__aenter__()
            try:
                times: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in rows}
                for _, target, path in rows:  # warm-up
                    await cpu_ms(target, path, 500)
                for _ in range(args.repeat):  # interleaved: load changes hit every row alike
                    for name, target, path in rows:
                        times[name].append(await cpu_ms(target, path, args.requests))
                return [
                    (statistics.median(t[0] for t in v), statistics.median(t[1] for t in v))
                    for v in times.values()
                ]
            finally:
                await lifespan.__aexit__(None, None, None)

        medians = asyncio.run(run())
    text_us = text_work_us(args.repeat)
    print(f"load average {load:.1f} -> {os.getloadavg()[0]:.1f}; {CLIENTS} callers at once\n")
    print("| route | event loop CPU ms per request | process CPU ms per request |")
    print("|---|---|---|")
    for (name, _, _), (loop, process) in zip(rows, medians, strict=True):
        print(f"| {name} | {loop:.3f} | {process:.3f} |")
    print(f"\n`translate_texts` of the sentence alone, instant engine: {text_us:.0f} µs")


if __name__ == "__main__":
    main()
