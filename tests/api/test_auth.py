"""Optional API keys: off by default; with BRIEFS_API_KEYS set, a key is needed for work."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import MakeClient

BODY = {"text": "Hello there.", "source": "en", "target": "es"}


@pytest.fixture
def locked(make_client: MakeClient) -> TestClient:
    return make_client(api_keys=["alpha-key", "beta-key"])


def test_no_key_needed_by_default(client: TestClient) -> None:
    assert client.post("/v1/translate", json=BODY).status_code == 200


def test_a_missing_key_is_401_with_a_message(locked: TestClient) -> None:
    response = locked.post("/v1/translate", json=BODY)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["code"] == "unauthorized" and "API key" in body["detail"]
    assert "X-API-Key" in body["hint"]


def test_a_wrong_key_is_403(locked: TestClient) -> None:
    response = locked.post("/v1/briefs", json={"text": "x"}, headers={"X-API-Key": "nope"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    "headers", [{"Authorization": "Bearer beta-key"}, {"X-API-Key": "alpha-key"}]
)
def test_a_valid_key_in_either_header_works(locked: TestClient, headers: dict[str, str]) -> None:
    assert locked.post("/v1/translate", json=BODY, headers=headers).status_code == 200


def test_probes_and_languages_stay_open(locked: TestClient) -> None:
    for path in ("/healthz", "/readyz", "/v1/languages", "/languages"):
        assert locked.get(path).status_code == 200, path
    assert locked.get("/metrics").status_code == 401  # a key, or BRIEFS_METRICS_TOKEN


def test_libretranslate_key_in_the_body(locked: TestClient) -> None:
    form = {"q": "Hello there.", "source": "en", "target": "es"}
    assert locked.post("/translate", data={**form, "api_key": "beta-key"}).status_code == 200
    wrong = locked.post("/translate", data={**form, "api_key": "nope"})
    assert wrong.status_code == 403 and "not valid" in wrong.json()["error"]
    missing = locked.post("/detect", json={"q": "Hello there."})
    assert missing.status_code == 401 and "API key" in missing.json()["error"]


@pytest.mark.parametrize(
    "send",
    [
        {"json": {"q": "Hello there.", "source": "en", "target": "es", "api_key": 5}},
        {"json": {"q": "Hello there.", "source": "en", "target": "es", "api_key": ["beta-key"]}},
        {"data": {"q": "Hello there.", "source": "en", "target": "es",
                  "api_key": ["beta-key", "alpha-key"]}},
    ],
)  # fmt: skip
def test_libretranslate_key_that_is_not_one_string_is_a_client_error(
    locked: TestClient, send: dict[str, Any]
) -> None:
    for path in ("/translate", "/detect"):
        response = locked.post(path, **send)
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert "api_key must be one string" in response.json()["error"]
