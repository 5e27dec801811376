"""Prometheus metrics, one registry per app so several apps in one process never collide."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.languages import Lang
from service.translate.checks import CHECK_KINDS
from service.translate.document import TranslationResult

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)


class Metrics:
    """The service's counters; also the batcher's ``BatchObserver``."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "briefs_http_requests", "HTTP requests.", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "briefs_http_request_duration_seconds",
            "HTTP request latency.",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.sentences = Counter(
            "briefs_sentences_translated",
            "Sentences run through a translation engine.",
            ["direction"],
            registry=r,
        )
        self.batch_sentences = Histogram(
            "briefs_batch_sentences",
            "Sentences per engine batch.",
            buckets=_BATCH_BUCKETS,
            registry=r,
        )
        self.batch_requests = Histogram(
            "briefs_batch_requests",
            "Callers whose sentences shared one engine batch.",
            buckets=_BATCH_BUCKETS,
            registry=r,
        )
        self.queue = Gauge(
            "briefs_queue_depth", "Sentences waiting for an engine batch.", registry=r
        )
        self.rejections = Counter(
            "briefs_queue_rejections", "Requests turned away with 503: queue full.", registry=r
        )
        self.cache_hits = Counter(
            "briefs_translation_cache_hits", "Sentences answered from the cache.", registry=r
        )
        self.checks = Counter(
            "briefs_translation_checks",
            "Translated sentences' checks that fired, by kind (number, term, date...).",
            ["kind"],
            registry=r,
        )
        # Every kind shows, at 0 until it fires; the series are kept (labels() is not free).
        self._checks_by_kind = {kind: self.checks.labels(kind) for kind in CHECK_KINDS}
        self.cache_lookups = Counter(
            "briefs_translation_sentences",
            "Sentences asked for (cache hits included).",
            registry=r,
        )

    # --- BatchObserver ------------------------------------------------------------------
    def batch_run(self, source: Lang, target: Lang, requests: int, sentences: int) -> None:
        """Record one engine batch."""
        self.sentences.labels(f"{source}-{target}").inc(sentences)
        self.batch_sentences.observe(sentences)
        self.batch_requests.observe(requests)

    def queue_depth(self, sentences: int) -> None:
        """Record the queue depth."""
        self.queue.set(sentences)

    def rejected(self) -> None:
        """Count a request turned away by a full queue."""
        self.rejections.inc()

    # --- DocumentTranslator hook --------------------------------------------------------
    def translation(self, result: TranslationResult) -> None:
        """Count the cache hits and the checks of one whole-text translation."""
        self.cache_hits.inc(result.cache_hits)
        self.cache_lookups.inc(result.sentences)
        for checks in result.checks:
            for check in checks:
                self._checks_by_kind[check.kind].inc()

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """Counts requests and their latency, labelled by route template (not by raw path)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        # Each (method, route, status)'s counter and histogram: ``labels()`` checks and
        # looks up its arguments under a lock on every call, a few µs per request.
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        start = time.perf_counter()

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route: Any = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            method = scope.get("method", "")
            series = self._series.get((method, template, status))
            if series is None:
                series = self._series[(method, template, status)] = (
                    self.metrics.requests.labels(method, template, str(status)),
                    self.metrics.latency.labels(method, template),
                )
            series[0].inc()
            series[1].observe(time.perf_counter() - start)
