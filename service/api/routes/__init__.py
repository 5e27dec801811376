"""The API's routes, one module per route (or group of LibreTranslate routes)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from service.api.limits import require_json
from service.api.schemas import problem_responses


def native_router(tag: str) -> APIRouter:
    """A ``/v1`` router for POST routes: JSON bodies, and an API key when keys are set (every
    POST route under ``/v1/`` is checked by ``edge.KeyGate`` before its body is read)."""
    return APIRouter(
        prefix="/v1",
        tags=[tag],
        dependencies=[Depends(require_json)],
        responses=problem_responses(400, 401, 403, 408, 413, 415, 422, 429, 503),
    )
