"""Translate a request's texts in any format: shared by the native and LibreTranslate routes."""

from __future__ import annotations

from dataclasses import dataclass, field

from service.engines import Engines
from service.errors import EmptyInput, UnsupportedLanguage, UnsupportedPair
from service.languages import LANGUAGE_NAMES, Lang, LangOrAuto, other_language
from service.text.detect import Detection, resolve_detection
from service.text.markup import Format, plain_text, translate_documents
from service.translate.base import EngineInfo
from service.translate.document import TranslationResult


@dataclass
class Translated:
    """Translations (one per input text) and how they were made.

    ``detections`` (one per text, in order) is set when the source was detected.
    """

    texts: list[str]
    source: Lang
    target: Lang
    engine: EngineInfo
    detections: list[Detection] | None = None
    warnings: list[str] = field(default_factory=list)


def detect_each(texts: list[str], fmt: Format) -> list[Detection]:
    """The language of each text on its own (its prose only); one detection pass per text."""
    found: list[Detection] = []
    for i, text in enumerate(texts):
        try:
            found.append(resolve_detection(plain_text(text, fmt), "auto"))
        except (EmptyInput, UnsupportedLanguage) as exc:
            if len(texts) == 1:
                raise
            # Name the item: in a list, "detected French" alone does not say which text.
            raise type(exc)(f"text {i + 1} of {len(texts)}: {exc.message}", hint=exc.hint) from None
    return found


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

    With ``source="auto"`` each text is detected on its own, the texts are grouped by
    language and each group runs as one engine call; results keep the input order. With
    ``keep_same_language`` a text detected as already in ``target`` comes back as it is
    (LibreTranslate does that); otherwise a text in ``target`` is an error.
    """
    detections = detect_each(texts, fmt) if source == "auto" else None
    languages: list[str] = [d.language for d in detections] if detections else [source] * len(texts)
    if target in languages and not (keep_same_language and detections is not None):
        raise _same_pair(target, languages, detected=detections is not None)
    groups: dict[Lang, list[int]] = {}
    for i, language in enumerate(languages):
        if language != target:
            groups.setdefault(other_language(target), []).append(i)
    out = list(texts)
    results: list[TranslationResult] = []
    for group_source, indices in groups.items():

        def run(segments: list[str], group_source: Lang = group_source) -> list[str]:
            result = engines.translator.translate(segments, group_source, target)
            results.append(result)
            return result.texts

        group = [texts[i] for i in indices]
        done = run(group) if fmt == "text" else translate_documents(group, fmt, run)
        for i, text in zip(indices, done, strict=True):
            out[i] = text
    used_source = next(iter(groups), target)
    if results:
        info = results[0].engine
        warnings = list(dict.fromkeys(w for result in results for w in result.warnings))
    else:  # nothing went to the engine: every text in the target, or markup without prose
        info, warnings = engines.info(*_pair(used_source)), []
    return Translated(out, used_source, target, info, detections, warnings)


def _same_pair(target: Lang, languages: list[str], *, detected: bool) -> UnsupportedPair:
    name = LANGUAGE_NAMES[target]
    which = ""
    if detected and len(languages) > 1:
        items = [str(i + 1) for i, language in enumerate(languages) if language == target]
        which = f"text {', '.join(items)} of {len(languages)}: "
    how = " (detected)" if detected else ""
    return UnsupportedPair(
        f"{which}source and target are both {name} ({target}){how}",
        hint="pick the other language as target",
    )


def _pair(language: Lang) -> tuple[Lang, Lang]:
    return (language, other_language(language))
