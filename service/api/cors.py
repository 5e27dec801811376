"""CORS from ``BRIEFS_CORS_ORIGINS``: browser pages on the origins listed may call the API.

Starlette's ``CORSMiddleware`` sits outside every other middleware, so a preflight
(``OPTIONS`` with ``Access-Control-Request-Method``) is answered on any path before a key,
admission or a rate limit is checked, and every answer (errors, 429 and 503 included) carries
the headers a browser needs to read it. ``*`` allows any origin, never with credentials.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from service.config import Settings

# What a page may send besides the CORS-safelisted headers, and what its script may read.
ALLOW_HEADERS = ("Authorization", "X-API-Key", "X-Request-ID")
EXPOSE_HEADERS = ("X-Request-ID", "Retry-After", "WWW-Authenticate", "X-Briefs-Alternatives")
MAX_AGE_S = 600


def add_cors(app: FastAPI, settings: Settings) -> None:
    """Add CORS as the outermost middleware (call it after every other ``add_middleware``);
    nothing when no origin is set, so no CORS header is ever sent."""
    origins = settings.cors_origins
    if not origins:
        return
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_credentials=origins != ["*"],
        allow_methods=("GET", "HEAD", "POST", "OPTIONS"),
        allow_headers=ALLOW_HEADERS,
        expose_headers=EXPOSE_HEADERS,
        max_age=MAX_AGE_S,
    )
