"""The languages Briefs works in, and small helpers around them."""

from __future__ import annotations

from typing import Literal, get_args

from service.errors import UnsupportedPair

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


def refuse_same_language(
    source: LangOrAuto, target: Lang, name: str = "the text", *, detected: bool = False
) -> None:
    """Raise ``UnsupportedPair`` when ``source`` is ``target``: there is nothing to translate."""
    if source == target:
        how = " (detected)" if detected else ""
        raise UnsupportedPair(
            f"{name} is already in {LANGUAGE_NAMES[target]} ({target}){how}",
            hint="translate it into the other language, or name its language if the "
            "detection is wrong",
        )
