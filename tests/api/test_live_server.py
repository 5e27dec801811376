"""A real ``briefs serve`` (uvicorn) on 127.0.0.1 with the tiny Marian models (CTranslate2).

Concurrent requests get the same answers as serial ones, and the batch metrics show that
sentences from different requests shared engine batches. The LibreTranslate routes are
driven by ``libretranslatepy``, a real LibreTranslate client from PyPI.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from libretranslatepy import LibreTranslateAPI
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import REPO

pytestmark = pytest.mark.slow

SENTENCES = [
    "The government announced a new border plan today.",
    "Ministers met for several hours to discuss trade.",
    "The economy grew by three percent last quarter.",
    "Thousands of people celebrated the national team's victory.",
    "The president said new roads would create jobs.",
    "Health officials urged people to get vaccinated before winter.",
    "Experts warn that climate change will hurt farming.",
    "The company reported higher profits for the year.",
    "Students protested against higher university fees.",
    "Heavy rain flooded several towns in the north.",
    "Police arrested three suspects linked to a smuggling ring.",
    "The new hospital will treat thousands of patients every year.",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_server(tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m service serve`` on a free port; stopped (SIGTERM, then SIGKILL) at the end."""
    port = _free_port()
    tmp_path = tmp_path_factory.mktemp("live-server")
    env = {
        **os.environ,
        "BRIEFS_MODELS_DIR": str(tiny_models_dir),
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf-home"),
        "BRIEFS_ENGINE": "ctranslate2",
        "BRIEFS_CACHE_SIZE": "0",  # every request reaches the engine
        "BRIEFS_MAX_DECODING_LENGTH": "24",  # random weights never stop on their own
        "BRIEFS_BATCH_WAIT_MS": "30",
        "BRIEFS_LOG_LEVEL": "warning",
        "BRIEFS_CLIENT_TIMEOUT_S": "2",
    }
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not get ready in 90 s"
            time.sleep(0.2)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def _translate(client: httpx.Client, text: str) -> str:
    response = client.post(
        "/v1/translate", json={"text": text, "source": "en", "target": "es"}, timeout=60
    )
    assert response.status_code == 200, response.text
    translation: str = response.json()["translation"]
    return translation


def _histogram(metrics: str, name: str) -> dict[str, float]:
    """Bucket upper bound -> cumulative count, plus "count"."""
    values: dict[str, float] = {}
    for family in text_string_to_metric_families(metrics):
        if family.name == name:
            for sample in family.samples:
                if sample.name.endswith("_bucket"):
                    values[sample.labels["le"]] = sample.value
                elif sample.name.endswith("_count"):
                    values["count"] = sample.value
    return values


def test_concurrent_requests_equal_serial_ones_and_share_batches(live_server: str) -> None:
    with httpx.Client(base_url=live_server) as client:
        serial = [_translate(client, text) for text in SENTENCES]
        before = _histogram(client.get("/metrics").text, "briefs_batch_requests")
        # Serial requests never share a batch (a request may run more than one: retries).
        assert before["1.0"] == before["count"] >= len(SENTENCES)
        with ThreadPoolExecutor(max_workers=len(SENTENCES)) as pool:
            concurrent = list(pool.map(lambda text: _translate(client, text), SENTENCES))
        after = _histogram(client.get("/metrics").text, "briefs_batch_requests")
    assert concurrent == serial
    assert all(serial) and len(set(serial)) == len(SENTENCES)
    batches = after["count"] - before["count"]
    shared = batches - (after["1.0"] - before["1.0"])
    assert batches < before["count"], "concurrent requests ran as many batches as serial ones"
    assert shared >= 1, "no batch held sentences from more than one request"


def test_libretranslate_client_works_unchanged(live_server: str) -> None:
    lt = LibreTranslateAPI(live_server)
    with httpx.Client(base_url=live_server) as client:
        native = _translate(client, SENTENCES[0])
    assert lt.translate(SENTENCES[0], "en", "es") == native
    assert lt.translate(SENTENCES[0], "auto", "es") == native
    (detected,) = lt.detect("Las lluvias provocaron inundaciones en varias ciudades del norte.")
    assert detected["language"] == "es" and 0 < detected["confidence"] <= 100
    assert lt.languages() == [
        {"code": "en", "name": "English", "targets": ["es"]},
        {"code": "es", "name": "Spanish", "targets": ["en"]},
    ]


def test_serve_cuts_off_a_head_that_never_completes(live_server: str) -> None:
    """`briefs serve` runs the guarded protocol (tests/api/test_slow_clients.py tests it)."""
    host, port = live_server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=15) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    assert raw.startswith(b"HTTP/1.1 408 ") and b"within 2 s" in raw
