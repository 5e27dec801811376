"""Translating one text or one file: the per-file work of ``briefs translate``.

Kept apart from the command so that folder runners (resumable runs with a manifest) can call
``translate_file`` for each file they schedule.
"""

from __future__ import annotations

from pathlib import Path

from service.batch.atomic import write_atomic
from service.batch.readers import decode_utf8
from service.errors import InvalidInput, UnsupportedPair
from service.languages import LANGUAGE_NAMES, Lang, LangOrAuto, other_language
from service.translate.base import DecodeOptions
from service.translate.document import DocumentTranslator, TranslationResult

TEXT_SUFFIXES = (".txt", ".md")


def source_language(text: str, requested: LangOrAuto, target: Lang, name: str) -> Lang:
    """The language ``text`` is in (detected for ``auto``); refuses one equal to ``target``."""
    if not text.strip():
        return other_language(target)  # nothing to detect, nothing to translate
    if requested == "auto":
        from service.text.detect import resolve_language

        language = resolve_language(text, "auto")
    else:
        language = requested
    if language == target:
        raise UnsupportedPair(
            f"{name} is already in {LANGUAGE_NAMES[target]} ({target})",
            hint="pick the other language with --to, or --from if the detection is wrong",
        )
    return language


def translate_text(
    translator: DocumentTranslator,
    text: str,
    *,
    target: Lang,
    source: LangOrAuto = "auto",
    options: DecodeOptions | None = None,
    name: str = "the text",
) -> TranslationResult:
    """Translate one text (its language detected when ``source`` is ``auto``)."""
    language = source_language(text, source, target, name)
    return translator.translate([text], language, target, options)


def read_text(path: Path) -> str:
    """A file's text: strict UTF-8 (a BOM is dropped), or one readable error naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    try:
        return decode_utf8(data)
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc.message}", hint=exc.hint) from None


def translate_file(
    translator: DocumentTranslator,
    source_path: Path,
    output_path: Path,
    *,
    target: Lang,
    source: LangOrAuto = "auto",
    options: DecodeOptions | None = None,
) -> TranslationResult:
    """Translate one file into ``output_path``, written atomically (all or nothing)."""
    text = read_text(source_path)
    result = translate_text(
        translator, text, target=target, source=source, options=options, name=str(source_path)
    )
    write_atomic(output_path, result.texts[0].encode("utf-8"))
    return result
