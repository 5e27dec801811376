"""Every route on the real engines: Apertium, and the tiny Marian models on CTranslate2."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.briefs import LOW_QUALITY_WARNING
from tests.api.conftest import ENGLISH, SPANISH, MakeClient

pytestmark = pytest.mark.slow


@pytest.fixture(params=["apertium", "ctranslate2"])
def real(
    request: pytest.FixtureRequest, make_client: MakeClient, installed_models: Path
) -> TestClient:
    # Random tiny weights never emit </s>: cap the output length to keep the test short.
    return make_client(translator=None, engine=request.param, max_decoding_length=16)


def _engine(client: TestClient) -> str:
    name: str = client.get("/readyz").json()["engines"]["en-es"]["engine"]
    return name


def test_readiness_and_languages_name_the_engine(real: TestClient) -> None:
    ready = real.get("/readyz").json()
    engine = ready["engines"]["en-es"]["engine"]
    assert engine in ("apertium", "ctranslate2")
    assert ready["engines"]["es-en"]["engine"] == engine
    assert ready["engines"]["en-es"]["low_quality"] is (engine == "apertium")
    assert real.get("/v1/languages").json()["engines"]["es-en"]["engine"] == engine


def test_translate_both_directions_and_formats(real: TestClient) -> None:
    engine = _engine(real)
    to_es = real.post(
        "/v1/translate",
        json={"text": ["The flights will increase.", "Good night."], "target": "es"},
    ).json()
    to_en = real.post(
        "/v1/translate", json={"text": "Los vuelos aumentarán.", "source": "es", "target": "en"}
    ).json()
    html = real.post(
        "/v1/translate",
        json={"text": '<p>The <a href="/x">flights</a> increase.</p>', "target": "es",
              "format": "html"},
    ).json()  # fmt: skip
    assert to_es["engine"]["engine"] == to_en["engine"]["engine"] == engine
    assert len(to_es["translation"]) == 2 and all(to_es["translation"]) and to_en["translation"]
    assert html["translation"].startswith("<p>") and '<a href="/x">' in html["translation"]
    if engine == "apertium":
        assert "vuelos" in to_es["translation"][0]
        assert "flights" in to_en["translation"]


def test_briefs_in_both_languages(real: TestClient) -> None:
    engine = _engine(real)
    english, spanish = real.post(
        "/v1/briefs",
        json=[
            {
                "text": ENGLISH,
                "title": "Guatemala increases flights",
                "include_full_translation": True,
            },
            {"text": SPANISH},
        ],
    ).json()
    assert english["source_language"] == "en" and spanish["source_language"] == "es"
    assert english["es"]["title"] and english["es"]["short"] and english["es"]["long"]
    assert english["full_translation"]["language"] == "es" and english["full_translation"]["text"]
    assert spanish["en"]["short"] and spanish["es"]["short"] in SPANISH
    assert english["engines"]["translation"]["engine"] == engine
    assert (LOW_QUALITY_WARNING in english["warnings"]) is (engine == "apertium")
    if engine == "apertium":
        assert "Guatemala" in english["es"]["title"] and "vuelos" in english["es"]["title"]


def test_summarize_detect_and_libretranslate(real: TestClient) -> None:
    summary = real.post("/v1/summarize", json={"text": SPANISH, "length": "long"}).json()
    assert summary["language"] == "es" and summary["long"]
    assert real.post("/v1/detect", json={"text": SPANISH}).json()["language"] == "es"
    lt = real.post("/translate", data={"q": "Good night.", "source": "en", "target": "es"})
    assert lt.status_code == 200 and lt.json()["translatedText"]
    assert real.post("/detect", data={"q": SPANISH}).json()[0]["language"] == "es"
