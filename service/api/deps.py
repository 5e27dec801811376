"""What routes depend on, as ``Annotated[..., Depends(...)]`` aliases.

The dependencies are ``async def`` because they only read state: a plain ``def`` would cost
each request a trip through the thread pool per dependency, which under load delays the
request threads that feed the cross-request batcher.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from service.api.keys import KeyRing
from service.api.metrics import Metrics
from service.config import Settings
from service.engines import Engines
from service.errors import ModelNotAvailable
from service.suggestions import SuggestionStore


@dataclass
class Services:
    """Per-app state: settings, metrics and the engines once the lifespan built them."""

    settings: Settings
    metrics: Metrics
    keys: KeyRing
    engines: Engines | None = None
    not_ready: str | None = "the engines are still loading"
    # Builds the articles of list requests side by side; bounded, shared by all requests.
    list_pool: ThreadPoolExecutor | None = None
    suggestions: SuggestionStore | None = None  # opened on the first POST /suggest


def services_of(request: Request) -> Services:
    """The app's services, read straight from the request: each dependency below is one level
    for FastAPI to solve per request, none of them nested."""
    services: Services = request.app.state.services
    return services


async def get_services(request: Request) -> Services:
    """The app's services."""
    return services_of(request)


async def get_settings_dep(request: Request) -> Settings:
    """The app's settings."""
    return services_of(request).settings


def engines_of(request: Request) -> Engines:
    """The engines, or 503 with the reason they are not there. The translation routes call
    it themselves: each dependency costs FastAPI some microseconds to solve per request."""
    services = services_of(request)
    if services.engines is None:
        raise ModelNotAvailable(
            f"the service is not ready: {services.not_ready}",
            hint="see GET /readyz; install a model with `briefs models pull`",
        )
    return services.engines


async def get_engines(request: Request) -> Engines:
    """The engines, or 503 with the reason they are not there."""
    return engines_of(request)


async def get_keys(request: Request) -> KeyRing:
    """The accepted API keys."""
    return services_of(request).keys


ServicesDep = Annotated[Services, Depends(get_services)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
EnginesDep = Annotated[Engines, Depends(get_engines)]
KeysDep = Annotated[KeyRing, Depends(get_keys)]
