"""``/v1/translate``, ``/v1/summarize``, ``/v1/detect`` and ``/v1/languages``."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from service.api.deps import EnginesDep, ServicesDep, SettingsDep, require_api_key
from service.api.errors import MethodNotAvailable
from service.api.limits import require_json
from service.api.schemas import (
    DetectIn,
    DetectOut,
    EngineInfoOut,
    LanguagesOut,
    SummarizeIn,
    SummarizeOut,
    TranslateIn,
    TranslateOut,
    problem_responses,
    supported_languages,
)
from service.engines import Engines
from service.errors import BriefsError, ModelNotAvailable
from service.languages import LANGUAGES, other_language, pair_name
from service.limits import check_sizes
from service.summarize.base import LENGTHS
from service.text.detect import detect_language, resolve_language
from service.translate.texts import translate_texts

router = APIRouter(
    prefix="/v1",
    tags=["translate"],
    dependencies=[Depends(require_json), Depends(require_api_key)],
    responses=problem_responses(400, 401, 403, 413, 415, 422, 503),
)
public = APIRouter(prefix="/v1", tags=["translate"])


@router.post("/translate", summary="Translate text, HTML or Markdown")
def translate(body: TranslateIn, engines: EnginesDep, settings: SettingsDep) -> TranslateOut:
    """Translate one text or a list; HTML and Markdown keep their markup."""
    texts = [body.text] if isinstance(body.text, str) else body.text
    check_sizes(texts, settings)
    done = translate_texts(
        engines.translator, texts, source=body.source, target=body.target, fmt=body.format
    )
    return TranslateOut(
        translation=done.texts[0] if isinstance(body.text, str) else done.texts,
        source=done.source,
        target=done.target,
        detected_language=done.source if done.detections else None,
        engine=EngineInfoOut(**vars(done.engine)),
        warnings=done.warnings,
    )


@router.post("/summarize", summary="Summarize a text in its own language")
def summarize(body: SummarizeIn, engines: EnginesDep, settings: SettingsDep) -> SummarizeOut:
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
    first = next(iter(summaries.values()))
    return SummarizeOut(
        language=language,
        method=first.method,
        short=summaries["short"].text if "short" in summaries else None,
        long=summaries["long"].text if "long" in summaries else None,
        warnings=list(dict.fromkeys(warnings)),
    )


@router.post("/detect", summary="Detect the language of a text")
def detect(body: DetectIn, settings: SettingsDep) -> DetectOut:
    """The most likely language, how sure the detector is, and whether Briefs supports it."""
    check_sizes([body.text], settings)
    found = detect_language(body.text)
    return DetectOut(
        language=found.language,
        confidence=round(min(max(found.confidence, 0.0), 1.0), 4),
        supported=found.language in LANGUAGES,
    )


def engine_table(engines: Engines) -> dict[str, EngineInfoOut | None]:
    """The engine serving each direction, or None where none can."""
    table: dict[str, EngineInfoOut | None] = {}
    for source in LANGUAGES:
        target = other_language(source)
        try:
            table[pair_name(source, target)] = EngineInfoOut(**vars(engines.info(source, target)))
        except BriefsError:
            table[pair_name(source, target)] = None
    return table


@public.get("/languages", summary="Languages and the engine for each direction")
def languages(services: ServicesDep) -> LanguagesOut:
    """English and Spanish, each translatable into the other; ``engines`` is empty until loaded."""
    engines = services.engines
    return LanguagesOut(
        languages=supported_languages(),
        engines=engine_table(engines) if engines is not None else {},
    )
