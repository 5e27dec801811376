"""Slow and oversized request heads and bodies (issue 12), on a live server that runs the
protocol ``briefs serve`` runs, with BRIEFS_CLIENT_TIMEOUT_S=1."""

from __future__ import annotations

import http.client
import json
import select
import socket
import time
from collections.abc import Iterator

import pytest

from service.api.app import create_app, sentence_engine
from service.api.protocol import MAX_HEAD_BYTES, MAX_HEADERS, GuardedHttpToolsProtocol
from service.config import Settings, get_settings
from tests.api.conftest import serving
from tests.api.fakes import TagEngine

TIMEOUT_S = 1.0


@pytest.fixture
def live(engine: TagEngine, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    monkeypatch.setenv("BRIEFS_CLIENT_TIMEOUT_S", str(TIMEOUT_S))
    get_settings.cache_clear()  # the protocol reads the process settings, as under `serve`
    app = create_app(Settings(client_timeout_s=TIMEOUT_S))
    app.dependency_overrides[sentence_engine] = lambda settings: engine
    try:
        with serving(app, log_level="warning", http=GuardedHttpToolsProtocol) as port:
            yield port
    finally:
        get_settings.cache_clear()


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def _read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def _status_and_body(raw: bytes) -> tuple[int, dict[str, object]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def _healthz(port: int) -> int:
    """The status of a normal request on a fresh connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/healthz")
    status = connection.getresponse().status
    connection.close()
    return status


def test_a_head_that_never_completes_gets_408_and_is_closed(live: int) -> None:
    with _connect(live) as sock:
        sock.sendall(b"POST /v1/translate HTTP/1.1\r\nHost: x\r\n")  # and then nothing
        start = time.monotonic()
        raw = _read_all(sock)
        waited = time.monotonic() - start
    status, body = _status_and_body(raw)
    assert status == 408 and body["code"] == "request_timeout"
    assert "within 1 s" in str(body["detail"])
    assert b"connection: close" in raw.lower()
    assert waited >= TIMEOUT_S * 0.8  # the deadline, not an instant refusal


def test_a_head_trickled_byte_by_byte_is_cut_at_the_deadline(live: int) -> None:
    """Each byte arrives in time, the head as a whole does not (slowloris)."""
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 200 + b"\r\n\r\n"
    raw = b""
    with _connect(live) as sock:
        for byte in head:  # the whole head would take about 5 s
            if select.select([sock], [], [], 0.02)[0]:
                raw = _read_all(sock)
                break
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                raw = _read_all(sock)
                break
    status, body = _status_and_body(raw)
    assert status == 408 and body["code"] == "request_timeout"


def test_a_connection_that_sends_nothing_is_closed(live: int) -> None:
    with _connect(live) as sock:
        assert _read_all(sock) == b""  # closed (recv would time out after 10 s otherwise)


def test_a_body_that_stops_coming_gets_408(live: int) -> None:
    with _connect(live) as sock:
        sock.sendall(
            b"POST /v1/translate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100\r\n\r\n" + b'{"text": "'
        )
        raw = _read_all(sock)
    status, body = _status_and_body(raw)
    assert status == 408 and body["code"] == "request_timeout"
    assert "request body did not arrive within 1 s (10 bytes came)" in str(body["detail"])


def test_a_huge_header_is_refused_early_not_buffered(live: int) -> None:
    """A 64 MB header: the 431 comes while the client is still sending, long before the end."""
    total = 64 * 1024 * 1024
    with _connect(live) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Huge: ")
        sent = 0
        while sent < total and not select.select([sock], [], [], 0)[0]:
            try:
                sock.sendall(b"a" * 65536)
            except OSError:
                break
            sent += 65536
        raw = _read_all(sock)
    assert sent < total / 4, sent
    status, body = _status_and_body(raw)
    assert status == 431 and "larger than 65,536 bytes" in str(body["detail"])


def test_a_huge_header_sent_at_once_gets_431(live: int) -> None:
    with _connect(live) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (2 * MAX_HEAD_BYTES))
        raw = _read_all(sock)
    status, body = _status_and_body(raw)
    assert status == 431 and body["code"] == "header_too_large"


def test_too_many_header_fields_get_431(live: int) -> None:
    fields = b"".join(b"X-F%d: v\r\n" % i for i in range(MAX_HEADERS + 1))
    with _connect(live) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n")
        raw = _read_all(sock)
    status, body = _status_and_body(raw)
    assert status == 431 and f"more than {MAX_HEADERS} header fields" in str(body["detail"])


def test_normal_heads_and_keep_alive_still_work(live: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", live, timeout=10)
    big = {f"X-F{i}": "v" * 100 for i in range(MAX_HEADERS - 10)}  # near both bounds
    for _ in range(3):
        connection.request("GET", "/healthz", headers=big)
        assert connection.getresponse().read()
    time.sleep(TIMEOUT_S * 1.5)  # idle between requests is keep-alive's business (5 s)
    connection.request("POST", "/v1/translate", body=b'{"text": "Hi.", "target": "es"}',
                       headers={"Content-Type": "application/json"})  # fmt: skip
    assert connection.getresponse().status == 200
    connection.close()


def test_many_idle_slow_connections_do_not_stop_normal_requests(live: int) -> None:
    idle = []
    for _ in range(200):
        sock = _connect(live)
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")  # a head begun and left hanging
        idle.append(sock)
    try:
        assert [_healthz(live) for _ in range(5)] == [200] * 5  # served while 200 heads hang
    finally:
        for sock in idle:
            sock.close()
