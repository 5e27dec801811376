"""CORS from BRIEFS_CORS_ORIGINS, in process: preflights answered on every route before the
key, admission and rate limits; errors carry the headers; `*` never with credentials; none
by default. (tests/web/test_cors_browser.py has a real browser on another origin.)"""

from __future__ import annotations

import threading

import httpx
import pytest
from fastapi.testclient import TestClient

from service.config import Settings, SettingsError, get_settings
from tests.api.conftest import MakeClient
from tests.api.fakes import TagEngine

SITE = "https://news.example"
ROUTES = ["/translate", "/detect", "/languages", "/frontend/settings", "/spec", "/v1/translate",
          "/v1/briefs", "/v1/detect", "/metrics", "/readyz", "/no-such-route"]  # fmt: skip


def _preflight(client: TestClient, path: str, origin: str = SITE) -> httpx.Response:
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-api-key",
        },
    )


@pytest.mark.parametrize("path", ROUTES)
def test_a_preflight_is_answered_on_every_route_without_a_key(
    make_client: MakeClient, path: str
) -> None:
    client = make_client(cors_origins=f"{SITE},http://localhost:3000", api_keys="k1")
    response = _preflight(client, path)
    assert response.status_code == 200
    headers = response.headers
    assert headers["access-control-allow-origin"] == SITE
    assert headers["access-control-allow-credentials"] == "true"
    assert "POST" in headers["access-control-allow-methods"]
    assert {"content-type", "x-api-key"} <= {
        h.strip().lower() for h in headers["access-control-allow-headers"].split(",")
    }


def test_an_origin_not_listed_gets_no_permission(make_client: MakeClient) -> None:
    client = make_client(cors_origins=SITE)
    refused = _preflight(client, "/translate", origin="https://evil.example")
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    simple = client.get("/languages", headers={"Origin": "https://evil.example"})
    assert simple.status_code == 200 and "access-control-allow-origin" not in simple.headers


def test_any_origin_never_with_credentials(make_client: MakeClient) -> None:
    client = make_client(cors_origins="*")
    preflight = _preflight(client, "/translate", origin="https://anywhere.example")
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in preflight.headers
    answer = client.post(
        "/translate",
        json={"q": "Good night.", "source": "en", "target": "es"},
        headers={"Origin": "https://anywhere.example"},
    )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in answer.headers
    assert "x-request-id" in answer.headers["access-control-expose-headers"].lower()


def test_error_answers_carry_the_headers(make_client: MakeClient, engine: TagEngine) -> None:
    client = make_client(cors_origins=SITE, api_keys="k1", rate_limit="1/minute", queue_size=1)
    origin = {"Origin": SITE}
    body = {"q": "Good night.", "source": "en", "target": "es"}
    unauthorized = client.post(
        "/v1/translate", json={"text": "Hi.", "target": "es"}, headers=origin
    )
    forbidden = client.post("/translate", json={**body, "api_key": "nope"}, headers=origin)
    missing = client.get("/nothing", headers=origin)
    not_allowed = client.get("/translate", headers=origin)
    ok = client.post("/translate", json={**body, "api_key": "k1"}, headers=origin)
    limited = client.post("/translate", json={**body, "api_key": "k1"}, headers=origin)
    statuses = [r.status_code for r in (unauthorized, forbidden, missing, not_allowed, ok, limited)]
    assert statuses == [401, 403, 404, 405, 200, 429]
    for response in (unauthorized, forbidden, missing, not_allowed, ok, limited):
        assert response.headers["access-control-allow-origin"] == SITE, response.status_code
    assert "retry-after" in limited.headers["access-control-expose-headers"].lower()


def test_a_busy_server_answers_503_with_the_headers(
    make_client: MakeClient, engine: TagEngine
) -> None:
    client = make_client(cors_origins=SITE, queue_size=1)
    engine.gate.clear()  # the first request holds the only place
    first = threading.Thread(
        target=client.post,
        args=("/v1/translate",),
        kwargs={"json": {"text": "Hi.", "target": "es"}},
    )
    first.start()
    try:
        assert engine.entered.wait(10)
        busy = client.post("/translate", json={"q": "Hi.", "source": "en", "target": "es"},
                           headers={"Origin": SITE})  # fmt: skip
        assert busy.status_code == 503
        assert busy.headers["access-control-allow-origin"] == SITE
        preflight = _preflight(client, "/translate")  # never waits for, nor counts as, work
        assert preflight.status_code == 200
    finally:
        engine.gate.set()
        first.join(10)


def test_no_origins_no_cors(client: TestClient) -> None:
    response = _preflight(client, "/translate")
    assert response.status_code == 405
    assert "access-control-allow-origin" not in response.headers
    simple = client.get("/languages", headers={"Origin": SITE})
    assert not any(h.startswith("access-control-") for h in simple.headers)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("https://news.example/", "no path"),
        ("news.example", "not a web origin"),
        ("*,https://news.example", "alone"),
    ],
)
def test_a_bad_origin_fails_at_start_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str, words: str
) -> None:
    monkeypatch.setenv("BRIEFS_CORS_ORIGINS", value)
    with pytest.raises(SettingsError, match="BRIEFS_CORS_ORIGINS") as raised:
        get_settings()
    assert words in str(raised.value)


def test_origins_are_read_as_a_comma_list() -> None:
    assert Settings(cors_origins=" https://a.example , http://127.0.0.1:8080,").cors_origins == [
        "https://a.example",
        "http://127.0.0.1:8080",
    ]
