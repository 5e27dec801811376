"""What every request meets before a route: a request id, a guard that turns an unexpected
exception into a 500 that keeps the connection, HEAD answered as GET, the API key checked
from the headers before any body is read, and admission control that refuses work at once
when the server already holds all it may.

Pure ASGI middlewares (no thread-pool hop, no body buffering of their own).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.auth import check_key, key_from_headers, same_secret
from service.api.errors import error_response, response_for
from service.api.keys import KeyRing
from service.config import Settings
from service.errors import BriefsError, Busy

log = logging.getLogger(__name__)

REQUEST_ID = "x-request-id"
# A client's own id is kept when it is short and plain; anything else gets a fresh one.
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class _Ids:
    """Fresh request ids: 32 hex digits like a UUID's, a random per-process prefix and a
    counter (no system call per request, unlike ``uuid4``); a forked child draws its own."""

    def __init__(self) -> None:
        self.reset()
        os.register_at_fork(after_in_child=self.reset)

    def reset(self) -> None:
        self.prefix = os.urandom(10).hex()
        self.counter = itertools.count()

    def next(self) -> str:
        return f"{self.prefix}{next(self.counter) % (1 << 48):012x}"


_ids = _Ids()


def request_id(scope: Scope) -> str:
    """The request's id (set by ``RequestGuard``)."""
    return str(scope.get("state", {}).get("request_id", "-"))


class RequestGuard:
    """Gives each request an id (``X-Request-ID`` on every response) and answers an exception
    no handler took with one logged 500 instead of letting it reach the server, which would
    drop the keep-alive connection without ``Connection: close``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent_id = Headers(scope=scope).get(REQUEST_ID, "")
        rid = sent_id if _CLIENT_ID.match(sent_id) else _ids.next()
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Once, with the id; never the body or a key (the path only, no query string).
            log.exception(
                "request %s: unexpected error on %s %s", rid, scope["method"], scope["path"]
            )
            if started:
                return  # the answer is half sent: nothing sound can follow on this connection
            response = error_response(
                scope["path"],
                500,
                "internal_error",
                f"the server failed on this request (request id {rid}); the error is in its log",
            )
            await response(scope, receive, send_with_id)


class HeadAsGet:
    """``HEAD`` on a GET route answers as ``GET`` would, headers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def needs_key(method: str, path: str) -> bool:
    """Whether a request needs an API key when keys are set: every POST under ``/v1/`` (the
    native routes; an unknown one is refused like a known one) and ``/metrics``. The
    LibreTranslate routes check their own keys, which may come in the body."""
    return (method == "POST" and path.startswith("/v1/")) or path == "/metrics"


class KeyGate:
    """With API keys set, a request that ``needs_key`` must carry a valid key in its headers:
    refused (401/403) before its body is read or parsed."""

    def __init__(self, app: ASGIApp, settings: Settings, keys: KeyRing) -> None:
        self.app = app
        self.settings = settings
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and self.keys.required
            and needs_key(scope["method"], scope["path"])
        ):
            key = key_from_headers(Headers(scope=scope))
            token = self.settings.metrics_token
            if scope["path"] == "/metrics" and token and key and same_secret(key, token):
                await self.app(scope, receive, send)
                return
            try:
                check_key(self.keys, key)
            except BriefsError as exc:
                await response_for(scope["path"], exc)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Admission:
    """Refuses a POST with 503 ``busy`` (``Retry-After``) while ``limit`` POSTs are already in
    the server, counted from here to their last byte out: before its body is read and before
    it waits for a thread, so a refusal costs microseconds whatever the load. The batcher
    bounds the same work again in sentences (``BRIEFS_QUEUE_SIZE`` for both: every request
    carries at least one sentence)."""

    def __init__(self, app: ASGIApp, limit: int, on_refused: Callable[[], None]) -> None:
        self.app = app
        self.limit = limit
        self.on_refused = on_refused
        self.in_flight = 0  # one event loop per process: no lock needed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            self.on_refused()
            busy = Busy(
                f"the server is full ({self.in_flight:,} requests in progress, "
                f"BRIEFS_QUEUE_SIZE={self.limit:,})",
                retry_after_s=1,
                hint="retry in a moment",
            )
            await response_for(scope["path"], busy)(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
