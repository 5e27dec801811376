"""Hardening at the edge (issue 12): keep-alive after a 500, keys before bodies, no key in
the access log, a named reason for every unreadable body, strict booleans, HEAD as GET."""

from __future__ import annotations

import gzip
import http.client
import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app, sentence_engine
from service.config import Settings
from tests.api.conftest import MakeClient, serving
from tests.api.fakes import TagEngine

KEYS = {"api_keys": ["k1"]}


@pytest.fixture
def live(engine: TagEngine) -> Iterator[int]:
    """A real uvicorn server in this process with one extra route that always fails."""
    app = create_app(Settings(api_keys=["k1"]))
    app.dependency_overrides[sentence_engine] = lambda settings: engine

    @app.get("/v1/fails")
    def fails() -> None:
        raise RuntimeError("a bug in a route")

    with serving(app, log_level="info") as port:
        yield port


def test_a_500_keeps_the_connection_and_names_its_request_id(
    live: int, caplog: pytest.LogCaptureFixture
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", live, timeout=10)
    connection.request("GET", "/v1/fails", headers={"X-Request-ID": "trace-42"})
    failed = connection.getresponse()
    body = json.loads(failed.read())
    assert failed.status == 500 and body["code"] == "internal_error"
    assert failed.getheader("X-Request-ID") == "trace-42" and "trace-42" in body["detail"]
    assert failed.getheader("Connection") != "close"
    connection.request("GET", "/healthz")  # the same connection still works
    after = connection.getresponse()
    assert after.status == 200 and after.read()
    assert len(after.getheader("X-Request-ID") or "") == 32  # a fresh id of its own
    connection.close()
    logged = [r for r in caplog.records if "unexpected error" in r.getMessage()]
    assert len(logged) == 1 and "trace-42" in logged[0].getMessage()


def test_a_query_string_key_never_reaches_the_access_log(
    live: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    connection = http.client.HTTPConnection("127.0.0.1", live, timeout=10)
    connection.request("POST", "/translate?api_key=k1&q=hi&target=es&source=en")
    answer = connection.getresponse()
    answer.read()
    connection.close()
    assert answer.status == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert any("/translate?api_key=[redacted]&q=hi" in line for line in lines), lines
    assert not any("k1" in line for line in lines)


def test_the_key_is_checked_before_the_body(make_client: MakeClient) -> None:
    client = make_client(**KEYS)
    broken = b'{"text": "unfinished'
    for path in ("/v1/translate", "/v1/briefs", "/v1/briefs/markdown"):
        answer = client.post(path, content=broken, headers={"Content-Type": "application/json"})
        assert answer.status_code == 401, (path, answer.text)
        wrong = client.post(path, content=broken, headers={"X-API-Key": "nope"})
        assert wrong.status_code == 403, (path, wrong.text)
    lt = client.post("/translate", content=broken, headers={"Authorization": "Bearer nope"})
    assert lt.status_code == 403 and "error" in lt.json()
    with_key = client.post(
        "/v1/translate",
        content=broken,
        headers={"X-API-Key": "k1", "Content-Type": "application/json"},
    )
    assert with_key.status_code == 400 and with_key.json()["code"] == "malformed_json"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"X-API-Key": "k1"}).status_code == 200
    scraped = make_client(**KEYS, metrics_token="scrape-me")
    assert scraped.get("/metrics", headers={"Authorization": "Bearer scrape-me"}).status_code == 200
    assert scraped.post("/v1/detect", headers={"X-API-Key": "scrape-me"}).status_code == 403
    assert client.get("/v1/languages").status_code == 200  # open, as before


@pytest.mark.parametrize(
    ("body", "headers", "status", "code", "says"),
    [
        (b'{"text": "caf\xe9", "target": "es"}', {}, 400, "invalid_utf8", "byte 13 (0xe9)"),
        (
            b'{"text": "caf\xe9", "target": "es"}',
            {"Content-Type": "application/json; charset=latin-1"},
            415,
            "unsupported_charset",
            "charset=latin-1",
        ),
        (
            gzip.compress(b'{"text": "hi", "target": "es"}'),
            {"Content-Encoding": "gzip"},
            415,
            "unsupported_encoding",
            "Content-Encoding: gzip",
        ),
        (b'{"text": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", {}, 400, "malformed_json", "deep"),
    ],
    ids=["invalid-utf8", "latin-1", "gzip", "deep"],
)
def test_an_unreadable_body_says_why(
    client: TestClient, body: bytes, headers: dict[str, str], status: int, code: str, says: str
) -> None:
    answer = client.post(
        "/v1/translate", content=body, headers={"Content-Type": "application/json", **headers}
    )
    assert answer.status_code == status, answer.text
    problem = answer.json()
    assert problem["code"] == code and says in problem["detail"]
    assert "There was an error parsing the body" not in answer.text


@pytest.mark.parametrize("loose", ["yes", 0.0, 1, "true"])
def test_booleans_are_strict(client: TestClient, loose: object) -> None:
    answer = client.post(
        "/v1/briefs", json={"text": "Hello there.", "include_full_translation": loose}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == "body.include_full_translation"


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    for path in ("/healthz", "/v1/languages", "/"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["content-length"] == str(len(got.content))
    assert client.head("/v1/translate").status_code == 405  # a POST route stays POST-only
