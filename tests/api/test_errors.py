"""Every error path answers 4xx (or 503) JSON problem details with a useful message."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.translate.batching import BatchingTranslator
from tests.api.conftest import MakeClient
from tests.api.fakes import TagEngine

FRENCH = "Le gouvernement a annoncé aujourd'hui un nouveau plan pour la sécurité."
JSON = {"content-type": "application/json"}


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["code"] == code, body
    assert body["title"] and body["detail"]
    return body


CASES: list[tuple[str, str, dict[str, Any], int, str, str]] = [
    # method, path, request kwargs, status, code, words the message must contain
    ("post", "/v1/translate", {"content": b'{"text": "hi", ', "headers": JSON}, 400,
     "malformed_json", "not valid JSON"),
    ("post", "/v1/briefs", {"content": b"[1, 2", "headers": JSON}, 400, "malformed_json", "JSON"),
    ("post", "/v1/translate", {"json": {"text": 5, "target": "es"}}, 422, "validation_error",
     "body.text"),
    ("post", "/v1/translate", {"json": {"text": "hi"}}, 422, "validation_error",
     "body.target: Field required"),
    ("post", "/v1/translate", {"json": {"text": "hi", "target": "fr"}}, 422,
     "validation_error", "'en' or 'es'"),
    ("post", "/v1/translate", {"json": {"text": "hi", "target": "es", "format": "pdf"}}, 422,
     "validation_error", "body.format"),
    ("post", "/v1/translate", {"json": {"text": "hi", "target": "es", "tgt": 1}}, 422,
     "validation_error", "body.tgt"),
    ("post", "/v1/translate", {"json": {"text": "", "target": "es"}}, 422, "validation_error",
     "empty"),
    ("post", "/v1/translate", {"json": {"text": "  \n ", "target": "es"}}, 422,
     "validation_error", "empty"),
    ("post", "/v1/translate", {"json": {"text": [], "target": "es"}}, 422, "validation_error",
     "list of texts is empty"),
    ("post", "/v1/translate", {"json": {"text": ["ok", ""], "target": "es"}}, 422,
     "validation_error", "item 1"),
    ("post", "/v1/translate", {"content": b'{"text": "\\ud800x", "target": "es"}',
     "headers": JSON}, 422, "validation_error", "surrogate"),
    ("post", "/v1/translate", {"json": {"text": "Hello there", "source": "en", "target": "en"}},
     422, "unsupported_pair", "already in English (en)"),
    ("post", "/v1/translate", {"json": {"text": "The vote begins today.", "target": "en"}},
     422, "unsupported_pair", "detected"),
    ("post", "/v1/translate", {"json": {"text": FRENCH, "target": "es"}}, 422,
     "unsupported_language", "French"),
    ("post", "/v1/briefs", {"json": {"text": FRENCH}}, 422, "unsupported_language", "French"),
    ("post", "/v1/briefs", {"json": {"text": "hi", "language": "fr"}}, 422, "validation_error",
     "body.language"),
    ("post", "/v1/briefs", {"json": []}, 422, "validation_error", "body"),
    ("post", "/v1/briefs", {"json": {"text": "   "}}, 422, "validation_error", "empty"),
    ("post", "/v1/summarize", {"json": {"text": "hi", "length": "medium"}}, 422,
     "validation_error", "body.length"),
    ("post", "/v1/detect", {"json": {"text": 3}}, 422, "validation_error", "body.text"),
    ("post", "/v1/detect", {"json": {"text": "12345 !!!"}}, 422, "unsupported_language",
     "could not detect"),
    ("post", "/v1/translate", {"content": b"text=hi", "headers":
     {"content-type": "application/x-www-form-urlencoded"}}, 415, "unsupported_media_type",
     "application/json"),
    ("post", "/v1/briefs", {"content": b"hi", "headers": {"content-type": "text/plain"}}, 415,
     "unsupported_media_type", "text/plain"),
    ("get", "/v1/nothing-here", {}, 404, "not_found", "/v1/nothing-here"),
    ("get", "/v1/translate", {}, 405, "method_not_allowed", "GET"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "code", "words"),
    CASES,
    ids=[f"{c[1]}-{c[4]}-{i}" for i, c in enumerate(CASES)],
)
def test_error_paths(
    client: TestClient,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    code: str,
    words: str,
) -> None:
    body = _problem(getattr(client, method)(path, **kwargs), status, code)
    assert words in body["detail"], body


def test_validation_errors_list_the_fields(client: TestClient) -> None:
    body = _problem(client.post("/v1/translate", json={"text": 1, "target": "de"}), 422,
                    "validation_error")  # fmt: skip
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"body.text", "body.target"}


def test_limits_name_their_setting(make_client: MakeClient) -> None:
    client = make_client(max_text_chars=50, max_items=2, max_body_bytes=2000)
    long_text = _problem(
        client.post("/v1/translate", json={"text": "word " * 20, "target": "es"}),
        413, "input_too_large",
    )  # fmt: skip
    assert "BRIEFS_MAX_TEXT_CHARS=50" in long_text["detail"]
    brief = _problem(client.post("/v1/briefs", json={"text": "word " * 20}), 413,
                     "input_too_large")  # fmt: skip
    assert "BRIEFS_MAX_TEXT_CHARS=50" in brief["detail"]
    items = _problem(
        client.post("/v1/translate", json={"text": ["a", "b", "c"], "target": "es"}),
        413, "input_too_large",
    )  # fmt: skip
    assert "BRIEFS_MAX_ITEMS=2" in items["detail"]
    body = _problem(
        client.post("/v1/translate", json={"text": "x" * 3000, "target": "es"}),
        413, "payload_too_large",
    )  # fmt: skip
    assert "BRIEFS_MAX_BODY_BYTES=2,000" in body["detail"]

    def chunks() -> Any:  # no Content-Length: the limit still holds
        yield b'{"text": "'
        for _ in range(30):
            yield b"x" * 100
        yield b'", "target": "es"}'

    streamed = client.post("/v1/translate", content=chunks(), headers=JSON)
    _problem(streamed, 413, "payload_too_large")


def test_a_full_server_answers_503_at_the_edge(make_client: MakeClient, engine: TagEngine) -> None:
    """BRIEFS_QUEUE_SIZE requests in progress: the next POST is refused before its body is read."""
    client = make_client(queue_size=2, batch_wait_ms=0, cache_size=0, inter_threads=1)
    batcher = client.app.state.services.engines.sentences  # type: ignore[attr-defined]
    assert isinstance(batcher, BatchingTranslator)
    engine.gate.clear()

    def send(text: str) -> Any:
        return client.post("/v1/translate", json={"text": text, "source": "en", "target": "es"})

    with ThreadPoolExecutor(max_workers=2) as pool:
        running = pool.submit(send, "The first sentence.")
        assert engine.entered.wait(5)
        queued = pool.submit(send, "The second sentence.")
        _wait_until(lambda: batcher.held >= 2)
        busy = send("The third sentence.")
        lt_busy = client.post("/translate", json={"q": "Hi there.", "source": "en", "target": "es"})
        engine.gate.set()
        assert running.result(10).status_code == 200
        assert queued.result(10).status_code == 200
    body = _problem(busy, 503, "busy")
    assert busy.headers["retry-after"] == "1"
    assert "2 requests in progress, BRIEFS_QUEUE_SIZE=2" in body["detail"]
    assert lt_busy.status_code == 503 and "BRIEFS_QUEUE_SIZE=2" in lt_busy.json()["error"]
    assert "briefs_queue_rejections_total 2.0" in client.get("/metrics").text
    assert send("Room again.").status_code == 200


def test_a_full_batcher_answers_503_with_retry_after(
    make_client: MakeClient, engine: TagEngine
) -> None:
    """Room for requests but not for their sentences: the batcher refuses, counting the running."""
    client = make_client(queue_size=3, batch_wait_ms=0, cache_size=0, inter_threads=1)
    batcher = client.app.state.services.engines.sentences  # type: ignore[attr-defined]
    engine.gate.clear()
    two = "The first sentence. The second one."
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(
            client.post, "/v1/translate", json={"text": two, "source": "en", "target": "es"}
        )
        assert engine.entered.wait(5)
        _wait_until(lambda: batcher.held >= 2)
        busy = client.post("/v1/translate", json={"text": two, "source": "en", "target": "es"})
        engine.gate.set()
        assert running.result(10).status_code == 200
    body = _problem(busy, 503, "busy")
    assert busy.headers["retry-after"] == "1"
    assert "2 being translated, BRIEFS_QUEUE_SIZE=3" in body["detail"]


def _wait_until(condition: Any) -> None:
    deadline = time.monotonic() + 10
    while not condition() and time.monotonic() < deadline:
        threading.Event().wait(0.005)
    assert condition()


def test_not_ready_when_no_engine_can_load(make_client: MakeClient) -> None:
    client = make_client(translator=None, engine="ctranslate2")  # no model installed
    assert client.get("/healthz").status_code == 200
    ready = _problem(client.get("/readyz"), 503, "model_not_available")
    assert "not ready" in ready["detail"] and "ctranslate2" in ready["detail"]
    work = _problem(client.post("/v1/translate", json={"text": "Hi there", "target": "es"}),
                    503, "model_not_available")  # fmt: skip
    assert "not ready" in work["detail"]


def test_an_engine_bug_is_still_a_json_error(make_client: MakeClient) -> None:
    broken = TagEngine(fail_with=RuntimeError("boom"))
    client = make_client(translator=broken)
    client.__exit__(None, None, None)
    with TestClient(client.app, raise_server_exceptions=False) as quiet:
        response = quiet.post("/v1/translate", json={"text": "Hello there.", "target": "es"})
    body = _problem(response, 500, "internal_error")
    assert "boom" not in body["detail"]  # internals stay in the log
