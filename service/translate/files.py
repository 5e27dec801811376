"""Reading a text file and translating one text, with the checks every caller shares.

``briefs translate`` uses it for a file or stdin; the folder runner (``service.jobs``) calls
``read_text`` and ``translate_text`` for each file it schedules.
"""

from __future__ import annotations

from pathlib import Path

from service.text.utf8 import decode_utf8
from service.errors import InvalidInput, UnsupportedPair
from service.languages import LANGUAGE_NAMES, Lang, LangOrAuto, other_language
from service.translate.base import DecodeOptions
from service.translate.document import DocumentTranslator, TranslationResult

TRANSLATABLE_SUFFIXES = (".txt", ".md")  # what `briefs translate` takes from a folder


def source_language(text: str, requested: LangOrAuto, target: Lang, name: str) -> Lang:
    """The language ``text`` is in (detected for ``auto``); refuses one equal to ``target``."""
    if not text.strip():
        return other_language(target)  # nothing to detect, nothing to translate
    if requested == "auto":
        from service.text.detect import resolve_language

        language = resolve_language(text, "auto")
    else:
        language = requested
    refuse_same_language(language, target, name)
    return language


def refuse_same_language(source: LangOrAuto, target: Lang, name: str = "the text") -> None:
    """Raise ``UnsupportedPair`` when ``source`` is ``target``: there is nothing to translate."""
    if source == target:
        raise UnsupportedPair(
            f"{name} is already in {LANGUAGE_NAMES[target]} ({target})",
            hint="pick the other language with --to, or --from if the detection is wrong",
        )


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
