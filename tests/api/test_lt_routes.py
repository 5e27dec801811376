"""The rest of LibreTranslate's surface, in process: /frontend/settings, /spec, /detect with a
list, every /translate field, alternatives, and its error shape on unknown routes."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import MakeClient
from tests.api.fakes import tag

ENGLISH = "The polls close at nine tonight and the results come tomorrow."
SPANISH = "Las urnas cierran a las nueve de la noche y los resultados llegan mañana."


def test_frontend_settings_are_filled_from_the_settings(make_client: MakeClient) -> None:
    body = make_client(max_text_chars=1234).get("/frontend/settings").json()
    assert body == {
        "charLimit": 1234,
        "frontendTimeout": 500,
        "apiKeys": False,
        "keyRequired": False,
        "suggestions": False,
        "filesTranslation": True,
        "supportedFilesFormat": [".txt", ".html", ".md", ".docx"],
        "language": {
            "source": {"code": "auto", "name": "Auto Detect"},
            "target": {"code": "es", "name": "Spanish"},
        },
    }
    keyed = make_client(api_keys="k1", suggestions=True).get("/frontend/settings").json()
    assert keyed["apiKeys"] is keyed["keyRequired"] is keyed["suggestions"] is True


def test_spec_is_the_openapi_document(client: TestClient) -> None:
    spec = client.get("/spec")
    assert spec.status_code == 200 and spec.json() == client.get("/openapi.json").json()
    assert {"/translate", "/detect", "/languages", "/frontend/settings", "/spec"} <= set(
        spec.json()["paths"]
    )
    fields = spec.json()["paths"]["/translate"]["post"]["requestBody"]["content"]
    schema = fields["application/json"]["schema"]["properties"]
    assert {"q", "source", "target", "format", "alternatives", "api_key", "secret"} <= set(schema)


def test_detect_a_list_answers_one_ranked_list_as_libretranslate(client: TestClient) -> None:
    one = client.post("/detect", json={"q": [ENGLISH]}).json()
    assert [d["language"] for d in one] == ["en"]
    both = client.post("/detect", json={"q": [SPANISH, ENGLISH, "Buenas noches a todos."]})
    assert both.status_code == 200, both.text
    ranked = both.json()
    assert [d["language"] for d in ranked] == ["es", "en"]  # Spanish has most characters
    assert all(0 < d["confidence"] <= 100 for d in ranked)
    form = client.post("/detect", data={"q": [ENGLISH, ENGLISH]}).json()
    assert [d["language"] for d in form] == ["en"]


def test_detect_list_errors_name_the_text(client: TestClient) -> None:
    for q, words in (([], "q"), ([ENGLISH, "12345 !!!"], "text 2 of 2")):
        response = client.post("/detect", json={"q": q})
        assert 400 <= response.status_code < 500
        assert list(response.json()) == ["error"] and words in response.json()["error"]


def test_every_translate_field_it_accepts_is_accepted(make_client: MakeClient) -> None:
    client = make_client(api_keys="k1")
    fields = {"q": ENGLISH, "source": "en", "target": "es", "format": "text", "api_key": "k1",
              "secret": "ABCD1234", "alternatives": "0", "unknown_extra": "ignored"}  # fmt: skip
    for sent in (client.post("/translate", json=fields), client.post("/translate", data=fields)):
        assert sent.status_code == 200, sent.text
        assert sent.json() == {"translatedText": tag(ENGLISH, "es")}


def test_alternatives_are_bounded(client: TestClient) -> None:
    for wanted in ("6", "-1", "many"):
        response = client.post(
            "/translate",
            data={"q": ENGLISH, "source": "en", "target": "es", "alternatives": wanted},
        )
        assert response.status_code == 400, response.text
        assert "alternatives" in response.json()["error"]


def test_an_engine_without_alternatives_says_so(client: TestClient) -> None:
    response = client.post(
        "/translate",
        json={"q": [ENGLISH, "Hi."], "source": "en", "target": "es", "alternatives": 2},
    )
    assert response.json()["alternatives"] == [[], []]
    assert response.headers["x-briefs-alternatives"] == "none; the tag engine gives one"


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_alternatives_from_the_neural_engines(
    make_client: MakeClient, installed_models: Path, engine: str
) -> None:
    client = make_client(translator=None, engine=engine, max_decoding_length=12)
    single = client.post(
        "/translate", json={"q": ENGLISH, "source": "en", "target": "es", "alternatives": 3}
    )
    body = single.json()
    assert single.headers["x-briefs-alternatives"] == "n-best"
    assert (
        len(set(body["alternatives"])) == 3 and body["translatedText"] not in body["alternatives"]
    )
    listed = client.post(
        "/translate",
        data={"q": [ENGLISH, SPANISH], "source": "auto", "target": "es", "alternatives": "2"},
    ).json()
    # The Spanish text is kept as it is: no alternatives for it.
    assert [len(set(a)) for a in listed["alternatives"]] == [2, 0]
    assert listed["translatedText"][1] == SPANISH
    plain = client.post("/translate", json={"q": ENGLISH, "source": "en", "target": "es"}).json()
    assert "alternatives" not in plain and plain["translatedText"] == body["translatedText"]


@pytest.mark.parametrize(
    ("method", "path", "status", "words"),
    [
        ("get", "/translate", 405, "GET is not allowed on /translate"),
        ("get", "/detect", 405, "GET"),
        ("post", "/languages", 405, "POST"),
        ("post", "/spec", 405, "POST"),
        ("post", "/frontend/settings", 405, "POST"),
        ("get", "/no-such-route", 404, "/no-such-route"),
        ("get", "/download_file/abc.txt", 404, "no translated file under this link"),
    ],
)
def test_its_error_shape_on_404_and_405(
    client: TestClient, method: str, path: str, status: int, words: str
) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert list(response.json()) == ["error"] and words in response.json()["error"]


def test_native_routes_keep_problem_json(client: TestClient) -> None:
    for path in ("/v1/nothing", "/static/nothing.js", "/healthz/x"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json", path
