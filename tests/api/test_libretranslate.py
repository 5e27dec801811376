"""LibreTranslate-compatible routes, in process: its parameters, shapes and errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import FormData

from service.text import detect
from tests.api.fakes import TagEngine, tag


def test_translate_json_with_explicit_languages(client: TestClient) -> None:
    response = client.post("/translate", json={"q": "Hello there.", "source": "en", "target": "es"})
    assert response.status_code == 200
    assert response.json() == {"translatedText": tag("Hello there.", "es")}


def test_translate_form_with_auto_source_reports_the_detection(client: TestClient) -> None:
    body = client.post(
        "/translate",
        data={"q": "The polls close at nine tonight.", "source": "auto", "target": "es"},
    ).json()
    assert body["translatedText"] == tag("The polls close at nine tonight.", "es")
    assert body["detectedLanguage"]["language"] == "en"
    assert 0 < body["detectedLanguage"]["confidence"] <= 100


def test_translate_a_list_of_texts(client: TestClient) -> None:
    body = client.post(
        "/translate", json={"q": ["Hola amigos.", "Buenas noches."], "source": "es", "target": "en"}
    ).json()
    assert body == {"translatedText": [tag("Hola amigos.", "en"), tag("Buenas noches.", "en")]}


def test_translate_multipart_and_query_parameters(client: TestClient) -> None:
    multipart = client.post(
        "/translate",
        data={"q": "Good morning.", "source": "en", "target": "es"},
        files={"unused": ("a.txt", b"ignored")},
    )
    assert multipart.json() == {"translatedText": tag("Good morning.", "es")}
    query = client.post("/translate?q=Good%20night.&source=en&target=es")
    assert query.json() == {"translatedText": tag("Good night.", "es")}


def test_translate_html_keeps_markup(client: TestClient) -> None:
    body = client.post(
        "/translate",
        json={"q": '<p class="x">Good <b>day</b></p>', "source": "en", "target": "es",
              "format": "html"},
    ).json()  # fmt: skip
    # One sentence: translated whole, the <b> put back around its word.
    assert body["translatedText"] == '<p class="x">GOOD <b>DAY ~es</b></p>'
    assert tag("Good day", "es") == "GOOD DAY ~es"


def test_text_already_in_the_target_comes_back_unchanged(client: TestClient) -> None:
    body = client.post(
        "/translate", json={"q": "Buenas noches a todos.", "source": "auto", "target": "es"}
    ).json()
    assert body["translatedText"] == "Buenas noches a todos."
    assert body["detectedLanguage"]["language"] == "es"


def test_alternatives_are_answered_in_its_shape(client: TestClient) -> None:
    body = client.post(
        "/translate", json={"q": "Hello.", "source": "en", "target": "es", "alternatives": 3}
    ).json()
    assert body["alternatives"] == []


def test_detect_and_languages(client: TestClient) -> None:
    detected = client.post("/detect", data={"q": "Buenas noches a todos, amigos."}).json()
    assert len(detected) == 1 and detected[0]["language"] == "es"
    assert 0 < detected[0]["confidence"] <= 100
    assert client.get("/languages").json() == [
        {"code": "en", "name": "English", "targets": ["es"]},
        {"code": "es", "name": "Spanish", "targets": ["en"]},
    ]


def test_errors_use_its_error_shape(client: TestClient) -> None:
    cases = [
        (client.post("/translate", json={"source": "en", "target": "es"}), 400, "body.q"),
        (client.post("/translate", data={"q": "hi", "source": "en", "target": "de"}), 422, "'de'"),
        (client.post("/translate", json={"q": "hi", "source": "xx", "target": "es"}), 422, "'xx'"),
        (
            client.post("/translate", json={"q": "hi", "source": "en", "target": "en"}),
            422,
            "already in English",
        ),
        (client.post("/translate", json={"q": "", "source": "en", "target": "es"}), 400, "empty"),
        (
            client.post(
                "/translate", content=b"{oops", headers={"content-type": "application/json"}
            ),
            422,
            "not valid JSON",
        ),
        (client.post("/translate", json=["q"]), 422, "JSON body must be an object"),
        (
            client.post("/translate", content=b"q=hi", headers={"content-type": "text/plain"}),
            415,
            "form",
        ),
        (client.post("/detect", data={}), 400, "body.q"),
    ]
    for response, status, words in cases:
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert list(body) == ["error"] and words in body["error"], body


def test_a_mixed_list_with_auto_source_is_detected_per_item(
    client: TestClient, engine: TagEngine
) -> None:
    english = ["The polls close at nine tonight.", "The mayor spoke to the press on Monday."]
    spanish = "El presidente anunció un aumento de los vuelos de deportación."
    q = [english[0], spanish, english[1]]
    body = client.post("/translate", json={"q": q, "source": "auto", "target": "es"}).json()
    assert body["translatedText"] == [tag(english[0], "es"), spanish, tag(english[1], "es")]
    assert [d["language"] for d in body["detectedLanguage"]] == ["en", "es", "en"]
    assert all(0 < d["confidence"] <= 100 for d in body["detectedLanguage"])
    assert [sorted(batch) for batch in engine.batches] == [sorted(english)]  # one group


def test_auto_source_is_detected_once_per_text(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    ranked = detect._ranked

    def counting(text: str) -> list[detect.Detection]:
        calls.append(text)
        return ranked(text)

    monkeypatch.setattr(detect, "_ranked", counting)
    body = client.post(
        "/translate", json={"q": "The polls close at nine tonight.", "target": "es"}
    ).json()
    assert body["detectedLanguage"]["language"] == "en"
    assert len(calls) == 1


def test_the_form_is_closed_after_reading(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[FormData] = []
    close = FormData.close

    async def recording(self: FormData) -> None:
        closed.append(self)
        await close(self)

    monkeypatch.setattr(FormData, "close", recording)
    response = client.post(
        "/translate",
        data={"q": "Good morning.", "source": "en", "target": "es"},
        files={"unused": ("a.txt", b"ignored")},
    )
    assert response.status_code == 200
    assert len(closed) == 1
