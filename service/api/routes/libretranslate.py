"""LibreTranslate-compatible routes: ``POST /translate``, ``POST /detect``, ``GET /languages``.

They read JSON, form and query parameters as LibreTranslate does (``q`` a string or a list,
``source: auto``, ``format: text|html``, ``alternatives``, ``api_key``, ``secret``;
``service.api.lt_request``) and answer in its shapes, so existing LibreTranslate clients and
plugins work unchanged. Errors are ``{"error": "..."}``. ``/frontend/settings`` and ``/spec``
are in ``libretranslate_meta``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, field_validator
from starlette.concurrency import run_in_threadpool

from service.api.deps import KeysDep, SettingsDep, engines_of, services_of
from service.api.lt_request import LT_ERRORS, body_doc, read_request, source_and_target
from service.api.schemas import Text, readable_texts, supported_languages
from service.api.translating import translate_request
from service.languages import Lang
from service.limits import check_sizes
from service.text.detect import Detection, detect_each
from service.translate.alternatives import MAX_ALTERNATIVES
from service.translate.texts import TextsTranslation

router = APIRouter(tags=["libretranslate"])


class LTTranslateIn(BaseModel):
    """LibreTranslate's /translate parameters (unknown ones are ignored, as it does)."""

    q: str | list[str]
    source: str = "auto"
    target: str
    format: Literal["text", "html"] = "text"
    api_key: str | None = None
    secret: str | None = Field(
        default=None, description="LibreTranslate's key secret: accepted, not needed here."
    )
    alternatives: int = Field(
        default=0,
        ge=0,
        le=MAX_ALTERNATIVES,
        description="Alternative translations wanted per text (MarianMT engines; Apertium "
        "gives none, and says so in X-Briefs-Alternatives).",
    )

    _texts_readable = field_validator("q")(readable_texts)


class LTDetectIn(BaseModel):
    q: Text | Annotated[list[Text], Field(min_length=1)]
    api_key: str | None = None
    secret: str | None = None


class LTDetection(BaseModel):
    confidence: float = Field(description="0-100, as LibreTranslate reports it.")
    language: str


class LTTranslateOut(BaseModel):
    translatedText: str | list[str]  # LibreTranslate's field names
    detectedLanguage: LTDetection | list[LTDetection] | None = None
    alternatives: list[str] | list[list[str]] | None = None


class LTLanguage(BaseModel):
    code: Lang
    name: str
    targets: list[Lang]


def _lt_detection(found: Detection) -> LTDetection:
    return LTDetection(confidence=round(found.confidence * 100, 1), language=found.language)


@router.post(
    "/translate",
    summary="Translate (LibreTranslate-compatible)",
    openapi_extra=body_doc(LTTranslateIn),
    responses=LT_ERRORS,
    response_model_exclude_none=True,
)
async def lt_translate(request: Request, response: Response) -> Any:
    """LibreTranslate's ``/translate``: ``{"translatedText": ...}``."""
    # Read from the request, not solved as dependencies (some microseconds each).
    engines, keys = engines_of(request), services_of(request).keys
    body, _ = await read_request(request, keys, LTTranslateIn)
    source, target = source_and_target(body.source, body.target)
    texts = [body.q] if isinstance(body.q, str) else body.q
    check_sizes(texts, engines.settings)
    done = await translate_request(
        engines.translator,
        texts,
        source=source,
        target=target,
        fmt=body.format,
        keep_same_language=True,
        alternatives=body.alternatives,
    )
    single = isinstance(body.q, str)
    out = LTTranslateOut(translatedText=done.texts[0] if single else done.texts)
    if done.detections is not None:
        found = [_lt_detection(detection) for detection in done.detections]
        out.detectedLanguage = found[0] if single else found
    if body.alternatives:
        _alternatives(out, done, single, response)
    return out.model_dump(exclude_none=True)


ALTERNATIVES_HEADER = "X-Briefs-Alternatives"


def _alternatives(
    out: LTTranslateOut, done: TextsTranslation, single: bool, response: Response
) -> None:
    """LibreTranslate's ``alternatives`` field, and whether the engine could give any."""
    found = done.alternatives
    if found is None:  # a rule-based engine: LibreTranslate's shape, empty, and why
        found = [[] for _ in done.texts]
        response.headers[ALTERNATIVES_HEADER] = f"none; the {done.engine.engine} engine gives one"
    else:
        response.headers[ALTERNATIVES_HEADER] = "n-best"
    out.alternatives = found[0] if single else found


@router.post(
    "/detect",
    summary="Detect the language (LibreTranslate-compatible)",
    openapi_extra=body_doc(LTDetectIn),
    responses=LT_ERRORS,
)
async def lt_detect(request: Request, settings: SettingsDep, keys: KeysDep) -> list[LTDetection]:
    """LibreTranslate's ``/detect``: ``[{"confidence": 90.0, "language": "en"}]``; for a list
    of texts, one ranked list for them all, as LibreTranslate answers it."""
    body, _ = await read_request(request, keys, LTDetectIn)
    texts = [body.q] if isinstance(body.q, str) else body.q
    check_sizes(texts, settings)
    found = await run_in_threadpool(detect_each, texts)
    return [_lt_detection(d) for d in rank_together(found, [len(text) for text in texts])]


def rank_together(found: list[Detection], lengths: list[int]) -> list[Detection]:
    """LibreTranslate's answer for several texts: each language once, with its average
    confidence, ranked by that confidence weighted by the share of characters in it."""
    by_language: dict[str, list[tuple[float, int]]] = {}
    for detection, length in zip(found, lengths, strict=True):
        by_language.setdefault(detection.language, []).append((detection.confidence, length))
    total = sum(lengths) or 1
    merged = [
        (Detection(language, sum(c for c, _ in seen) / len(seen)), sum(n for _, n in seen))
        for language, seen in by_language.items()
    ]
    merged.sort(key=lambda item: item[0].confidence * item[1] / total, reverse=True)
    return [detection for detection, _ in merged]


@router.get("/languages", summary="Languages (LibreTranslate-compatible)")
def lt_languages() -> list[LTLanguage]:
    """LibreTranslate's ``/languages``."""
    return [LTLanguage(**language.model_dump()) for language in supported_languages()]
