"""Translate a request's texts in any format: shared by the native and LibreTranslate routes."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.engines import Engines
from service.errors import UnsupportedPair
from service.languages import LANGUAGE_NAMES, Lang, LangOrAuto
from service.text.detect import Detection, detect_language, resolve_language
from service.text.markup import Format, plain_text, translate_documents
from service.translate.base import EngineInfo
from service.translate.document import TranslationResult


@dataclass
class Translated:
    """Translations (one per input text) and how they were made."""

    texts: list[str]
    source: Lang
    target: Lang
    engine: EngineInfo
    detection: Detection | None = None
    warnings: list[str] = field(default_factory=list)


def detect_source(texts: list[str], fmt: Format) -> tuple[Lang, Detection]:
    """The language of all the texts together (their prose only), with the raw detection."""
    sample = " ".join(plain_text(text, fmt) for text in texts)
    language = resolve_language(sample, "auto")
    detection = detect_language(sample)
    if detection.language != language:  # resolve_language preferred a supported neighbour
        detection = Detection(language, detection.confidence)
    return language, detection


def translate_texts(
    engines: Engines,
    texts: list[str],
    source: LangOrAuto,
    target: Lang,
    fmt: Format,
    *,
    keep_same_language: bool = False,
) -> Translated:
    """Translate ``texts``; markup formats keep their markup.

    With ``keep_same_language`` a text detected as already in ``target`` comes back as it
    is (LibreTranslate does that); otherwise the same source and target is an error.
    """
    detection: Detection | None = None
    if source == "auto":
        source, detection = detect_source(texts, fmt)
    if source == target:
        if keep_same_language and detection is not None:
            return Translated(list(texts), source, target, engines.info(*_pair(target)), detection)
        name = LANGUAGE_NAMES[target]
        raise UnsupportedPair(
            f"source and target are both {name} ({target})" + (" (detected)" if detection else ""),
            hint="pick the other language as target",
        )
    results: list[TranslationResult] = []

    def run(segments: list[str]) -> list[str]:
        result = engines.translator.translate(segments, source, target)
        results.append(result)
        return result.texts

    out = run(list(texts)) if fmt == "text" else translate_documents(texts, fmt, run)
    if results:
        info, warnings = results[0].engine, list(results[0].warnings)
    else:  # markup without any prose: nothing went to the engine
        info, warnings = engines.info(source, target), []
    return Translated(out, source, target, info, detection, warnings)


def _pair(language: Lang) -> tuple[Lang, Lang]:
    return (language, "es" if language == "en" else "en")
