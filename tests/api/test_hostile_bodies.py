"""Hostile LibreTranslate bodies get a clear 4xx, never a 500 (issue 12, defects 1 and 2)."""

from __future__ import annotations

from tests.api.conftest import MakeClient


def test_deeply_nested_json_is_a_clear_error(make_client: MakeClient) -> None:
    client = make_client()
    body = b'{"q":' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    for path in ("/detect", "/translate"):
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        assert 400 <= response.status_code < 500, response.text
        assert "nested too deeply" in response.json()["error"]


def test_a_lone_surrogate_api_key_is_forbidden_not_a_crash(make_client: MakeClient) -> None:
    client = make_client(api_keys=["k1"])
    response = client.post(
        "/translate",
        content=b'{"q": "hi", "target": "es", "api_key": "\\ud800"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 403, response.text
    assert "not valid" in response.json()["error"]
