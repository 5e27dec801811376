"""Rate limits, per-key quotas and the keys file (issue 12), in memory and in a real Redis."""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.api import keys as keys_module
from service.api.app import create_app
from service.api.keys import KeyRing, key_hash, parse_keys_file
from service.config import Settings, SettingsError
from tests.api.conftest import MakeClient

ONE = {"text": "The volcano erupted.", "source": "en", "target": "es"}


def _translate(client: Any, key: str | None = None, **body: Any) -> Any:
    headers = {"X-API-Key": key} if key else {}
    return client.post("/v1/translate", json={**ONE, **body}, headers=headers)


def _refused(response: Any, code: str) -> dict[str, Any]:
    assert response.status_code == 429, response.text
    retry = int(response.headers["retry-after"])
    assert 1 <= retry <= 86_400
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


def _keys_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "keys.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_client_without_a_key_is_limited_by_its_address(make_client: MakeClient) -> None:
    client = make_client(rate_limit="2/minute")
    assert _translate(client).status_code == 200
    assert _translate(client).status_code == 200
    body = _refused(_translate(client), "rate_limited")
    assert "the address testclient reached its rate limit of 2 per 1 minute" in body["detail"]
    lt = client.post("/translate", json={"q": "Hi.", "source": "en", "target": "es"})
    assert lt.status_code == 429 and "rate limit" in lt.json()["error"]  # LibreTranslate's shape
    assert client.get("/v1/languages").status_code == 200  # reading is not counted


def test_several_windows_each_hold(make_client: MakeClient) -> None:
    client = make_client(rate_limit="100/second;3/hour")
    assert [_translate(client).status_code for _ in range(3)] == [200, 200, 200]
    assert "3 per 1 hour" in _refused(_translate(client), "rate_limited")["detail"]


def test_each_key_has_its_own_counter_and_its_own_rate(
    make_client: MakeClient, tmp_path: Path
) -> None:
    path = _keys_file(
        tmp_path, f"slow sha256:{key_hash('k-slow')} rate=1/minute\nfast k-fast  # plain key\n"
    )
    client = make_client(api_keys_file=path, rate_limit="3/minute")
    assert _translate(client, "k-slow").status_code == 200
    assert (
        "'slow' reached its rate limit of 1 per 1 minute"
        in (_refused(_translate(client, "k-slow"), "rate_limited")["detail"])
    )
    # The other key from the same address has the default rate and its own count.
    assert [_translate(client, "k-fast").status_code for _ in range(3)] == [200, 200, 200]
    _refused(_translate(client, "k-fast"), "rate_limited")
    assert _translate(client, "k-nope").status_code == 403  # unknown keys are refused


def test_a_libretranslate_body_key_counts_under_that_key(
    make_client: MakeClient, tmp_path: Path
) -> None:
    path = _keys_file(tmp_path, "one k1 rate=1/minute\ntwo k2 rate=1/minute\n")
    client = make_client(api_keys_file=path)

    def lt(key: str) -> Any:
        body = {"q": "Hello.", "source": "en", "target": "es", "api_key": key}
        return client.post("/translate", json=body)

    assert lt("k1").status_code == 200
    refused = lt("k1")
    assert refused.status_code == 429 and "'one'" in refused.json()["error"]
    assert lt("k2").status_code == 200
    form = client.post("/translate", data={"q": "Hi.", "target": "es", "api_key": "k2"})
    assert form.status_code == 429  # a form's key is the same key


def test_a_quota_counts_the_characters_sent(make_client: MakeClient, tmp_path: Path) -> None:
    path = _keys_file(tmp_path, "desk k1 chars=300/day\n")
    client = make_client(api_keys_file=path)
    assert _translate(client, "k1", text="x" * 150).status_code == 200  # ~210 characters
    body = _refused(_translate(client, "k1", text="y" * 150), "quota_exceeded")
    assert "'desk' has a quota of 300 characters per day" in body["detail"]
    assert "would pass it" in body["detail"]
    alone = _refused(_translate(client, "k1", text="z" * 400), "quota_exceeded")
    assert "this request alone has" in alone["detail"]
    assert alone["hint"] == "send less text per request"


