"""The web router on its own: the page and its files come out of the package."""

from __future__ import annotations

from importlib.resources import files

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.api.routes.web import router


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def test_index_is_the_packaged_page(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == (files("service") / "web" / "index.html").read_text(encoding="utf-8")
    assert "default-src 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("app.js", "text/javascript; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("icon.svg", "image/svg+xml"),
    ],
)
def test_static_files_have_their_media_type(client: TestClient, name: str, media_type: str) -> None:
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path", ["/static/missing.js", "/static/..%2Fconfig.py", "/static/.hidden.css", "/static/x.py"]
)
def test_only_the_page_files_are_served(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_page_loads_nothing_from_elsewhere() -> None:
    html = (files("service") / "web" / "index.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "//cdn" not in html


@pytest.mark.parametrize(
    ("accept_language", "cookie", "lang"),
    [
        (None, None, "en"),
        ("es-GT,es;q=0.9,en;q=0.8", None, "es"),
        ("es", None, "es"),
        ("en-US,en;q=0.9,es;q=0.8", None, "en"),
        ("fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4", None, "es"),
        ("en;q=0.2, es;q=0.7", None, "es"),
        ("fr, de", None, "en"),
        ("es;q=0, en", None, "en"),
        ("es;q=oops", None, "en"),
        ("es-GT", "en", "en"),  # the page's switch, remembered in a cookie, wins
        (None, "es", "es"),
        ("es", "xx", "es"),  # an unknown cookie value is ignored
    ],
)
def test_index_lang_follows_the_reader(
    client: TestClient, accept_language: str | None, cookie: str | None, lang: str
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    if cookie:
        client.cookies.set("briefs-lang", cookie)
    response = client.get("/", headers=headers)
    assert response.status_code == 200
    assert response.text.count("<html lang=") == 1
    assert f'<html lang="{lang}">' in response.text
    assert int(response.headers["content-length"]) == len(response.content)
    assert "Accept-Language" in response.headers["vary"]


def test_the_messages_ship_with_the_page(client: TestClient) -> None:
    response = client.get("/static/messages.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "window.BRIEFS_MESSAGES" in response.text
    assert 'src="static/messages.js"' in client.get("/").text
