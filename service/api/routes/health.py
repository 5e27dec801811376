"""``/healthz`` (alive), ``/readyz`` (engines loaded) and ``/metrics`` (Prometheus)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from service.api.deps import ServicesDep
from service.api.engine_table import engine_table
from service.api.schemas import EngineInfoOut, HealthOut, ReadyOut, problem_responses
from service.errors import ModelNotAvailable

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
def healthz() -> HealthOut:
    """Always ok while the server answers."""
    return HealthOut(status="ok")


@router.get("/readyz", summary="The engines are loaded", responses=problem_responses(503))
def readyz(services: ServicesDep) -> ReadyOut:
    """200 when every direction has an engine; 503 with the reason otherwise."""
    if services.engines is None:
        raise ModelNotAvailable(f"not ready: {services.not_ready}")
    table = engine_table(services.engines)
    missing = [pair for pair, info in table.items() if info is None]
    if missing:
        raise ModelNotAvailable(
            f"not ready: no engine for {', '.join(missing)}",
            hint="install the models with `briefs models pull`",
        )
    ready: dict[str, EngineInfoOut] = {pair: info for pair, info in table.items() if info}
    return ReadyOut(status="ready", engines=ready)


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
def metrics(services: ServicesDep) -> Response:
    """Requests, latency, sentences translated, batch sizes, queue depth, cache hits."""
    body, content_type = services.metrics.render()
    return Response(body, media_type=content_type)
