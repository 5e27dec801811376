"""`briefs serve`: the HTTP API under uvicorn, settings from BRIEFS_* variables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from service.config import Settings

APP_FACTORY = "service.api.app:create_app"


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How ``briefs serve`` runs uvicorn besides the app, host, port and workers (the load
    benchmark serves its bare baseline app with the same): the bounded httptools protocol, the
    event loop (uvloop), proxy headers and the log level."""
    from service.api.protocol import GuardedHttpToolsProtocol

    return {
        "log_level": settings.log_level,
        "proxy_headers": True,
        "http": GuardedHttpToolsProtocol,  # bounded request heads (BRIEFS_CLIENT_TIMEOUT_S)
        "loop": "auto",  # uvloop, installed with uvicorn[standard]
    }


def serve(
    host: str | None = typer.Option(None, "--host", help="Address to bind [BRIEFS_HOST]."),
    port: int | None = typer.Option(
        None, "--port", min=1, max=65535, help="Port to listen on [BRIEFS_PORT]."
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        help="Worker processes, each with its own engines [BRIEFS_WORKERS].",
    ),
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs, LibreTranslate-compatible routes too)."""
    import uvicorn

    from service.api.keys import KeyRing
    from service.config import get_settings

    settings = get_settings()  # a bad BRIEFS_* value fails here, in one line
    KeyRing(settings)  # and so does a bad BRIEFS_API_KEYS_FILE, naming its line
    # The factory string lets every worker process build its own app and engines.
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        **uvicorn_options(settings),
    )


def register(app: typer.Typer) -> None:
    """Add this module's command(s) to the root app."""
    app.command("serve")(serve)
