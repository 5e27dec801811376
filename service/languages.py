"""The languages Briefs works in, and small helpers around them."""

from __future__ import annotations

from typing import Literal, get_args

Lang = Literal["en", "es"]
LangOrAuto = Literal["auto", "en", "es"]

LANGUAGES: tuple[Lang, ...] = get_args(Lang)
LANGUAGE_NAMES: dict[Lang, str] = {"en": "English", "es": "Spanish"}


def other_language(lang: Lang) -> Lang:
    """The other language of the pair: en -> es, es -> en."""
    return "es" if lang == "en" else "en"


def pair_name(source: Lang, target: Lang) -> str:
    """The model-store name of a translation direction, e.g. ``en-es``."""
    return f"{source}-{target}"
