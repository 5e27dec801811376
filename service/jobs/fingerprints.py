"""The parts of a settings fingerprint that ``brief`` and ``translate`` share."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import Any

from service import __version__
from service.config import Settings
from service.errors import BriefsError
from service.languages import LANGUAGES, other_language
from service.translate.document import DocumentTranslator


def translation_settings(document: DocumentTranslator, settings: Settings) -> dict[str, Any]:
    """The engine and model of each direction, the decoding settings and the version."""
    engines: dict[str, Any] = {}
    for source in LANGUAGES:
        target = other_language(source)
        try:
            info = document.translator.info(source, target)
            engines[f"{source}-{target}"] = (
                asdict(info) if is_dataclass(info) and not isinstance(info, type) else str(info)
            )
        except BriefsError as exc:
            engines[f"{source}-{target}"] = f"unavailable: {exc.code}"
    return {
        "version": __version__,
        "engines": engines,
        "decoding": [settings.beam_size, settings.max_decoding_length, settings.compute_type],
        "max_text_chars": settings.max_text_chars,
        "glossary": document.glossary.digest(),
    }
