"""The web page: ``GET /`` and its scripts and styles, served from inside the package.

Everything the page needs ships in ``service/web/``; no build step and no CDN, so the page
works on an offline machine. The Content-Security-Policy allows nothing but this origin.

The page speaks English and Spanish (its strings: ``service/web/messages.js``). ``GET /``
serves it with ``<html lang>`` set from the ``briefs-lang`` cookie (the page's EN/ES switch
writes it) or else from ``Accept-Language``, so the language is right before any script runs;
the script then puts the strings in that language.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Annotated

from fastapi import APIRouter, Cookie, Header, HTTPException, Response

WEB_PACKAGE = "service"
WEB_FOLDER = "web"

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # The files change only with the package; revalidate so an upgrade shows at once.
    "Cache-Control": "no-cache",
}

PAGE_LANGUAGES = ("en", "es")
LANGUAGE_COOKIE = "briefs-lang"
_HTML_LANG = b'<html lang="en">'

router = APIRouter(include_in_schema=False)


def page_language(accept_language: str | None, cookie: str | None = None) -> str:
    """The page's language: the saved choice, else the best of ``Accept-Language``, else en."""
    if cookie in PAGE_LANGUAGES:
        return cookie
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        base = tag.strip().lower().split("-")[0]
        if base in PAGE_LANGUAGES and quality > 0:
            ranked.append((-quality, position, base))
    return min(ranked)[2] if ranked else "en"


@lru_cache(maxsize=16)
def read_asset(name: str) -> bytes | None:
    """The bytes of ``service/web/<name>``, or None when there is no such servable file."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in MEDIA_TYPES or "/" in name or "\\" in name or name.startswith("."):
        return None
    resource = files(WEB_PACKAGE).joinpath(WEB_FOLDER, name)
    if not resource.is_file():
        return None
    return resource.read_bytes()


def _asset_response(name: str) -> Response:
    body = read_asset(name)
    if body is None:
        raise HTTPException(status_code=404, detail=f"no static file named {name!r}")
    media_type = MEDIA_TYPES[name[name.rfind(".") :]]
    return Response(content=body, media_type=media_type, headers=SECURITY_HEADERS)


@router.get("/")
def index(
    accept_language: Annotated[str | None, Header()] = None,
    briefs_lang: Annotated[str | None, Cookie(alias=LANGUAGE_COOKIE)] = None,
) -> Response:
    """The parallel-brief page, its ``<html lang>`` in the reader's language."""
    page = read_asset("index.html")
    if page is None:
        raise HTTPException(status_code=404, detail="the page is not installed")
    language = page_language(accept_language, briefs_lang)
    page = page.replace(_HTML_LANG, f'<html lang="{language}">'.encode(), 1)
    headers = {**SECURITY_HEADERS, "Vary": "Accept-Language, Cookie"}
    return Response(content=page, media_type=MEDIA_TYPES[".html"], headers=headers)


@router.get("/static/{name}")
def static(name: str) -> Response:
    """A script, style sheet or icon of the page."""
    return _asset_response(name)
