"""``POST /v1/translate``: text, HTML or Markdown, one text or a list."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from service.api.deps import engines_of
from service.api.responses import model_response
from service.api.routes import native_router
from service.api.schemas import CheckOut, EngineInfoOut, TranslateIn, TranslateOut, glossary_of
from service.api.translating import translate_request
from service.limits import check_sizes

router = native_router("translate")


@router.post("/translate", summary="Translate text, HTML or Markdown", response_model=TranslateOut)
async def translate(body: TranslateIn, request: Request) -> Response:
    """Translate one text or a list; HTML and Markdown keep their markup."""
    engines = engines_of(request)
    texts = [body.text] if isinstance(body.text, str) else body.text
    check_sizes(texts, engines.settings)  # the app's settings (one dependency fewer to solve)
    done = await translate_request(
        engines.translator,
        texts,
        source=body.source,
        target=body.target,
        fmt=body.format,
        glossary=glossary_of(body.glossary),
    )
    checks = [[CheckOut.model_validate(check.to_dict()) for check in text] for text in done.checks]
    out = TranslateOut(
        translation=done.texts[0] if isinstance(body.text, str) else done.texts,
        source=done.source,
        target=done.target,
        detected_language=done.source if done.detections else None,
        engine=EngineInfoOut(**vars(done.engine)),
        warnings=done.warnings,
        checks=checks[0] if isinstance(body.text, str) else checks,
    )
    return model_response(out)
