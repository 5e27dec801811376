"""Optional API keys (BRIEFS_API_KEYS, BRIEFS_API_KEYS_FILE): off when neither is set."""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers

from service.api.keys import KeyEntry, KeyRing
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


def check_key(keys: KeyRing, key: str | None) -> KeyEntry | None:
    """The key's entry; Unauthorized (no key) or Forbidden (a wrong one) when keys are
    required. Keys are compared by their SHA-256, so the lookup's timing says nothing about
    any key."""
    if not keys.required:
        return None
    if not key:
        raise Unauthorized(
            "this server needs an API key",
            hint="send it as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
        )
    entry = keys.lookup(key)
    if entry is None:
        raise Forbidden("the API key is not valid", hint="check the key with the server operator")
    return entry
