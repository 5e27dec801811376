"""Optional API keys (BRIEFS_API_KEYS): off when the list is empty."""

from __future__ import annotations

import hmac

from fastapi import Request

from service.config import Settings
from service.errors import Forbidden, Unauthorized


def key_from_headers(request: Request) -> str | None:
    """The key sent as ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``."""
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("x-api-key") or None


def check_key(settings: Settings, key: str | None) -> None:
    """Raise Unauthorized (no key) or Forbidden (wrong key) when keys are required."""
    if not settings.api_keys:
        return
    if not key:
        raise Unauthorized(
            "this server needs an API key",
            hint="send it as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
        )
    # surrogatepass: a JSON body may carry a lone surrogate ("\ud800"); it is a wrong key.
    sent = key.encode("utf-8", "surrogatepass")
    if not any(hmac.compare_digest(sent, known.encode()) for known in settings.api_keys):
        raise Forbidden("the API key is not valid", hint="check the key with the server operator")
