"""LibreTranslate's ``POST /suggest``: a user's better translation, stored for editors.

Off unless ``BRIEFS_SUGGESTIONS=true`` (403 ``{"error": "Suggestions are disabled"}``, as
LibreTranslate answers). Fields as LibreTranslate's: ``q`` the original text, ``s`` the
suggested translation, ``source``, ``target``, ``api_key``; JSON, form or query. Each is
stored with the name of the key that sent it (``service.suggestions``); ``briefs suggestions
export`` reads them back.
"""

from __future__ import annotations

import threading
from typing import cast

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from service.api.deps import Services, ServicesDep
from service.api.lt_request import LT_ERRORS, body_doc, read_request, source_and_target
from service.errors import Forbidden, InvalidInput
from service.languages import Lang
from service.limits import check_sizes
from service.suggestions import SuggestionStore, suggestions_path
from service.text.detect import resolve_detection

router = APIRouter(tags=["libretranslate"])
_opening = threading.Lock()


class LTSuggestIn(BaseModel):
    """LibreTranslate's /suggest parameters."""

    q: str = Field(min_length=1, description="The original text.")
    s: str = Field(min_length=1, description="The suggested translation.")
    source: str = Field(description="The language of q (or auto).")
    target: str = Field(description="The language of s.")
    api_key: str | None = None


class LTSuggestOut(BaseModel):
    success: bool


@router.post(
    "/suggest",
    summary="Suggest a better translation (LibreTranslate-compatible)",
    openapi_extra=body_doc(LTSuggestIn),
    responses=LT_ERRORS,
)
async def lt_suggest(request: Request, services: ServicesDep) -> LTSuggestOut:
    """LibreTranslate's ``/suggest``: ``{"success": true}`` once stored."""
    settings, keys = services.settings, services.keys
    if not settings.suggestions:
        raise Forbidden("Suggestions are disabled")
    body, entry = await read_request(request, keys, LTSuggestIn)
    check_sizes([body.q], settings, what="text q")
    check_sizes([body.s], settings, what="suggestion s")
    declared, target = source_and_target(body.source, body.target)
    source = (await run_in_threadpool(resolve_detection, body.q, declared)).language
    if source == target:
        raise InvalidInput(
            f"source and target are both {target}", hint="a suggestion translates q into target"
        )
    store = await run_in_threadpool(_store, services)
    await run_in_threadpool(
        store.add, cast(Lang, source), target, body.q, body.s, entry.name if entry else None
    )
    return LTSuggestOut(success=True)


def _store(services: Services) -> SuggestionStore:
    """The app's suggestions database, opened on the first suggestion."""
    with _opening:
        if services.suggestions is None:
            services.suggestions = SuggestionStore(suggestions_path(services.settings))
        return services.suggestions
