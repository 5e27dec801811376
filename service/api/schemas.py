"""Request and response bodies of the native API (see docs/api.md)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from service.config import SummaryMethod
from service.languages import LANGUAGE_NAMES, LANGUAGES, Lang, LangOrAuto, other_language
from service.text.markup import Format
from service.translate.glossary import MAX_REQUEST_TERMS, Glossary, glossary_from_rows


def encodable(text: str) -> str:
    """Validator: the text is valid Unicode (JSON can smuggle in lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the text is not valid Unicode (it has a lone surrogate)") from None
    return text


def readable(text: str) -> str:
    """Validator: the text has some non-whitespace and is valid Unicode."""
    if not text.strip():
        raise ValueError("the text is empty or only whitespace")
    return encodable(text)


def readable_texts(value: str | list[str]) -> str | list[str]:
    """Validator: one text or each text of a list is readable."""
    if isinstance(value, str):
        return readable(value)
    if not value:
        raise ValueError("the list of texts is empty")
    for index, text in enumerate(value):
        try:
            readable(text)
        except ValueError as exc:
            raise ValueError(f"item {index}: {exc}") from None
    return value


Text = Annotated[
    str, Field(min_length=1, description="Plain text, HTML or Markdown."), AfterValidator(readable)
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class GlossaryRowIn(_Body):
    """One term pair; equal cells protect a name (copied verbatim)."""

    en: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(readable)]
    es: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(readable)]


GlossaryIn = Annotated[
    list[GlossaryRowIn] | None,
    Field(
        default=None,
        description="Term pairs kept in the translation, over the server's glossary "
        '(BRIEFS_GLOSSARY), e.g. [{"en": "task force", "es": "fuerza de tarea"}].',
    ),
]


class CheckOut(BaseModel):
    """Something that may be wrong with one translated sentence (README, "Checks")."""

    kind: Literal["number", "term", "untranslated", "length", "repetition", "date"]
    message: str
    sentence: int = Field(description="Index of the sentence in its text (0-based).")
    source: str = Field(description="The source sentence.")
    target: str = Field(description="The translated sentence (the page marks it).")


class ArticleIn(_Body):
    """One article to brief."""

    text: Text
    title: Annotated[str, Field(max_length=1000), AfterValidator(encodable)] | None = Field(
        default=None, description="Optional; empty or blank means no title."
    )
    language: LangOrAuto = "auto"
    include_full_translation: bool = False
    glossary: GlossaryIn = None


class EngineInfoOut(BaseModel):
    """Which engine and model translate one direction."""

    engine: str
    model: str
    low_quality: bool


class TranslateIn(_Body):
    """Texts to translate; a list is answered with a list in the same order."""

    text: str | list[str] = Field(description="A text, or a list of texts (not empty).")
    source: LangOrAuto = "auto"
    target: Lang
    format: Format = "text"
    glossary: GlossaryIn = None

    _texts_readable = field_validator("text")(readable_texts)


class TranslateOut(BaseModel):
    translation: str | list[str]
    source: Lang
    target: Lang
    detected_language: Lang | None
    engine: EngineInfoOut
    warnings: list[str]
    checks: list[CheckOut] | list[list[CheckOut]] = Field(
        description="Per text (a list of lists for a list): what may be wrong with its "
        "translated sentences; empty when nothing fired."
    )


def glossary_of(rows: list[GlossaryRowIn] | None) -> Glossary | None:
    """A request's glossary rows as a Glossary (InputTooLarge over the request limit)."""
    if not rows:
        return None
    return glossary_from_rows(
        [row.model_dump() for row in rows], where="row", limit=MAX_REQUEST_TERMS
    )


class SummarizeIn(_Body):
    text: Text
    language: LangOrAuto = "auto"
    length: Literal["short", "long", "both"] = "both"
    method: SummaryMethod = "extractive"


class SummarizeOut(BaseModel):
    language: Lang
    method: str
    short: str | None
    long: str | None
    warnings: list[str]


class DetectIn(_Body):
    text: Text


class DetectOut(BaseModel):
    language: str = Field(description="ISO 639-1 code; may be a language Briefs cannot translate.")
    confidence: float = Field(ge=0, le=1)
    supported: bool


class LanguageOut(BaseModel):
    code: Lang
    name: str
    targets: list[Lang]


def supported_languages() -> list[LanguageOut]:
    """The languages Briefs translates, each with its targets (native and LibreTranslate)."""
    return [
        LanguageOut(code=code, name=LANGUAGE_NAMES[code], targets=[other_language(code)])
        for code in LANGUAGES
    ]


class LanguagesOut(BaseModel):
    languages: list[LanguageOut]
    engines: dict[str, EngineInfoOut | None] = Field(
        description=(
            "Engine per direction (e.g. en-es); null when no engine serves it; "
            "empty while the engines are not loaded (see /readyz)."
        )
    )


class HealthOut(BaseModel):
    status: Literal["ok"]


class ReadyOut(BaseModel):
    status: Literal["ready"]
    engines: dict[str, EngineInfoOut]


class Problem(BaseModel):
    """An error (RFC 9457 problem details, with the Briefs error code)."""

    type: str = "about:blank"
    title: str
    status: int
    code: str
    detail: str
    hint: str | None = None
    errors: list[dict[str, Any]] | None = None


# What each error status means on this API: the refusals a valid-looking request can meet.
ERROR_MEANINGS: dict[int, str] = {
    400: "The body cannot be read (malformed JSON, invalid UTF-8) or, on the LibreTranslate "
    "routes, a parameter is invalid",
    401: "An API key is needed (BRIEFS_API_KEYS or BRIEFS_API_KEYS_FILE is set)",
    403: "The API key is not valid",
    408: "The request head or body did not arrive within BRIEFS_CLIENT_TIMEOUT_S",
    413: "The body, a text or a list is over a limit (BRIEFS_MAX_*)",
    415: "The body's media type, charset or content encoding is not read here",
    422: "Well-formed but refused: an empty or blank text, a language that cannot be detected "
    "(source auto on text with no language signal), the same source and target, an "
    "unsupported language, or a summary method that is not installed",
    429: "Over the rate limit or the key's character quota (Retry-After says when to retry)",
    503: "Not ready (no engine or model for the direction) or full (BRIEFS_QUEUE_SIZE); "
    "Retry-After when it is full",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses."""
    return {
        status: {"model": Problem, "description": ERROR_MEANINGS[status]} for status in statuses
    }
