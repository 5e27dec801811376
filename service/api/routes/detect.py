"""``POST /v1/detect``: the language of a text and how sure the detector is."""

from __future__ import annotations

from starlette.responses import Response

from service.api.deps import SettingsDep
from service.api.responses import model_response
from service.api.routes import native_router
from service.api.schemas import DetectIn, DetectOut
from service.languages import LANGUAGES
from service.limits import check_sizes
from service.text.detect import detect_language

router = native_router("detect")


@router.post("/detect", summary="Detect the language of a text", response_model=DetectOut)
def detect(body: DetectIn, settings: SettingsDep) -> Response:
    """The most likely language, how sure the detector is, and whether Briefs supports it."""
    check_sizes([body.text], settings)
    found = detect_language(body.text)
    out = DetectOut(
        language=found.language,
        confidence=round(min(max(found.confidence, 0.0), 1.0), 4),
        supported=found.language in LANGUAGES,
    )
    return model_response(out)
