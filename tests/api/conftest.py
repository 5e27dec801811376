"""API fixtures: apps with the lifespan running, on a fake engine, Apertium or tiny Marian."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.api.app import create_app, sentence_engine
from service.config import Settings
from service.translate.base import Translator
from tests.api.fakes import TagEngine
from tests.conftest import SEEDS

MakeClient = Callable[..., TestClient]

ENGLISH = (SEEDS / "guatemala-us-migration-security.en.txt").read_text(encoding="utf-8")
SPANISH = (
    "Guatemala se comprometió a aumentar de forma significativa los vuelos de deportación. "
    "El presidente Bernardo Arévalo anunció un aumento del cuarenta por ciento en esos vuelos "
    "durante una conferencia de prensa con el secretario de Estado.\n\n"
    "Los vuelos llevarán a ciudadanos guatemaltecos y a migrantes de otros países. "
    "El gobierno creará una nueva fuerza de tarea para proteger la frontera con México. "
    "Según el ministro, el plan busca reducir el tráfico de drogas y de personas en la región."
)


@contextmanager
def serving(app: FastAPI, **config: Any) -> Iterator[int]:
    """``app`` under a real uvicorn server in a thread of this process; yields its port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, port=port, lifespan="on", **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@pytest.fixture
def engine() -> TagEngine:
    return TagEngine()


@pytest.fixture
def make_client(engine: TagEngine) -> Iterator[MakeClient]:
    """Build apps (lifespan running) with settings overrides; all are closed at teardown."""
    stack: list[TestClient] = []

    def make(translator: Translator | None = engine, **overrides: Any) -> TestClient:
        app = create_app(Settings(**overrides))
        if translator is not None:
            app.dependency_overrides[sentence_engine] = lambda settings: translator
        client = TestClient(app)
        client.__enter__()
        stack.append(client)
        if isinstance(translator, TagEngine):  # forget the lifespan's warm-up briefs
            translator.entered.clear()
            translator.batches.clear()
        return client

    yield make
    for client in reversed(stack):
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()