def test_keys_added_to_the_file_work_without_a_restart(
    make_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    monkeypatch.setattr(keys_module, "RELOAD_EVERY_S", 0.0)
    path = _keys_file(tmp_path, "first k1\n")
    client = make_client(api_keys_file=path)
    assert _translate(client, "k2").status_code == 403
    path.write_text("first k1\nsecond k2\n", encoding="utf-8")
    assert _translate(client, "k2").status_code == 200
    with caplog.at_level(logging.ERROR, logger="service.api.keys"):
        path.write_text("first k1\nsecond k2 rate=lots\n", encoding="utf-8")  # a broken edit
        assert _translate(client, "k2").status_code == 200  # the keys read before stay
    assert "line 2: 'rate=lots' is not a limit" in caplog.text
    path.write_text("first k1\n", encoding="utf-8")
    assert _translate(client, "k2").status_code == 403  # and a removed key stops working


def test_an_empty_keys_file_means_keys_are_required(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client = make_client(api_keys_file=_keys_file(tmp_path, "# no keys yet\n"))
    assert _translate(client).status_code == 401


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lonely\n", "line 1: expected `NAME KEY [rate=...] [chars=...]`"),
        ("a k1\nb sha256:abc\n", "line 2: sha256: must be followed by 64 hex digits"),
        ("a k1 speed=1/second\n", "line 1: unknown option 'speed'"),
        ("a k1 chars=many\n", "line 1: 'chars=many' is not a limit"),
        ("a k1\nb k1\n", "line 2: the same key as 'a'"),
    ],
)
def test_a_bad_keys_file_names_its_line(text: str, message: str, tmp_path: Path) -> None:
    path = _keys_file(tmp_path, text)
    with pytest.raises(SettingsError, match="BRIEFS_API_KEYS_FILE") as caught:
        create_app(Settings(api_keys_file=path))
    assert message in caught.value.message


def test_a_keys_file_holds_hashes_and_limits(tmp_path: Path) -> None:
    digest = key_hash("secret")
    entries = parse_keys_file(
        f"# comment\n\nnews sha256:{digest.upper()} rate=10/second;1000/day chars=5000/day\n", "f"
    )
    entry = entries[digest]
    assert entry.name == "news" and entry.chars is not None and entry.chars.amount == 5000
    assert [str(item) for item in entry.rate or ()] == ["10 per 1 second", "1000 per 1 day"]
    assert "secret" not in entry.identity and digest[:32] in entry.identity
    ring = KeyRing(Settings(api_keys=["plain"], api_keys_file=_keys_file(tmp_path, "")))
    assert ring.lookup("plain") is not None and ring.lookup("secret") is None


def test_a_bad_rate_limit_setting_is_one_line() -> None:
    with pytest.raises(ValueError, match="'fast' is not a rate limit"):
        Settings(rate_limit="fast")


# --- Redis: the counters shared by replicas ----------------------------------------------


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real redis-server (Debian's package, installed by scripts/install) on a free port."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed: run scripts/install (apt redis-server)"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(10)


def test_replicas_share_their_counters_through_redis(
    make_client: MakeClient, redis_url: str, tmp_path: Path
) -> None:
    path = _keys_file(tmp_path, "shared k1 chars=500/day\n")
    settings = {"redis_url": redis_url, "rate_limit": "3/minute", "api_keys_file": path}
    first, second = make_client(**settings), make_client(**settings)
    statuses = [_translate(c, "k1").status_code for c in (first, second, first)]
    assert statuses == [200, 200, 200]
    _refused(_translate(second, "k1"), "rate_limited")  # the fourth, on the other replica
    import redis

    stored = redis.Redis.from_url(redis_url).keys("briefs*")
    assert stored and not any(b"k1" in key for key in stored)  # counted under a hash


def test_a_dead_counter_store_lets_requests_through_and_says_so(
    make_client: MakeClient, caplog: Any
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens there
    client = make_client(redis_url=f"redis://127.0.0.1:{port}/0", rate_limit="1/minute")
    with caplog.at_level(logging.ERROR, logger="service.api.ratelimit"):
        assert [_translate(client).status_code for _ in range(2)] == [200, 200]
    assert "rate limits not counted (the counter store failed)" in caplog.text


def test_briefs_keys_add_writes_a_hash_the_server_accepts(
    make_client: MakeClient, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from service.cli import app

    path = tmp_path / "keys.txt"
    added = CliRunner().invoke(
        app, ["keys", "add", "desk", "--file", str(path), "--rate", "1/minute"]
    )
    assert added.exit_code == 0, added.output
    key = added.stdout.strip().splitlines()[0]
    assert key not in path.read_text() and "desk sha256:" in path.read_text()
    client = make_client(api_keys_file=path)
    assert _translate(client, key).status_code == 200
    _refused(_translate(client, key), "rate_limited")
    again = CliRunner().invoke(app, ["keys", "add", "desk", "--file", str(path)])
    assert again.exit_code == 1 and "already has a key named 'desk'" in again.output
