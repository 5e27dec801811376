"""The app's lifecycle: models warmed before ready, the shared list pool, logging, languages."""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest

from service.api.app import LIST_WORKERS, create_app
from service.config import Settings
from tests.api.conftest import ENGLISH, SPANISH, MakeClient
from tests.api.fakes import TagEngine


@pytest.fixture
def corrupt_models(tiny_models_dir: Path, tmp_path: Path) -> Path:
    """A copy of the tiny models whose en-es CTranslate2 weights are garbage."""
    root = tmp_path / "corrupt-models"
    shutil.copytree(tiny_models_dir, root)
    (root / "translation" / "en-es" / "ct2-int8" / "model.bin").write_bytes(b"not a model" * 10)
    return root


@pytest.mark.slow
def test_a_model_that_cannot_load_means_not_ready(
    make_client: MakeClient, corrupt_models: Path
) -> None:
    client = make_client(translator=None, engine="ctranslate2", models_dir=corrupt_models)
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["code"] == "model_not_available"
    assert "en-es" in ready.json()["detail"]
    for text, target in ((ENGLISH, "es"), (SPANISH, "en")):
        work = client.post("/v1/translate", json={"text": text, "target": target})
        assert work.status_code == 503, work.text
        assert "en-es" in work.json()["detail"]


def test_an_engine_that_fails_to_warm_up_is_not_ready(make_client: MakeClient) -> None:
    class Broken(TagEngine):
        def count_tokens(self, texts: list[str], source: Any, target: Any) -> list[int]:
            raise KeyError("encoder.layers.0")

    client = make_client(translator=Broken())
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert "en-es model failed to load" in ready.json()["detail"]
    work = client.post("/v1/translate", json={"text": "Hello there.", "target": "es"})
    assert work.status_code == 503 and "failed to load" in work.json()["detail"]


def test_list_requests_share_one_bounded_pool(
    make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_client()
    services = client.app.state.services  # type: ignore[attr-defined]
    builder = services.engines.briefs
    threads: list[str] = []
    build = builder.build

    def recording(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return build(*args, **kwargs)

    monkeypatch.setattr(builder, "build", recording)
    articles = [{"text": ENGLISH}, {"text": SPANISH}, {"text": ENGLISH, "title": "Third"}]
    for _ in range(2):
        response = client.post("/v1/briefs", json=articles)
        assert response.status_code == 200
        assert [b["source_language"] for b in response.json()] == ["en", "es", "en"]
    assert len(threads) == 6
    assert all(name.startswith("briefs-list") for name in threads), threads
    assert len(set(threads)) <= LIST_WORKERS
    pool = services.list_pool
    client.__exit__(None, None, None)
    assert services.list_pool is None
    with pytest.raises(RuntimeError):  # shut down with the app
        pool.submit(print)


def test_log_level_applies_to_the_service_loggers(capsys: pytest.CaptureFixture[str]) -> None:
    service_logger = logging.getLogger("service")
    before = (service_logger.level, list(service_logger.handlers))
    try:
        for _ in range(2):  # several apps in one process: still one line per record
            create_app(Settings(log_level="debug"))
        logging.getLogger("service.api.example").debug("a debug line")
        assert capsys.readouterr().err.count("a debug line") == 1
        create_app(Settings(log_level="warning"))
        logging.getLogger("service.api.example").info("an info line")
        assert "an info line" not in capsys.readouterr().err
    finally:
        service_logger.setLevel(before[0])
        for handler in list(service_logger.handlers):
            if handler not in before[1]:
                service_logger.removeHandler(handler)


def test_languages_answer_while_the_engines_are_not_loaded(make_client: MakeClient) -> None:
    client = make_client(translator=None, engine="ctranslate2")  # no model installed
    assert client.get("/readyz").status_code == 503
    native = client.get("/v1/languages")
    assert native.status_code == 200
    assert native.json()["engines"] == {}
    codes = [language["code"] for language in native.json()["languages"]]
    assert codes == ["en", "es"]
    assert client.get("/languages").json() == native.json()["languages"]


def test_routes_get_threads_enough_to_fill_the_shared_batches(make_client: MakeClient) -> None:
    """Every plain ``def`` route holds a thread while its sentences wait in the batcher: with
    AnyIO's default 40, 64 clients could never fill two workers' batches."""
    import anyio.to_thread

    client = make_client(inter_threads=2, shared_batch_size=64)
    tokens = client.portal.call(  # type: ignore[union-attr]
        lambda: anyio.to_thread.current_default_thread_limiter().total_tokens
    )
    assert tokens == 256


def test_while_serving_start_up_objects_are_frozen_and_young_collections_rarer(
    make_client: MakeClient,
) -> None:
    import gc

    from service.memory import SERVING_YOUNG_THRESHOLD

    gc.unfreeze()
    before = gc.get_threshold()
    client = make_client()
    assert client.get("/readyz").status_code == 200
    assert gc.get_freeze_count() > 10_000  # the app, its engines and everything imported
    assert gc.get_threshold() == (SERVING_YOUNG_THRESHOLD, *before[1:])
    client.__exit__(None, None, None)
    assert gc.get_freeze_count() == 0  # a stopped app leaves nothing the collector cannot see
    assert gc.get_threshold() == before  # and the collector as it was


@pytest.mark.parametrize("on", [False, True])
def test_fastapi_telemetry_follows_the_setting(on: bool) -> None:
    app = create_app(Settings(opentelemetry=on))
    assert [app._telemetry[kind] for kind in ("tracing", "metrics", "logs")] == [on] * 3
