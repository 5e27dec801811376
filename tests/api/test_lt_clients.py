"""Two real LibreTranslate clients from PyPI, ``libretranslatepy`` and ``deep-translator``,
against a live uvicorn on 127.0.0.1 with real Apertium and API keys; then every
LibreTranslate route over HTTP, as a client that knows LibreTranslate sends them."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.error import HTTPError

import httpx
import pytest
from deep_translator import LibreTranslator
from deep_translator.exceptions import AuthorizationException
from libretranslatepy import LibreTranslateAPI

from service.api.app import create_app
from service.config import Settings
from service.translate.apertium import ApertiumTranslator
from tests.api.conftest import serving

pytestmark = pytest.mark.slow

KEY = "k-lt-clients"
ENGLISH = "The government announced a new plan for the border today."
SPANISH = "El gobierno anunció hoy un nuevo plan para la frontera."
PAGE = "http://127.0.0.1:9"  # an origin allowed below (nothing needs to listen there)


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    assert ApertiumTranslator.available(), "install apertium and apertium-eng-spa"
    settings = Settings(
        engine="apertium",
        models_dir=tmp_path_factory.mktemp("no-models"),
        api_keys=KEY,
        cors_origins=PAGE,
        max_text_chars=5000,
        log_level="warning",
    )
    with serving(create_app(settings), log_level="warning") as port:
        yield f"http://127.0.0.1:{port}"


def test_libretranslatepy_translates_detects_and_lists(url: str) -> None:
    lt = LibreTranslateAPI(url, api_key=KEY)
    with httpx.Client(base_url=url, headers={"X-API-Key": KEY}) as client:
        native = client.post("/v1/translate", json={"text": ENGLISH, "target": "es"}).json()
    assert lt.translate(ENGLISH, "en", "es") == native["translation"]
    assert lt.translate(ENGLISH, "auto", "es") == native["translation"]
    assert "gobierno" in native["translation"].lower()
    (detected,) = lt.detect(SPANISH)
    assert detected["language"] == "es" and 0 < detected["confidence"] <= 100
    assert [language["code"] for language in lt.languages()] == ["en", "es"]
    with pytest.raises(HTTPError) as refused:
        LibreTranslateAPI(url, api_key="wrong").translate(ENGLISH, "en", "es")
    assert refused.value.code == 403


def test_deep_translator_translates_one_and_a_batch(url: str) -> None:
    translator = LibreTranslator(source="es", target="en", api_key=KEY, custom_url=url + "/")
    one = translator.translate(SPANISH)
    assert "government" in one.lower()
    batch = translator.translate_batch([SPANISH, "Buenas noches."])
    assert batch[0] == one and len(batch) == 2 and batch[1].strip()
    with pytest.raises(AuthorizationException):
        LibreTranslator(source="es", target="en", api_key="wrong", custom_url=url + "/").translate(
            SPANISH
        )


def test_every_libretranslate_route_over_http(url: str) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        settings = client.get("/frontend/settings").json()
        assert settings["keyRequired"] is True and settings["charLimit"] == 5000
        assert client.get("/spec").json()["info"]["title"] == "Briefs"
        detected = client.post("/detect", json={"q": [SPANISH, ENGLISH], "api_key": KEY}).json()
        assert {d["language"] for d in detected} == {"es", "en"}
        translated = client.post(
            "/translate",
            json={"q": [ENGLISH], "source": "en", "target": "es", "alternatives": 2,
                  "format": "text", "api_key": KEY, "secret": "S3CR3T"},
        )  # fmt: skip
        assert translated.status_code == 200, translated.text
        assert translated.json()["alternatives"] == [[]]  # Apertium gives one translation
        assert translated.headers["x-briefs-alternatives"].startswith("none; the apertium")
        for method, path, status in (
            ("GET", "/translate", 405),
            ("GET", "/detect", 405),
            ("GET", "/missing", 404),
            ("POST", "/translate", 401),
        ):
            answer = client.request(method, path)
            assert answer.status_code == status
            assert list(answer.json()) == ["error"] and answer.json()["error"]
        preflight = client.options(
            "/translate",
            headers={"Origin": PAGE, "Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "content-type"},
        )  # fmt: skip
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == PAGE


def test_the_server_was_on_apertium(url: str) -> None:
    with httpx.Client(base_url=url) as client:
        assert client.get("/readyz").json()["engines"]["en-es"]["engine"] == "apertium"
