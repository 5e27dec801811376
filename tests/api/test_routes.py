"""Every native route on its happy path, with the lifespan running, on the fake engine."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import ENGLISH, SPANISH, MakeClient
from tests.api.fakes import TagEngine, tag


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "engines": {
            "en-es": {"engine": "tag", "model": "tag en-es", "low_quality": False},
            "es-en": {"engine": "tag", "model": "tag es-en", "low_quality": False},
        },
    }


def test_languages(client: TestClient) -> None:
    body = client.get("/v1/languages").json()
    assert body["languages"] == [
        {"code": "en", "name": "English", "targets": ["es"]},
        {"code": "es", "name": "Spanish", "targets": ["en"]},
    ]
    assert body["engines"]["es-en"] == {"engine": "tag", "model": "tag es-en", "low_quality": False}


def test_translate_one_text_detects_the_source(client: TestClient) -> None:
    response = client.post(
        "/v1/translate",
        json={"text": "The vote begins today. Polls close at nine.", "target": "es"},
    )
    assert response.status_code == 200
    assert response.json() == {
        "translation": f"{tag('The vote begins today.', 'es')} {tag('Polls close at nine.', 'es')}",
        "source": "en",
        "target": "es",
        "detected_language": "en",
        "engine": {"engine": "tag", "model": "tag en-es", "low_quality": False},
        "warnings": [],
        "checks": [],
    }


def test_translate_a_list_keeps_order_and_an_explicit_source_is_not_detected(
    client: TestClient,
) -> None:
    body = client.post(
        "/v1/translate",
        json={"text": ["Hola amigos.", "Buenas noches."], "source": "es", "target": "en"},
    ).json()
    assert body["translation"] == [tag("Hola amigos.", "en"), tag("Buenas noches.", "en")]
    assert body["source"] == "es" and body["detected_language"] is None


def test_translate_html_and_markdown_keep_markup(client: TestClient, engine: TagEngine) -> None:
    html = client.post(
        "/v1/translate",
        json={
            "text": '<p>The vote <a href="https://x.example/?a=1&amp;b=2">begins</a> today.</p>'
            "<code>keep()</code>",
            "source": "en",
            "target": "es",
            "format": "html",
        },
    ).json()
    # The sentence goes whole; the link is put back around its word.
    whole = tag("The vote begins today.", "es")
    link = '<a href="https://x.example/?a=1&amp;b=2">BEGINS</a>'
    assert html["translation"] == f"<p>{whole.replace('BEGINS', link)}</p><code>keep()</code>"
    markdown = client.post(
        "/v1/translate",
        json={
            "text": "# Election news\n\nSee `code` and [the results](https://r.example).",
            "target": "es",
            "format": "markdown",
        },
    ).json()
    # The sentence goes whole, code kept in it as written, the link put back around its words.
    assert markdown["translation"] == (
        f"# {tag('Election news', 'es')}\n\nSEE `code` AND [THE RESULTS](https://r.example). ~es"
    )
    assert markdown["detected_language"] == "en"


def test_summarize_both_and_one_length(client: TestClient) -> None:
    both = client.post("/v1/summarize", json={"text": ENGLISH}).json()
    assert both["language"] == "en" and both["method"] == "extractive"
    assert both["short"] and both["long"]
    assert len(both["short"]) < len(both["long"]) <= len(ENGLISH)
    assert both["short"].split()[0] in ENGLISH  # extractive: words of the article
    short = client.post(
        "/v1/summarize", json={"text": SPANISH, "length": "short", "language": "auto"}
    ).json()
    assert short["language"] == "es" and short["long"] is None and short["short"]


def test_detect(client: TestClient) -> None:
    english = client.post("/v1/detect", json={"text": "The polls close at nine tonight."}).json()
    assert english["language"] == "en" and english["supported"] is True
    assert 0 < english["confidence"] <= 1
    french = client.post(
        "/v1/detect", json={"text": "Le gouvernement a annoncé un nouveau plan aujourd'hui."}
    ).json()
    assert french["language"] == "fr" and french["supported"] is False


def test_brief_of_an_english_article(client: TestClient) -> None:
    response = client.post("/v1/briefs", json={"text": ENGLISH, "title": "Guatemala flights"})
    assert response.status_code == 200
    brief = response.json()
    assert brief["source_language"] == "en"
    assert brief["en"]["title"] == "Guatemala flights"
    assert brief["es"]["title"] == tag("Guatemala flights", "es")
    assert brief["es"]["short"].endswith("~es") and brief["es"]["long"].endswith("~es")
    assert brief["es"]["short"].startswith(brief["en"]["short"].split()[0].upper())
    assert brief["engines"] == {
        "translation": {"engine": "tag", "model": "tag en-es", "low_quality": False},
        "summary": {"method": "extractive", "model": None},
    }
    assert set(brief["timings_ms"]) == {"detect", "summarize", "translate", "total"}
    assert brief["full_translation"] is None


def test_briefs_for_a_list_keep_order_and_full_translation(client: TestClient) -> None:
    response = client.post(
        "/v1/briefs",
        json=[
            {"text": SPANISH, "include_full_translation": True},
            {"text": ENGLISH, "language": "en"},
        ],
    )
    assert response.status_code == 200
    spanish, english = response.json()
    assert spanish["source_language"] == "es" and english["source_language"] == "en"
    assert spanish["en"]["short"].endswith("~en") and spanish["es"]["title"] is None
    full = spanish["full_translation"]
    assert full["language"] == "en"
    assert full["text"].count("~en") == 5  # every sentence, paragraphs kept
    assert "\n\n" in full["text"]


def test_metrics_count_requests_sentences_and_cache_hits(client: TestClient) -> None:
    for _ in range(2):
        client.post("/v1/translate", json={"text": "Hello there, friends.", "target": "es"})
    text = client.get("/metrics").text
    assert 'briefs_http_requests_total{method="POST",route="/v1/translate",status="200"} 2.0' in (
        text
    )
    assert 'briefs_sentences_translated_total{direction="en-es"} 1.0' in text
    assert "briefs_translation_cache_hits_total 1.0" in text
    assert "briefs_batch_sentences_bucket" in text and "briefs_queue_depth" in text
    assert 'briefs_http_request_duration_seconds_count{method="POST",route="/v1/translate"}' in (
        text
    )


def test_openapi_and_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/v1/briefs", "/v1/translate", "/v1/summarize", "/v1/detect", "/translate"):
        assert path in schema["paths"]
    errors = schema["paths"]["/v1/translate"]["post"]["responses"]["422"]["content"]
    assert list(errors) == ["application/problem+json"]
    assert client.get("/docs").status_code == 200
    assert client.get("/redoc").status_code == 200
    # The documentation's sections keep the product's order, whatever the routing order.
    tags = [tag["name"] for tag in schema["tags"]]
    assert tags[:2] == ["briefs", "translate"] and tags[-1] == "libretranslate"


def test_the_busiest_routes_are_tried_first_and_fastapi_pages_last(client: TestClient) -> None:
    def paths(route: object) -> list[str]:
        inner = getattr(route, "original_router", None)  # an included router
        return [r.path for r in inner.routes] if inner else [getattr(route, "path", "")]

    routes = [paths(route) for route in client.app.router.routes]  # type: ignore[attr-defined]
    assert routes[0] == ["/v1/translate"]
    assert "/translate" in routes[1]
    assert [path for group in routes[-4:] for path in group] == [
        "/openapi.json",
        "/docs",
        "/docs/oauth2-redirect",
        "/redoc",
    ]


def test_metrics_count_each_status_of_a_route_on_its_own(client: TestClient) -> None:
    client.post("/v1/translate", json={"text": "Hello there.", "target": "es"})
    client.post("/v1/translate", json={"text": "Hello there."})  # no target: 422
    client.post("/v1/translate", json={"text": "Hello again.", "target": "es"})
    text = client.get("/metrics").text
    route = 'briefs_http_requests_total{method="POST",route="/v1/translate"'
    assert f'{route},status="200"}} 2.0' in text
    assert f'{route},status="422"}} 1.0' in text
    latency = 'briefs_http_request_duration_seconds_count{method="POST",route="/v1/translate"}'
    assert f"{latency} 3.0" in text


def test_apps_in_one_process_have_their_own_metrics(make_client: MakeClient) -> None:
    first, second = make_client(), make_client()
    first.get("/healthz")
    assert 'route="/healthz"' in first.get("/metrics").text
    assert 'route="/healthz"' not in second.get("/metrics").text


def test_a_blank_title_means_no_title(client: TestClient) -> None:
    # A text that opens with a sentence; one that opens with a headline takes it as its title
    # (tests/api/test_headline_title.py).
    brief = client.post("/v1/briefs", json={"text": SPANISH, "title": "  "}).json()
    assert brief["en"]["title"] is None and brief["es"]["title"] is None


def test_a_list_with_auto_source_detects_each_text(client: TestClient) -> None:
    english = ["The polls close at nine tonight.", "The mayor spoke to the press on Monday."]
    body = client.post("/v1/translate", json={"text": english, "target": "es"}).json()
    assert body["translation"] == [tag(text, "es") for text in english]
    assert body["source"] == "en" and body["detected_language"] == "en"
    french = "Le président a annoncé une forte hausse des vols depuis le début de la semaine."
    mixed = client.post("/v1/translate", json={"text": [english[0], french], "target": "es"})
    assert mixed.status_code == 422
    assert mixed.json()["code"] == "unsupported_language"
    assert mixed.json()["detail"].startswith("text 2 of 2: detected French")
    spanish = "El presidente anunció un aumento de los vuelos de deportación."
    same = client.post("/v1/translate", json={"text": [spanish, english[1]], "target": "es"})
    assert same.status_code == 422
    assert same.json()["code"] == "unsupported_pair" and "text 1 of 2" in same.json()["detail"]


def test_translate_takes_glossary_rows_and_answers_checks_per_text(client: TestClient) -> None:
    response = client.post(
        "/v1/translate",
        json={
            "text": ["The task force met.", "It opened in March 2026."],
            "target": "es",
            "glossary": [{"en": "task force", "es": "fuerza de tarea"}],
        },
    )
    assert response.status_code == 200
    body = response.json()
    # The tag engine copies its input: the placeholder comes back and becomes the term.
    assert "fuerza de tarea" in body["translation"][0]
    assert body["checks"][0] == []
    (date,) = body["checks"][1]
    assert date["kind"] == "date" and date["sentence"] == 0
    assert date["source"] == "It opened in March 2026."
    metrics = client.get("/metrics").text
    assert 'briefs_translation_checks_total{kind="date"} 1.0' in metrics
    assert 'briefs_translation_checks_total{kind="term"} 0.0' in metrics


def test_a_glossary_over_the_request_limit_is_413(client: TestClient) -> None:
    rows = [{"en": f"term {i}", "es": f"término {i}"} for i in range(501)]
    response = client.post(
        "/v1/translate", json={"text": "Hi there.", "target": "es", "glossary": rows}
    )
    assert response.status_code == 413
    assert "over 500 terms" in response.json()["detail"]
    bad = client.post(
        "/v1/translate", json={"text": "Hi there.", "target": "es", "glossary": [{"en": "x"}]}
    )
    assert bad.status_code == 422
