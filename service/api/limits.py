"""Request limits at the edge: body size (413) and content type (415).

Text and list sizes are ``service.limits``, shared with the CLI.
"""

from __future__ import annotations

import asyncio

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import UnsupportedMediaType, error_response

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BodySizeLimit:
    """Answers 413 before the app runs when a body is larger than BRIEFS_MAX_BODY_BYTES, and
    408 when it does not arrive within BRIEFS_CLIENT_TIMEOUT_S."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send, int(declared))
            return
        # Read the whole body (bounded) so a chunked upload cannot slip past the limit.
        chunks: list[bytes] = []
        size = 0
        try:
            # asyncio's own timeout: half the cost of anyio's cancel scope on every request.
            async with asyncio.timeout(self.timeout_s):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_bytes:
                        await self._too_large(scope, receive, send, size)
                        return
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            response = error_response(
                scope.get("path", ""),
                408,
                "request_timeout",
                f"the request body did not arrive within {self.timeout_s:g} s "
                f"({size:,} bytes came)",
                hint="send the body at once, or raise BRIEFS_CLIENT_TIMEOUT_S",
                headers={"Connection": "close"},
            )
            await response(scope, receive, send)
            return
        body = b"".join(chunks)
        await self.app(scope, replaying(body, receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, size: int) -> None:
        response = error_response(
            scope.get("path", ""),
            413,
            "payload_too_large",
            f"the request body has more than {self.max_bytes:,} bytes "
            f"(BRIEFS_MAX_BODY_BYTES={self.max_bytes:,}; this one: {size:,}+)",
            hint="send less text per request or raise BRIEFS_MAX_BODY_BYTES",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the whole ``body`` once, then what ``receive`` gives."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def media_type(request: Request) -> str | None:
    """The request's media type without parameters, lower-cased, or None when it sent none;
    as ``email.message`` reads it (a value that is not ``type/subtype`` reads as
    ``text/plain``), without building a message for every request."""
    header = request.headers.get("content-type")
    if not header:
        return None
    kind = header.split(";", 1)[0].strip().lower()
    return kind if kind.count("/") == 1 else "text/plain"


def require_json(request: Request) -> None:
    """A body must be JSON (no Content-Type is read as JSON too): 415 otherwise."""
    kind = media_type(request)
    if kind is not None and kind != "application/json" and not kind.endswith("+json"):
        raise UnsupportedMediaType(
            f"the body is {kind}; this route reads application/json",
            hint="send JSON with Content-Type: application/json",
        )
