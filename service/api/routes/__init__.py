"""The API's routes, one module per route (or group of LibreTranslate routes)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from service.api.limits import require_json
from service.api.schemas import problem_responses


class JsonRoute(APIRoute):
    """A route whose body must be JSON: 415 before FastAPI reads the body. A route class
    rather than a router dependency, which FastAPI would solve on every request (about a
    tenth of the event loop's time for a one-sentence translation went to solving three)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def json_only(request: Request) -> Response:
            require_json(request)
            return await handler(request)

        return json_only


def native_router(tag: str) -> APIRouter:
    """A ``/v1`` router for POST routes: JSON bodies, and an API key when keys are set (every
    POST route under ``/v1/`` is checked by ``edge.KeyGate`` before its body is read)."""
    return APIRouter(
        prefix="/v1",
        tags=[tag],
        route_class=JsonRoute,
        responses=problem_responses(400, 401, 403, 408, 413, 415, 422, 429, 503),
    )
