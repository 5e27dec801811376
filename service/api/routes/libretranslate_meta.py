"""LibreTranslate's ``GET /frontend/settings`` and ``GET /spec``, from Briefs' settings.

``/frontend/settings`` tells LibreTranslate front ends (its page, browser plugins) what this
server allows; ``/spec`` is where LibreTranslate serves its API description: here, the
OpenAPI document of the whole API (the same as ``/openapi.json``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from service.api.deps import KeysDep, SettingsDep
from service.languages import LANGUAGE_NAMES

router = APIRouter(tags=["libretranslate"])

# The files POST /translate_file translates (LibreTranslate's leading-dot spelling).
SUPPORTED_FILE_FORMATS = [".txt", ".html", ".md", ".docx"]
# LibreTranslate's default: how long its page waits after typing before translating (ms).
FRONTEND_TIMEOUT_MS = 500


class LTNamedLanguage(BaseModel):
    code: str
    name: str


class LTLanguageDefaults(BaseModel):
    source: LTNamedLanguage
    target: LTNamedLanguage


class LTFrontendSettings(BaseModel):
    """LibreTranslate's keys, with what Briefs does."""

    charLimit: int = Field(description="Characters allowed in one text (BRIEFS_MAX_TEXT_CHARS).")
    frontendTimeout: int = Field(description="Milliseconds a page waits after typing.")
    apiKeys: bool = Field(description="Whether API keys are in use.")
    keyRequired: bool = Field(description="Whether every request needs an API key.")
    suggestions: bool = Field(description="Whether POST /suggest stores suggestions.")
    filesTranslation: bool = Field(description="Whether POST /translate_file is served.")
    supportedFilesFormat: list[str]
    language: LTLanguageDefaults = Field(description="The page's default languages.")


@router.get("/frontend/settings", summary="Front-end settings (LibreTranslate-compatible)")
async def lt_frontend_settings(settings: SettingsDep, keys: KeysDep) -> LTFrontendSettings:
    """LibreTranslate's ``/frontend/settings``, filled from Briefs' settings."""
    return LTFrontendSettings(
        charLimit=settings.max_text_chars,
        frontendTimeout=FRONTEND_TIMEOUT_MS,
        apiKeys=keys.required,
        keyRequired=keys.required,
        suggestions=settings.suggestions,
        filesTranslation=True,
        supportedFilesFormat=SUPPORTED_FILE_FORMATS,
        language=LTLanguageDefaults(
            source=LTNamedLanguage(code="auto", name="Auto Detect"),
            target=LTNamedLanguage(code="es", name=LANGUAGE_NAMES["es"]),
        ),
    )


@router.get("/spec", summary="The API description (LibreTranslate's /spec)")
async def lt_spec(request: Request) -> JSONResponse:
    """The OpenAPI document, where LibreTranslate serves its Swagger spec."""
    spec: dict[str, Any] = request.app.openapi()
    return JSONResponse(spec)
