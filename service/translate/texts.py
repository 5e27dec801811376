"""The one "translate texts" use case: the CLI, the folder job and the API all call it.

Texts in a format (plain text, HTML, Markdown) are detected when asked (each text on its
own, from its prose), refused when already in the target language (one check, one
message), and the rest, all in the other language, translated with one
``DocumentTranslator`` call. Markup formats translate only their prose
(``service.text.markup``); plain text keeps its layout line for line
(``service.text.segment``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from service.languages import Lang, LangOrAuto, other_language, refuse_same_language
from service.text.detect import Detection, declared_mismatch, detect_each, resolve_detection
from service.text.markup import Format, Segmented, render_segmented, segment, segmented_inputs
from service.translate.base import DecodeOptions, EngineInfo
from service.translate.checks import Check
from service.translate.document import DocumentTranslator, TranslationResult
from service.translate.glossary import Glossary
from service.translate.steps import Steps, drive, drive_async


@dataclass
class TextsTranslation:
    """Translations (one per input text) and how they were made.

    ``detections`` (one per text, in order) is set when the source was detected.
    """

    texts: list[str]
    source: Lang
    target: Lang
    engine: EngineInfo
    detections: list[Detection] | None = None
    warnings: list[str] = field(default_factory=list)
    sentences: int = 0  # sentences sent for translation, repeats included
    # One list per text: what may be wrong with its translated sentences (index in the text).
    checks: list[list[Check]] = field(default_factory=list)
    # With ``alternatives`` asked: one list per text (``service.translate.alternatives``);
    # None when the engine gives none (Apertium).
    alternatives: list[list[str]] | None = None


def translate_texts(
    translator: DocumentTranslator,
    texts: list[str],
    *,
    source: LangOrAuto,
    target: Lang,
    fmt: Format = "text",
    options: DecodeOptions | None = None,
    keep_same_language: bool = False,
    name: str | None = None,
    glossary: Glossary | None = None,
    alternatives: int = 0,
) -> TextsTranslation:
    """Translate ``texts`` into ``target``; markup formats keep their markup.

    With ``source="auto"`` each text is detected on its own. A text in ``target``
    is an error, unless ``keep_same_language`` (LibreTranslate does that) and it was
    detected: then it comes back as it is. ``name`` is what errors call a single text.
    All texts to translate go to the translator in one call, with ``glossary``.
    ``alternatives``: up to that many other translations of each plain text (markup and
    texts kept as they are have none).
    """
    docs = _documents(texts, fmt)
    steps = _steps(
        translator,
        texts,
        docs,
        source,
        target,
        options,
        keep_same_language,
        name,
        glossary,
        alternatives,
    )
    return drive(steps, translator.translator)


async def translate_texts_async(
    translator: DocumentTranslator,
    texts: list[str],
    *,
    source: LangOrAuto,
    target: Lang,
    fmt: Format = "text",
    options: DecodeOptions | None = None,
    keep_same_language: bool = False,
    glossary: Glossary | None = None,
) -> TextsTranslation:
    """``translate_texts`` on the event loop, awaiting the engine (``steps.drive_async``):
    only for texts cheap to prepare (``service.api.translating`` decides). No alternatives: they
    are a second, blocking engine call."""
    docs = _documents(texts, fmt)
    steps = _steps(
        translator, texts, docs, source, target, options, keep_same_language, None, glossary
    )
    return await drive_async(steps, translator.translator)


def _documents(texts: list[str], fmt: Format) -> list[Segmented] | None:
    """Markup texts cut into pieces and slots; None for plain text."""
    return None if fmt == "text" else [segment(text, fmt) for text in texts]


def translate_segmented_texts(
    translator: DocumentTranslator,
    docs: list[Segmented],
    *,
    source: LangOrAuto,
    target: Lang,
    options: DecodeOptions | None = None,
    name: str | None = None,
    glossary: Glossary | None = None,
) -> TextsTranslation:
    """``translate_texts`` for documents already cut into pieces and slots (a .docx's
    paragraphs, ``service.text.docx_slots``); the result's texts are the documents rendered."""
    originals = [doc.render(doc.texts(), doc.span_texts()) for doc in docs]
    steps = _steps(translator, originals, docs, source, target, options, False, name, glossary)
    return drive(steps, translator.translator)


