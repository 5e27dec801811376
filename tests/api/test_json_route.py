"""``JsonRoute`` reads a qualifying route's body itself (``model_validate_json``) and calls
its endpoint directly: every body must get what FastAPI's own handler answers, valid or not.

The same endpoint is served twice in one app, through ``JsonRoute`` and through FastAPI's
plain ``APIRoute``, with the app's own error handlers, and each body goes to both.
"""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.testclient import TestClient
from starlette.responses import Response

from service.api.app import create_app
from service.api.errors import install_error_handlers
from service.api.routes import JsonRoute
from service.api.schemas import TranslateIn, TranslateOut
from service.config import Settings

_seen: list[str] = []


async def _echo(body: TranslateIn, request: Request) -> Response:
    """The body as the endpoint got it, and the path it came by."""
    _seen.append(request.url.path)
    return Response(body.model_dump_json(), media_type="application/json")


def _twin_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    fast = APIRouter(prefix="/v1/fast", route_class=JsonRoute)
    plain = APIRouter(prefix="/v1/plain")
    fast.post("/echo")(_echo)
    plain.post("/echo")(_echo)
    app.include_router(fast)
    app.include_router(plain)
    return app


VALID = '{"text": "The volcano erupted.", "target": "es"}'
BODIES = [
    VALID,
    '{"text": ["One.", "Two."], "source": "en", "target": "es", "format": "html"}',
    '{"text": "x", "target": "es", "glossary": [{"en": "task force", "es": "fuerza"}]}',
    '{"text": "x", "target": "es", "target": "en"}',  # a repeated key: the last wins
    '{"text": "caf\\u00e9 \\ud83d\\ude00", "target": "es"}',  # escapes, a surrogate pair
    '{"text": "lone \\ud800", "target": "es"}',  # a lone surrogate
    '{"text": "nul \\u0000", "target": "es"}',
    '\ufeff{"text": "bom", "target": "es"}',
    '  \n{"text": "spaces", "target": "es"}\n  ',
    '{"text": "x", "target": "es"} trailing',
    '{"text": NaN, "target": "es"}',
    '{"text": 5, "target": "es"}',
    '{"text": [], "target": "es"}',
    '{"text": "   ", "target": "es"}',
    '{"text": "x", "target": "fr"}',
    '{"text": "x", "target": "es", "extra": 1}',
    '{"text": "x", "target": "es", "glossary": [{"en": "", "es": "y"}]}',
    '{"text": "x", "target": "es", "glossary": "not a list"}',
    '{"text": "x"}',
    '[{"text": "x", "target": "es"}]',
    "null",
    '"text"',
    "{",
    "",
    "   ",
    '{"text": "' + "[" * 3000 + '", "target": "es"}',
    "[" * 3000 + "]" * 3000,
]


@pytest.fixture(scope="module")
def twins() -> TestClient:
    return TestClient(_twin_app(), raise_server_exceptions=False)


@pytest.mark.parametrize("content_type", ["application/json", "application/problem+json", None])
@pytest.mark.parametrize("body", BODIES)
def test_every_body_gets_what_fastapis_handler_answers(
    twins: TestClient, body: str, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    fast = twins.post("/v1/fast/echo", content=body.encode(), headers=headers)
    plain = twins.post("/v1/plain/echo", content=body.encode(), headers=headers)
    assert fast.status_code == plain.status_code
    assert fast.json() == plain.json()


def test_a_valid_body_is_read_by_the_route_class_and_bad_ones_by_fastapi(
    twins: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The direct call is what serves valid bodies (else this file compares FastAPI with
    itself); an invalid one reaches FastAPI's handler."""
    reads: list[bytes] = []
    real = TranslateIn.model_validate_json.__func__  # type: ignore[attr-defined]

    def counted(cls: type[TranslateIn], /, data: bytes, **kwargs: object) -> TranslateIn:
        reads.append(data)
        return real(cls, data, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(TranslateIn, "model_validate_json", classmethod(counted))
    json = {"Content-Type": "application/json"}
    assert twins.post("/v1/fast/echo", content=VALID, headers=json).status_code == 200
    assert twins.post("/v1/plain/echo", content=VALID, headers=json).status_code == 200
    assert reads == [VALID.encode()]  # once, by the route class; FastAPI validates a dict
    assert twins.post("/v1/fast/echo", content=b"{", headers=json).status_code == 400


def test_only_routes_that_take_their_body_alone_and_answer_a_response_are_called_directly() -> None:
    app = create_app(Settings(engine="apertium"))
    direct = {
        route.path
        for included in app.router.routes
        for route in getattr(getattr(included, "original_router", None), "routes", [])
        if isinstance(route, JsonRoute) and route._direct_call() is not None
    }
    assert direct == {"/v1/translate"}


def test_a_non_json_body_is_refused_before_either_reads_it(twins: TestClient) -> None:
    fast = twins.post("/v1/fast/echo", content=VALID, headers={"Content-Type": "text/plain"})
    assert fast.status_code == 415
    assert fast.json()["code"] == "unsupported_media_type"


def test_the_translate_route_still_documents_its_body() -> None:
    schema = TestClient(create_app(Settings(engine="apertium"))).get("/openapi.json").json()
    body = schema["paths"]["/v1/translate"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TranslateIn"
    }
    assert "TranslateIn" in schema["components"]["schemas"]
    assert TranslateOut.__name__ in schema["components"]["schemas"]
