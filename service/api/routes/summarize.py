"""``POST /v1/summarize``: a short and/or long summary in the text's own language."""

from __future__ import annotations

from starlette.responses import Response

from service.api.deps import EnginesDep, SettingsDep
from service.api.errors import MethodNotAvailable
from service.api.responses import model_response
from service.api.routes import native_router
from service.api.schemas import SummarizeIn, SummarizeOut
from service.errors import ModelNotAvailable
from service.limits import check_sizes
from service.summarize.base import LENGTHS
from service.text.detect import declared_mismatch, resolve_language

router = native_router("summarize")


@router.post(
    "/summarize", summary="Summarize a text in its own language", response_model=SummarizeOut
)
def summarize(body: SummarizeIn, engines: EnginesDep, settings: SettingsDep) -> Response:
    """A short and/or long summary of the text, in the language it is written in."""
    check_sizes([body.text], settings)
    language = resolve_language(body.text, body.language)
    try:
        summarizer = engines.summarizer_for(body.method)
    except ModelNotAvailable as exc:  # the server is fine; this option is not installed
        raise MethodNotAvailable(exc.message, hint=exc.hint) from None
    lengths = LENGTHS if body.length == "both" else (body.length,)
    summaries = {length: summarizer.summarize(body.text, language, length) for length in lengths}
    warnings = [w for summary in summaries.values() for w in summary.warnings]
    mismatch = declared_mismatch(body.text, body.language)
    if mismatch:
        warnings.insert(0, mismatch)
    first = next(iter(summaries.values()))
    out = SummarizeOut(
        language=language,
        method=first.method,
        short=summaries["short"].text if "short" in summaries else None,
        long=summaries["long"].text if "long" in summaries else None,
        warnings=list(dict.fromkeys(warnings)),
    )
    return model_response(out)
