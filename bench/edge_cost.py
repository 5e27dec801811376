"""What each layer in front of a route costs: the app's pure-ASGI middlewares, one at a time.

Builds ``create_app``'s middleware stack around an ASGI app that answers a small JSON body
(all seven layers; with the settings' defaults, no keys and no rate limits, ``create_app``
installs five: the key and rate gates only come with keys or limits), and times a one-sentence
``POST /v1/translate`` through it in this process (no sockets, no uvicorn), first with no
middleware, then adding them from the innermost out, in the order ``create_app`` adds them.
Each row is the microseconds per request over the row before: what that layer costs.
Median of ``--repeat`` runs of ``--requests`` requests each.

Run: ``python bench/edge_cost.py [--requests 20000] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BODY = b'{"text": "The volcano erupted on Monday near the town.", "source": "en", "target": "es"}'


async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """Reads the body, answers a small JSON object: what every route does at least."""
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b'{"translation": "x"}'})


def layers() -> list[tuple[str, Callable[[ASGIApp], ASGIApp]]]:
    """The middlewares ``create_app`` adds, innermost first, each as a wrapper."""
    from service.api.edge import Admission, HeadAsGet, KeyGate, RequestGuard
    from service.api.keys import KeyRing
    from service.api.limits import BodySizeLimit
    from service.api.metrics import Metrics, MetricsMiddleware
    from service.api.ratelimit import Limiter, RateGate
    from service.config import Settings

    settings = Settings()
    keys = KeyRing(settings)
    metrics = Metrics()
    return [
        ("RateGate", lambda app: RateGate(app, limiter=Limiter(settings), keys=keys)),
        (
            "BodySizeLimit",
            lambda app: BodySizeLimit(
                app, max_bytes=settings.max_body_bytes, timeout_s=settings.client_timeout_s
            ),
        ),
        (
            "Admission",
            lambda app: Admission(app, limit=settings.queue_size, on_refused=lambda: None),
        ),
        ("KeyGate", lambda app: KeyGate(app, settings=settings, keys=keys)),
        ("RequestGuard", RequestGuard),
        ("MetricsMiddleware", lambda app: MetricsMiddleware(app, metrics=metrics)),
        ("HeadAsGet", HeadAsGet),
    ]


async def per_request_us(app: ASGIApp, requests: int) -> float:
    """Microseconds per request through ``app``."""
    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/translate",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"84")],
        "client": ("127.0.0.1", 5000),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: Message) -> None:
        pass

    start = time.perf_counter()
    for _ in range(requests):
        await app(dict(scope), receive, send)
    return 1e6 * (time.perf_counter() - start) / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    stacks: list[tuple[str, ASGIApp]] = [("no middleware", endpoint)]
    app: ASGIApp = endpoint
    for name, wrap in layers():
        app = wrap(app)
        stacks.append((name, app))

    async def run() -> list[float]:
        times: dict[str, list[float]] = {name: [] for name, _ in stacks}
        for _ in range(args.repeat):  # interleaved, so load changes hit every row alike
            for name, stack in stacks:
                times[name].append(await per_request_us(stack, args.requests))
        return [statistics.median(values) for values in times.values()]

    medians = asyncio.run(run())
    print(f"load average {load:.1f} -> {os.getloadavg()[0]:.1f}\n")
    print("| added (innermost first) | µs per request, whole stack | this layer |")
    print("|---|---|---|")
    for i, ((name, _), us) in enumerate(zip(stacks, medians, strict=True)):
        extra = f"{us - medians[i - 1]:+.1f}" if i else ""
        print(f"| {name} | {us:.1f} | {extra} |")
    defaults = sum(
        us - medians[i - 1]
        for i, ((name, _), us) in enumerate(zip(stacks, medians, strict=True))
        if i and name not in ("RateGate", "KeyGate")
    )
    print(f"| all seven layers | | {medians[-1] - medians[0]:+.1f} |")
    print(f"| the five installed with the defaults | | {defaults:+.1f} |")


if __name__ == "__main__":
    main()
