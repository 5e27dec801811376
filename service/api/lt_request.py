"""How LibreTranslate's routes read a request and document it.

Parameters come from the query string overlaid with a JSON or form body, as LibreTranslate
reads them; the API key from ``api_key`` or the headers (a header key is checked before the
body is read); languages by code, ``auto`` where a source may be detected. Each route's
OpenAPI entry documents its body in both encodings and its errors in LibreTranslate's shape,
``{"error": "..."}``. Used by ``routes.libretranslate``, ``routes.files`` and
``routes.suggest``.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar, cast

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from service.api.auth import check_key, key_from_headers
from service.api.errors import UnsupportedMediaType
from service.api.keys import KeyEntry, KeyRing
from service.api.limits import FORM_TYPES, media_type
from service.api.schemas import ERROR_MEANINGS
from service.errors import InvalidInput, UnsupportedLanguage
from service.languages import LANGUAGES, Lang, LangOrAuto

M = TypeVar("M", bound=BaseModel)


class LTError(BaseModel):
    error: str


# The error statuses every LibreTranslate route documents, in its shape.
LT_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": LTError, "description": ERROR_MEANINGS[status]}
    for status in (400, 401, 403, 408, 413, 415, 422, 429, 503)
}


def body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a route that reads ``model`` as JSON or as a form."""
    schema = model.model_json_schema()
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "application/x-www-form-urlencoded": {"schema": schema},
            },
        }
    }


async def read_request(
    request: Request, keys: KeyRing, model: type[M]
) -> tuple[M, KeyEntry | None]:
    """The request's parameters as ``model``, and the entry of the key that sent them: a
    header key is checked before the body is read, a body key after."""
    check_header_key(request, keys)
    params = await read_params(request)
    entry = check_key(keys, api_key(params, request))
    return validated(model, params), entry


async def read_params(request: Request) -> dict[str, Any]:
    """Query parameters overlaid with the JSON or form body, as LibreTranslate reads them."""
    params: dict[str, Any] = dict(request.query_params)
    kind = media_type(request)
    body = await request.body()
    if kind in FORM_TYPES:
        async with request.form() as form:  # closes uploaded files' temporary storage
            for key in form:
                values = [v for v in form.getlist(key) if isinstance(v, str)]
                if values:
                    params[key] = values if len(values) > 1 else values[0]
    elif kind is None or kind == "application/json" or kind.endswith("+json"):
        if body.strip():
            try:
                data = json.loads(body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise InvalidInput(f"the request body is not valid JSON: {exc}") from None
            except RecursionError:
                raise InvalidInput("the JSON body is nested too deeply") from None
            if not isinstance(data, dict):
                raise InvalidInput("the JSON body must be an object")
            params.update(data)
    else:
        raise UnsupportedMediaType(
            f"the body is {kind}; send JSON or a form (application/x-www-form-urlencoded)"
        )
    return params


def api_key(params: dict[str, Any], request: Request) -> str | None:
    """The key from the parameters, else from the headers; a key must be one string."""
    key = params.get("api_key")
    if key is None or key == "":
        return key_from_headers(request.headers)
    if not isinstance(key, str):
        raise InvalidInput(
            "api_key must be one string",
            hint="send api_key once, as text, or use the X-API-Key header",
        )
    return key


def check_header_key(request: Request, keys: KeyRing) -> None:
    """A key in the headers is checked before the body is parsed (a body key comes after)."""
    key = key_from_headers(request.headers)
    if key is not None:
        check_key(keys, key)


def validated(model: type[M], params: dict[str, Any]) -> M:
    """``params`` as ``model``; a RequestValidationError naming each field under ``body``."""
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None


def source_and_target(source: str, target: str) -> tuple[LangOrAuto, Lang]:
    """The languages by code: the source may be ``auto``; UnsupportedLanguage otherwise."""
    return _language(source, allow_auto=True, field="source"), cast(
        Lang, _language(target, allow_auto=False, field="target")
    )


def _language(code: str, *, allow_auto: bool, field: str) -> LangOrAuto:
    if code == "auto" and allow_auto:
        return "auto"
    if code in LANGUAGES:
        return code
    supported = ", ".join(LANGUAGES)
    raise UnsupportedLanguage(
        f"{field} language {code!r} is not supported; this server translates {supported}"
    )
