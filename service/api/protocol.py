"""The HTTP protocol ``briefs serve`` runs: uvicorn's httptools protocol with bounds on the
request head, so slow or oversized heads cannot hold connections or memory.

- A connection has ``BRIEFS_CLIENT_TIMEOUT_S`` to send each request's head, counted from
  its first byte (or from the connection, for the first request): a partial head then gets
  408 and the connection is closed; a connection that never sends a byte is closed. Between
  requests uvicorn's keep-alive timeout (5 s) applies. The body's own deadline is in
  ``BodySizeLimit``.
- A head larger than ``MAX_HEAD_BYTES`` or with more than ``MAX_HEADERS`` fields gets 431 as
  soon as it is seen, never buffered further.

Idle or slow connections cost only a socket and a timer on the event loop, so they do not
stop other requests from being served.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.config import get_settings

log = logging.getLogger(__name__)

MAX_HEAD_BYTES = 64 * 1024
MAX_HEADERS = 100
LINGER_S = 1.0  # how long a refused connection is drained before it is closed

_REASONS = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


class _HeadRefused(Exception):
    """Raised from a parser callback to stop parsing a head that breaks a bound."""


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` with a deadline and size bounds on each request head."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client_timeout_s = get_settings().client_timeout_s
        self._head_timer: asyncio.TimerHandle | None = None
        self._in_head = True  # waiting for, or reading, a request head
        self._head_bytes = 0
        self._header_count = 0
        self._refusal: tuple[int, str] | None = None

    # --- the deadline -------------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.client_timeout_s, self._too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _too_slow(self) -> None:
        self._head_timer = None
        if not self._in_head or self.transport.is_closing():
            return
        if self._head_bytes or self._header_count or bool(getattr(self, "url", None)):
            self._refuse(408, f"the request head did not arrive within {self.client_timeout_s:g} s")
        else:
            self.transport.close()  # never sent a byte: nothing to answer

    # --- the head -----------------------------------------------------------------------
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_bytes = 0
        self._header_count = 0
        if self._head_timer is None:
            self._arm()

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > MAX_HEADERS:
            self._refusal = (431, f"more than {MAX_HEADERS} header fields")
            raise _HeadRefused
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm()
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        if self._refusal is not None:
            return
        super().data_received(data)
        if self._in_head and self._refusal is None and not self.transport.is_closing():
            # Still no complete head after this chunk: all of it was head.
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self._refuse(431, f"the request head is larger than {MAX_HEAD_BYTES:,} bytes")

    def send_400_response(self, msg: str) -> None:
        if self._refusal is not None:  # a callback stopped the parser on purpose
            status, reason = self._refusal
            self._refusal = None
            self._refuse(status, reason)
            return
        super().send_400_response(msg)

    def _refuse(self, status: int, reason: str) -> None:
        """Answer ``status`` with a one-line JSON reason and close the connection."""
        self._refusal = (status, reason)  # nothing more is read from this connection
        self._disarm()
        log.info("refused a request head from %s: %s", self.client, reason)
        body = b'{"code": "%s", "detail": "%s"}' % (
            b"request_timeout" if status == 408 else b"header_too_large",
            reason.encode(),
        )
        self.transport.write(
            b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s"
            % (status, _REASONS[status], len(body), body)
        )
        # Close our side and drain what the client still sends for a moment (data_received
        # drops it): closing with unread data would reset the connection and lose the answer.
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_S, self.transport.close)
