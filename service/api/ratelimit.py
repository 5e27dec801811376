"""Rate limits and quotas (``BRIEFS_RATE_LIMIT``, per-key ``rate=`` and ``chars=``).

Requests are counted per API key, or per client address when they carry none, with the
``limits`` library: in memory by default (each worker process counts alone), in Redis with
``BRIEFS_REDIS_URL`` so workers and replicas share the counters. Rates use a sliding window,
character quotas a fixed one (``chars=200000/day`` resets at the day's boundary, UTC).
A counter store that fails (Redis down) lets requests through and logs why: a limiter must
not take translation down with it.
"""

from __future__ import annotations

import json
import logging
import math
import time
from urllib.parse import parse_qs

from limits import RateLimitItem, parse_many
from limits.aio.strategies import (
    FixedWindowRateLimiter,
    RateLimiter,
    SlidingWindowCounterRateLimiter,
)
from limits.storage import storage_from_string
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from service.api.auth import key_from_headers
from service.api.errors import LIBRETRANSLATE_PATHS, response_for
from service.api.keys import KeyEntry, KeyRing
from service.api.limits import replaying
from service.config import Settings
from service.errors import QuotaExceeded, RateLimited

log = logging.getLogger(__name__)
_WARN_EVERY_S = 60.0


class Limiter:
    """The counters: ``admit`` raises RateLimited or QuotaExceeded, or lets a request in."""

    def __init__(self, settings: Settings) -> None:
        self.default: tuple[RateLimitItem, ...] = (
            tuple(parse_many(settings.rate_limit)) if settings.rate_limit else ()
        )
        if settings.redis_url:
            storage = storage_from_string(
                f"async+{settings.redis_url}", implementation="redispy", key_prefix="briefs"
            )
        else:
            storage = storage_from_string("async+memory://")
        self.storage = storage
        self.rates = SlidingWindowCounterRateLimiter(storage)
        self.quotas = FixedWindowRateLimiter(storage)
        self._warned = 0.0

    async def admit(self, entry: KeyEntry | None, address: str, chars: int) -> None:
        """Count one request of ``chars`` characters from a key (or an address)."""
        identity = entry.identity if entry else f"ip:{address}"
        who = f"the API key {entry.name!r}" if entry else f"the address {address}"
        rates = entry.rate if entry and entry.rate is not None else self.default
        for item in rates:
            if not await self._hit(self.rates, item, identity, 1):
                raise RateLimited(
                    f"{who} reached its rate limit of {item}",
                    retry_after_s=await self._retry_after(self.rates, item, identity),
                    hint="wait for the time Retry-After gives, or ask for a higher limit",
                )
        quota = entry.chars if entry else None
        if quota is not None and not await self._hit(self.quotas, quota, identity, chars):
            too_big = chars > quota.amount
            raise QuotaExceeded(
                f"{who} has a quota of {quota.amount:,} characters per {_window(quota)}; "
                + (
                    f"this request alone has {chars:,}"
                    if too_big
                    else f"this request ({chars:,} characters) would pass it"
                ),
                retry_after_s=await self._retry_after(self.quotas, quota, identity),
                hint="send less text per request" if too_big else "retry after Retry-After",
            )

    async def _hit(self, limiter: RateLimiter, item: RateLimitItem, who: str, cost: int) -> bool:
        try:
            return await limiter.hit(item, who, cost=cost)
        except Exception as exc:  # the store is down: let the request in, say so now and then
            now = time.monotonic()
            if now - self._warned > _WARN_EVERY_S:
                self._warned = now
                log.error("rate limits not counted (the counter store failed): %r", exc)
            return True

    async def _retry_after(self, limiter: RateLimiter, item: RateLimitItem, who: str) -> int:
        try:
            stats = await limiter.get_window_stats(item, who)
        except Exception:
            return 1
        return max(1, math.ceil(stats.reset_time - time.time()))


def _window(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples} {unit}s"


class RateGate:
    """Counts every POST against the limits of its key (header, or a LibreTranslate body's
    ``api_key``) or of its client address. Runs inside the body limit, so it sees the whole
    (bounded) body, whose characters are what a quota counts; a refused request gets 429 with
    ``Retry-After`` before any route parses it."""

    def __init__(self, app: ASGIApp, limiter: Limiter, keys: KeyRing) -> None:
        self.app = app
        self.limiter = limiter
        self.keys = keys

    @staticmethod
    def needed(limiter: Limiter, keys: KeyRing) -> bool:
        """Whether anything is counted: a default limit, or a keys file (whose keys may carry
        limits of their own, now or after a reload)."""
        return bool(limiter.default) or keys.path is not None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Installed only when ``needed``, which start-up settings decide once.
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        address = (scope.get("client") or ("unknown", 0))[0]
        try:
            await self.limiter.admit(self._entry(scope, body), address, _characters(body))
        except RateLimited as exc:
            await response_for(scope["path"], exc)(scope, receive, send)
            return
        await self.app(scope, replaying(body, receive), send)

    def _entry(self, scope: Scope, body: bytes) -> KeyEntry | None:
        """The key the request counts under; one that is not valid counts as none (the key
        check, before or after, refuses it)."""
        headers = Headers(scope=scope)
        key = key_from_headers(headers)
        if key is None and scope["path"] in LIBRETRANSLATE_PATHS:
            key = _body_api_key(headers.get("content-type", ""), body)
        return self.keys.lookup(key) if key else None


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _characters(body: bytes) -> int:
    return len(body.decode("utf-8", "replace"))


def _body_api_key(content_type: str, body: bytes) -> str | None:
    """``api_key`` of a LibreTranslate JSON or urlencoded body, when it is one string."""
    try:
        if content_type.startswith("application/x-www-form-urlencoded"):
            values = parse_qs(body.decode("utf-8"), max_num_fields=1000).get("api_key", [])
            return values[0] if len(values) == 1 else None
        if "multipart/" in content_type:
            return None  # a file upload: send the key in a header to count under it
        data = json.loads(body) if body.strip() else None
    except (ValueError, RecursionError):
        return None  # the route answers a body it cannot read
    key = data.get("api_key") if isinstance(data, dict) else None
    return key if isinstance(key, str) and key else None
