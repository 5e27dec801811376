"""The value choices the commands share, defined once.

Languages come from ``service.languages``. The engine and summarizer names mirror
``service.config`` (``EngineName``, ``SummaryMethod``) instead of importing it: pydantic-settings
would double the start-up time of ``briefs --help``. A test checks that they agree.
"""

from __future__ import annotations

from typing import Literal

from service.languages import Lang, LangOrAuto
from service.text.formats import Format

EngineChoice = Literal["auto", "ctranslate2", "transformers", "apertium"]
MethodChoice = Literal["extractive", "abstractive"]
LanguageChoice = LangOrAuto
TargetChoice = Lang
FormatChoice = Format

__all__ = ["EngineChoice", "FormatChoice", "LanguageChoice", "MethodChoice", "TargetChoice"]
