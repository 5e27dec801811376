"""The API's error responses: every error is JSON, problem+json on the native routes.

Domain errors (``service.errors``) carry a code and a message; ``STATUS`` below is the one
place that gives each kind its HTTP status. Request validation, routing and body-limit
errors get codes here. LibreTranslate-compatible routes answer in
LibreTranslate's shape, ``{"error": "..."}``, so its clients read the message.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.config import SettingsError
from service.errors import (
    BriefsError,
    Busy,
    EngineUnavailable,
    Forbidden,
    InputTooLarge,
    InvalidInput,
    ModelBroken,
    ModelInvalid,
    ModelNotAvailable,
    NetworkUnavailable,
    NotFound,
    RateLimited,
    StorageError,
    Unauthorized,
    UnsupportedFormat,
    UnsupportedLanguage,
    UnsupportedPair,
)
from service.text.prompts import TemplateError

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
LIBRETRANSLATE_PATHS = frozenset(
    {"/translate", "/detect", "/languages", "/frontend/settings", "/spec", "/translate_file",
     "/suggest"}
)  # fmt: skip
# The first path segments of the native routes; every other path is LibreTranslate's ground.
_NATIVE = frozenset({"", "v1", "static", "docs", "redoc", "openapi.json", "healthz", "readyz",
                     "metrics"})  # fmt: skip


def libretranslate_shape(path: str) -> bool:
    """Whether errors on ``path`` answer in LibreTranslate's shape, ``{"error": "..."}``: its
    routes, and any path outside the native ones (a LibreTranslate client's unknown route,
    e.g. a 404 on ``/download_file/...``, reads its message)."""
    return path in LIBRETRANSLATE_PATHS or path.split("/")[1] not in _NATIVE


# RFC 9110 names where Python's HTTPStatus still has the older ones.
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    503: "unavailable",
}


class UnsupportedMediaType(BriefsError):
    code = "unsupported_media_type"


class MethodNotAvailable(BriefsError):
    """The request asks for an option this server cannot provide (e.g. no abstractive model)."""

    code = "method_not_available"


# Each kind of error and its status; a subclass takes its nearest listed ancestor's.
STATUS: dict[type[BriefsError], int] = {
    BriefsError: 400,
    InvalidInput: 422,  # EmptyInput too
    UnsupportedMediaType: 415,
    InputTooLarge: 413,
    UnsupportedFormat: 400,
    NotFound: 404,
    UnsupportedLanguage: 422,
    UnsupportedPair: 422,
    MethodNotAvailable: 422,
    ModelInvalid: 422,  # a folder the client gave is not a usable model
    Unauthorized: 401,
    Forbidden: 403,
    ModelNotAvailable: 503,
    ModelBroken: 503,  # an installed model fails: the server needs fixing, retry later
    EngineUnavailable: 503,
    NetworkUnavailable: 503,
    Busy: 503,
    RateLimited: 429,
    StorageError: 507,
    TemplateError: 500,
    SettingsError: 500,
}


def status_of(exc: BriefsError) -> int:
    """The HTTP status for a domain error."""
    return next(STATUS[kind] for kind in type(exc).__mro__ if kind in STATUS)


def error_response(
    path: str,
    status: int,
    code: str,
    detail: str,
    *,
    hint: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A JSON error: problem+json, or LibreTranslate's shape on its routes."""
    if libretranslate_shape(path):
        message = f"{detail} ({hint})" if hint else detail
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(status) or HTTPStatus(status).phrase,
        "status": status,
        "code": code,
        "detail": detail,
        "hint": hint,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BriefsError)
    return response_for(request.url.path, exc)


def response_for(path: str, exc: BriefsError) -> JSONResponse:
    """The response for a domain error on ``path``: its status, code, message and headers."""
    headers: dict[str, str] = {}
    if isinstance(exc, Busy):
        headers["Retry-After"] = str(exc.retry_after_s)
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(
        path, status_of(exc), exc.code, exc.message, hint=exc.hint, headers=headers
    )


# Pydantic names the branch of a union in ``loc`` ("str", "list[str]", "function-after[...]").
_UNION_TAG = re.compile(r"^(str|int|float|bool|list|dict|[a-z-]+\[.*\]|[A-Z]\w*)$")


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in loc if not _UNION_TAG.match(str(part))]
    return ".".join(parts) or "body"


def _message(problem: dict[str, Any]) -> str:
    return str(problem.get("msg", "")).removeprefix("Value error, ")


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = list(exc.errors())
    if any(p.get("type") == "json_invalid" for p in problems):
        reason = next(p for p in problems if p.get("type") == "json_invalid")
        context = reason.get("ctx") or {}
        return error_response(
            request.url.path,
            400,
            "malformed_json",
            f"the request body is not valid JSON: {context.get('error', 'parse error')}",
            hint="send a JSON object with Content-Type: application/json",
        )
    errors = [
        {"field": _field(p.get("loc", ())), "message": _message(p), "type": p.get("type")}
        for p in problems
    ]
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(error["field"], []).append(error["message"])
    detail = "; ".join(f"{name}: {' or '.join(msgs)}" for name, msgs in by_field.items())
    return error_response(
        request.url.path,
        400 if libretranslate_shape(request.url.path) else 422,
        "validation_error",
        f"invalid request: {detail}",
        errors=errors,
    )


# FastAPI's one message for every body it could not decode; ``_unparsable`` says which.
_PARSE_FAILED = "There was an error parsing the body"


def _unparsable(request: Request, cause: BaseException | None) -> tuple[int, str, str, str]:
    """Status, code, detail and hint for a body FastAPI could not decode."""
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding != "identity":
        return (
            415, "unsupported_encoding",
            f"the body is sent with Content-Encoding: {encoding}; this server does not decode it",
            "send the JSON uncompressed (no Content-Encoding header)",
        )  # fmt: skip
    charset = re.search(r"charset=\"?([\w.:-]+)", request.headers.get("content-type", ""), re.I)
    if charset and charset.group(1).lower().replace("-", "") not in ("utf8", "usascii"):
        return (
            415, "unsupported_charset",
            f"the body is declared as charset={charset.group(1)}; JSON bodies must be UTF-8",
            "encode the body as UTF-8 and send Content-Type: application/json",
        )  # fmt: skip
    if isinstance(cause, UnicodeDecodeError):
        return (
            400, "invalid_utf8",
            f"the body is not valid UTF-8: byte {cause.start} (0x{cause.object[cause.start]:02x})",
            "encode the body as UTF-8",
        )  # fmt: skip
    if isinstance(cause, RecursionError):
        return (
            400, "malformed_json", "the JSON body is nested too deeply to read",
            "send fewer nested lists and objects",
        )  # fmt: skip
    return 400, "malformed_json", "the request body could not be read as JSON", ""


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 400 and exc.detail == _PARSE_FAILED:
        status, code, detail, hint = _unparsable(request, exc.__cause__)
        return error_response(request.url.path, status, code, detail, hint=hint or None)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
    if status == 404 and detail == "Not Found":
        detail = f"no route {request.method} {request.url.path}; see /docs for the API"
    elif status == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    return error_response(
        request.url.path,
        status,
        _HTTP_CODES.get(status, "http_error"),
        detail,
        headers=dict(exc.headers or {}),
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the single handler for each kind of error."""
    app.add_exception_handler(BriefsError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    # Any other exception: edge.RequestGuard answers 500 and keeps the connection.
