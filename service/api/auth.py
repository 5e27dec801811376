"""Optional API keys (BRIEFS_API_KEYS): off when the list is empty."""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers

from service.config import Settings
from service.errors import Forbidden, Unauthorized


def key_from_headers(headers: Headers) -> str | None:
    """The key sent as ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``."""
    authorization = headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return headers.get("x-api-key") or None


def same_secret(sent: str, known: str) -> bool:
    """Constant-time comparison; a lone surrogate (a JSON body may carry "\ud800") never
    matches, and never raises."""
    return hmac.compare_digest(sent.encode("utf-8", "surrogatepass"), known.encode())


def check_key(settings: Settings, key: str | None) -> None:
    """Raise Unauthorized (no key) or Forbidden (wrong key) when keys are required."""
    if not settings.api_keys:
        return
    if not key:
        raise Unauthorized(
            "this server needs an API key",
            hint="send it as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
        )
    if not any(same_secret(key, known) for known in settings.api_keys):
        raise Forbidden("the API key is not valid", hint="check the key with the server operator")
