"""The FastAPI app factory and its lifespan.

The engines are built once, in the lifespan (off the event loop), wrapped in the
cross-request batcher, and handed to routes through ``Depends``. ``briefs serve`` builds the
app through the factory string ``service.api.app:create_app`` so each worker builds its own.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig

from service import __version__
from service.api.cors import add_cors
from service.api.deps import Services
from service.api.edge import Admission, HeadAsGet, KeyGate, RequestGuard
from service.api.errors import PROBLEM_JSON, install_error_handlers, libretranslate_shape
from service.api.keys import KeyRing
from service.api.limits import BodySizeLimit
from service.api.logs import configure_logging
from service.api.metrics import Metrics, MetricsMiddleware
from service.api.ratelimit import Limiter, RateGate
from service.briefs import Article
from service.config import Settings, get_settings
from service.engines import Engines, build_engines
from service.errors import BriefsError, ModelBroken
from service.languages import LANGUAGES, Lang, other_language, pair_name
from service.memory import (
    limit_arenas,
    release_free_memory,
    restore_collector,
    settle_collector,
)
from service.text.detect import detect_language
from service.translate.base import Translator
from service.translate.batching import BatchingTranslator

log = logging.getLogger(__name__)

DESCRIPTION = (
    "Parallel English/Spanish news briefs: summaries plus Opus-MT translation. "
    "Errors are application/problem+json; the LibreTranslate-compatible routes answer in "
    "LibreTranslate's shapes."
)

# The documentation's sections, in this order (routing order differs: see _routing_order).
TAGS = [
    {"name": "briefs", "description": "Parallel English and Spanish briefs of articles."},
    {"name": "translate", "description": "Text, HTML and Markdown, with checks."},
    {"name": "summarize", "description": "Short and long summaries in one language."},
    {"name": "detect", "description": "Which of the two languages a text is in."},
    {"name": "languages", "description": "The languages and directions served."},
    {"name": "health", "description": "Liveness, readiness and Prometheus metrics."},
    {"name": "libretranslate", "description": "LibreTranslate's routes and shapes."},
]

# Articles of list requests are built side by side (their sentences share batches), on one
# pool for the whole app so concurrent list requests never add threads beyond it.
LIST_WORKERS = 4


def sentence_engine(settings: Settings) -> Translator:
    """The sentence engine the settings name (tests replace it via ``dependency_overrides``)."""
    from service.translate.factory import build_translator

    return build_translator(settings)


def route_threads(settings: Settings) -> int:
    """Threads for plain ``def`` routes: each waits in the batcher while its sentences are
    translated, so AnyIO's default 40 capped the requests in flight, and with them the
    batches (64 one-sentence clients: 9 requests a batch, 54% of raw CTranslate2; with enough
    threads 17 a batch, 78%). Enough to fill a shared batch for every engine worker, twice."""
    workers, _ = settings.engine_threads()
    return max(40, 2 * settings.shared_batch_size * workers)


def build_served_engines(settings: Settings, metrics: Metrics, translator: Translator) -> Engines:
    """The engines the server uses: ``translator`` behind the cross-request batcher."""
    batcher = BatchingTranslator(translator, settings, observer=metrics)
    try:
        engines = build_engines(
            settings, sentence_translator=batcher, on_translation=metrics.translation
        )
        # Warmed up on engines of its own around the same translator: the models and the
        # detector load for good, while the metrics and the translation cache see nothing.
        warm_up(build_engines(settings, sentence_translator=translator), translator)
    except BaseException:
        batcher.close()
        raise
    return engines


# Short articles with what real ones have (a heading, quotes, abbreviations, numbers,
# percentages, dates), so the splitter's and the summarizer's lazily built rules load here.
WARM_UP_ARTICLES: dict[Lang, str] = {
    "en": "Volcano erupts near Antigua\n\n"
    "The Fuego volcano erupted at 6:30 a.m. on Monday, March 2, 2026, and 2,552 people left "
    'their homes near the town. "We saw the ash first," said Mr. Julio Reyes, 54, a farmer. '
    "The U.S. Embassy and the government opened 10 shelters; about 40% of the families went "
    "to them.\n\nThe Ministry of Health sent water, masks and 1.5 million dollars in aid. "
    "Officials said schools would stay closed until Friday (the 6th).",
    "es": "Erupción cerca de Antigua\n\n"
    "El volcán de Fuego hizo erupción a las 6:30 a. m. del lunes 2 de marzo de 2026, y 2.552 "
    "personas dejaron sus casas cerca del pueblo. «Vimos la ceniza primero», dijo el Sr. "
    "Julio Reyes, de 54 años, agricultor. La Embajada de EE. UU. y el gobierno abrieron 10 "
    "albergues; cerca del 40 % de las familias fue a ellos.\n\n¿Qué sigue? El Ministerio de "
    "Salud envió agua, mascarillas y 1,5 millones de dólares en ayuda. Las escuelas seguirán "
    "cerradas hasta el viernes (el día 6).",
}


def warm_up(engines: Engines, translator: Translator) -> None:
    """Load everything a request touches, so ready means loaded and the first request costs
    what a later one does: each direction's model, the language detector, and one short brief
    per language (the summarizer, the sentence splitter, one translation each way).

    A direction without an engine is left for /readyz to name; a model that fails to load
    raises a BriefsError with the reason (never an engine's raw exception).
    """
    _load_models(engines, translator)
    detect_language(WARM_UP_ARTICLES["en"])
    for language, text in WARM_UP_ARTICLES.items():
        try:
            engines.briefs.build(Article(text=text, title="Warm-up", language=language))
        except BriefsError as exc:  # a direction without an engine: /readyz says so
            log.info("warm-up brief in %s skipped: %s", language, exc)
        except Exception:  # an engine bug: requests will answer it as a 500 with an id
            log.exception("the warm-up brief in %s failed", language)


def _load_models(engines: Engines, translator: Translator) -> None:
    for source in LANGUAGES:
        target = other_language(source)
        try:
            engines.info(source, target)
        except BriefsError:
            continue
        try:
            translator.count_tokens(["warm-up"], source, target)  # loads tokenizer and model
        except BriefsError:
            raise
        except Exception as exc:
            raise ModelBroken(
                f"the {pair_name(source, target)} model failed to load: {exc}",
                hint="reinstall it with `briefs models pull`",
            ) from exc


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    services: Services = app.state.services
    factory = app.dependency_overrides.get(sentence_engine, sentence_engine)
    limit_arenas()  # before the engine, route and batch threads start (service.memory)
    try:
        translator = await anyio.to_thread.run_sync(factory, services.settings)
        services.engines = await anyio.to_thread.run_sync(
            build_served_engines, services.settings, services.metrics, translator
        )
        services.not_ready = None
        release_free_memory()  # what the warm-up's translations freed
        settle_collector()
    except BriefsError as exc:
        # Serve anyway: /healthz answers, /readyz and inference say why (503).
        services.not_ready = str(exc)
        log.error("engines not loaded: %s", exc)
    except Exception as exc:  # an engine bug: still serve, and say why
        services.not_ready = f"the engines failed to load: {exc!r}"
        log.exception("engines not loaded")
    anyio.to_thread.current_default_thread_limiter().total_tokens = route_threads(services.settings)
    pool = ThreadPoolExecutor(LIST_WORKERS, thread_name_prefix="briefs-list")
    services.list_pool = pool
    try:
        yield
    finally:
        restore_collector()
        if services.list_pool is pool:
            services.list_pool = None
        await anyio.to_thread.run_sync(pool.shutdown)
        if services.engines is not None:
            engines, services.engines = services.engines, None
            services.not_ready = "the server is shutting down"
            await anyio.to_thread.run_sync(engines.close)
        if services.suggestions is not None:
            store, services.suggestions = services.suggestions, None
            await anyio.to_thread.run_sync(store.close)


def telemetry(settings: Settings) -> TelemetryConfig:
    """FastAPI's OpenTelemetry, on with BRIEFS_OPENTELEMETRY. Off, FastAPI skips its look for
    configured providers, which reads the environment on every request (about 5% of the
    event loop's time under load)."""
    on = settings.opentelemetry
    return {"tracing": on, "metrics": on, "logs": on}


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; its lifespan builds the engines (``sentence_engine`` behind the batcher)."""
    from service.api.routes import (
        briefs,
        detect,
        files,
        health,
        languages,
        libretranslate,
        libretranslate_meta,
        suggest,
        summarize,
        translate,
        web,
    )

    settings = settings or get_settings()
    configure_logging(settings.log_level)
    metrics = Metrics()
    app = FastAPI(
        title="Briefs",
        version=__version__,
        description=DESCRIPTION,
        lifespan=_lifespan,
        telemetry=telemetry(settings),
        openapi_tags=TAGS,
    )
    keys = KeyRing(settings)  # a bad BRIEFS_API_KEYS_FILE stops here, naming its line
    app.state.services = Services(settings, metrics, keys, not_ready="the engines are loading")
    install_error_handlers(app)
    # The busiest routes first: routing tries the routers in order (see _routing_order).
    hot = (translate, libretranslate, briefs)
    rest = (summarize, detect, languages, health, libretranslate_meta, files, suggest, web)
    for module in (*hot, *rest):
        app.include_router(module.router)
    _routing_order(app)
    # The last added is the outermost. Outside in: CORS (when origins are set); HEAD as GET;
    # metrics (which count every answer below); the request id and the 500 guard; the key,
    # checked before anything reads a body (when keys are set); admission, so a refused
    # request waits for nothing; the body limit; rate limits and quotas, which count the
    # body's characters (when any are set). A layer costs every request a few microseconds.
    limiter = Limiter(settings)
    if RateGate.needed(limiter, keys):
        app.add_middleware(RateGate, limiter=limiter, keys=keys)
    app.add_middleware(
        BodySizeLimit, max_bytes=settings.max_body_bytes, timeout_s=settings.client_timeout_s
    )
    app.add_middleware(Admission, limit=settings.queue_size, on_refused=metrics.rejected)
    if keys.required:
        app.add_middleware(KeyGate, settings=settings, keys=keys)
    app.add_middleware(RequestGuard)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(HeadAsGet)
    add_cors(app, settings)  # outermost: preflights need no key, errors carry CORS headers
    _document_problems(app)
    return app


def _routing_order(app: FastAPI) -> None:
    """FastAPI's own pages (OpenAPI, Swagger UI, ReDoc), which it adds first, after the API's
    routers. A request tries the routes in order, and each included router it passes costs it
    about 6 µs of the event loop (a one-sentence ``/v1/translate`` costs 0.3 ms in all; see
    docs/benchmarks.md)."""
    pages = {app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url}
    routes = app.router.routes
    routes[:] = [
        *(route for route in routes if getattr(route, "path", None) not in pages),
        *(route for route in routes if getattr(route, "path", None) in pages),
    ]


def _document_problems(app: FastAPI) -> None:
    """Declare error responses as application/problem+json in the OpenAPI schema."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        for path, methods in schema.get("paths", {}).items():
            if libretranslate_shape(path):
                continue
            for operation in methods.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if status[0] in "45" and "application/json" in content:
                        content[PROBLEM_JSON] = content.pop("application/json")
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
