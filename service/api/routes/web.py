"""The web page: ``GET /`` and its scripts and styles, served from inside the package.

Everything the page needs ships in ``service/web/``; no build step and no CDN, so the page
works on an offline machine. The Content-Security-Policy allows nothing but this origin.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from fastapi import APIRouter, HTTPException, Response

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

router = APIRouter(include_in_schema=False)


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
def index() -> Response:
    """The parallel-brief page."""
    return _asset_response("index.html")


@router.get("/static/{name}")
def static(name: str) -> Response:
    """A script, style sheet or icon of the page."""
    return _asset_response(name)