def _steps(
    translator: DocumentTranslator,
    texts: list[str],
    docs: list[Segmented] | None,
    source: LangOrAuto,
    target: Lang,
    options: DecodeOptions | None,
    keep_same_language: bool,
    name: str | None,
    glossary: Glossary | None,
    alternatives: int = 0,
) -> Steps[TextsTranslation]:
    """Translate plain ``texts`` (``docs`` None) or the slots of ``docs`` (one per text), as
    steps that yield their engine calls."""
    if not any(text.strip() for text in texts):  # nothing to detect, nothing to translate
        source = other_language(target) if source == "auto" else source
        refuse_same_language(source, target, name or "the text")
        info = translator.translator.info(source, target)
        return TextsTranslation(list(texts), source, target, info, checks=[[] for _ in texts])
    plains = texts if docs is None else [doc.prose() for doc in docs]
    detections = _detect_each(plains) if source == "auto" else None
    languages: list[str] = [d.language for d in detections] if detections else [source] * len(texts)
    if target in languages and not (keep_same_language and detections is not None):
        refuse_same_language(
            target, target, _which(languages, target, name), detected=detections is not None
        )
    # Two languages: every text not already in the target is in the other one.
    used_source = other_language(target)
    indices = [i for i, language in enumerate(languages) if language != target]
    out = list(texts)
    checks: list[list[Check]] = [[] for _ in texts]
    results: list[TranslationResult] = []

    def run(segments: list[str]) -> Steps[list[str]]:
        steps = translator.translation_steps(segments, used_source, target, options, glossary)
        result = yield from steps
        results.append(result)
        return result.texts

    if indices:
        if docs is None:
            done = yield from run([texts[i] for i in indices])
            group_checks = results[0].checks
        else:
            group = [docs[i] for i in indices]
            inputs = segmented_inputs(group)  # one engine call for all their slots
            done = render_segmented(group, (yield from run(inputs)) if inputs else [])
            group_checks = _per_document(results, group)
        for i, text, found in zip(indices, done, group_checks, strict=True):
            out[i] = text
            checks[i] = found
    if results:
        info = results[0].engine
        warnings = list(dict.fromkeys(w for result in results for w in result.warnings))
    else:  # nothing went to the engine: every text in the target, or markup only
        info, warnings = translator.translator.info(used_source, target), []
    if detections is None:  # a declared source: say when a text reads as another language
        mismatches = (declared_mismatch(plains[i], source) for i in indices)
        warnings = [*dict.fromkeys(m for m in mismatches if m), *warnings]
    sentences = sum(result.sentences for result in results)
    answer = TextsTranslation(
        out, used_source, target, info, detections, warnings, sentences, checks
    )
    if alternatives:
        plain = indices if docs is None else []  # markup: none, as LibreTranslate
        answer.alternatives = _alternatives(
            translator, texts, plain, answer, alternatives, options, glossary
        )
    return answer


def _alternatives(
    translator: DocumentTranslator,
    texts: list[str],
    indices: list[int],
    done: TextsTranslation,
    n: int,
    options: DecodeOptions | None,
    glossary: Glossary | None,
) -> list[list[str]] | None:
    """Up to ``n`` alternatives of each translated text; None when the engine has none."""
    found: list[list[str]] = [[] for _ in texts]
    group = [texts[i] for i in indices]  # none: still asked, to learn whether it could
    others = translator.alternatives(group, done.source, done.target, n, options, glossary)
    if others is None:
        return None
    for i, alternatives in zip(indices, others, strict=True):
        found[i] = alternatives
    return found


def _per_document(results: list[TranslationResult], docs: list[Segmented]) -> list[list[Check]]:
    """Checks of each document's slots, renumbered as the document's sentences, quoting
    them as written (inline code, not its placeholder)."""
    slot_checks = results[0].checks if results else []
    per_slot = results[0].sentence_counts if results else []
    out: list[list[Check]] = []
    start = 0
    for doc in docs:
        found: list[Check] = []
        offset = 0
        for index, slot in enumerate(range(start, start + len(doc.slots))):
            found += [
                replace(
                    c,
                    sentence=c.sentence + offset,
                    source=doc.shown(index, c.source),
                    message=doc.shown(index, c.message),
                )
                for c in slot_checks[slot]
            ]
            offset += per_slot[slot]
        out.append(found)
        start += len(doc.slots)
    return out


def _detect_each(plains: list[str]) -> list[Detection]:
    """The language of each text on its own, from its prose; a supported one or an error."""
    return detect_each(plains, lambda text: resolve_detection(text, "auto"))


def _which(languages: list[str], target: Lang, name: str | None) -> str:
    if name is not None:
        return name
    if len(languages) == 1:
        return "the text"
    items = [str(i + 1) for i, language in enumerate(languages) if language == target]
    return f"text {', '.join(items)} of {len(languages)}"
