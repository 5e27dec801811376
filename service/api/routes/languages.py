"""``GET /v1/languages``: open without a key, answered while the engines load."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import ServicesDep
from service.api.engine_table import engine_table
from service.api.schemas import LanguagesOut, supported_languages

router = APIRouter(prefix="/v1", tags=["languages"])


@router.get("/languages", summary="Languages and the engine for each direction")
def languages(services: ServicesDep) -> LanguagesOut:
    """English and Spanish, each translatable into the other; ``engines`` is empty until loaded."""
    engines = services.engines
    return LanguagesOut(
        languages=supported_languages(),
        engines=engine_table(engines) if engines is not None else {},
    )
