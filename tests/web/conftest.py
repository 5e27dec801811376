"""A live Briefs server on 127.0.0.1 and Debian's Chromium driven by Playwright.

The server is the real app with the real offline engines (Apertium + the extractive
summarizer). The browser is the system ``/usr/bin/chromium``: never one a tool downloads.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from service.config import Settings
from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine has no network: without these Chromium keeps dialling out and logging it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts" / "web"
# Low enough that a doubled seed article (7,001 characters) is refused, high enough for one.
MAX_TEXT_CHARS = 10_000
# Generous: the machine is shared, and a brief on a busy CPU can take several seconds.
TIMEOUT_MS = 60_000
expect.set_options(timeout=TIMEOUT_MS)


@dataclass
class LiveServer:
    url: str
    settings: Settings


def _build_app(settings: Settings) -> FastAPI:
    from service.api.app import create_app

    return create_app(settings=settings)


@contextmanager
def serve(**overrides: Any) -> Iterator[LiveServer]:
    """The real app with the real offline engines under uvicorn, on a free 127.0.0.1 port."""
    with pytest.MonkeyPatch.context() as env, tempfile.TemporaryDirectory() as models:
        for name in list(os.environ):
            if name.startswith("BRIEFS_"):
                env.delenv(name)
        env.setenv("HF_HUB_OFFLINE", "1")
        env.setenv("TRANSFORMERS_OFFLINE", "1")
        values: dict[str, Any] = {
            "engine": "apertium",
            "summarizer": "extractive",
            "models_dir": Path(models),
            "max_text_chars": MAX_TEXT_CHARS,
            "auto_pull": False,
            **overrides,
        }
        settings = Settings(**values)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(_build_app(settings), log_level="warning", lifespan="on")
        )
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("the live server did not start (see the log above)")
            time.sleep(0.05)
        try:
            yield LiveServer(f"http://127.0.0.1:{port}", settings)
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            sock.close()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """One live server for the whole session (the engines load once)."""
    with serve() as server:
        yield server


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless; fails (not skips) when it is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install (it installs Debian chromium)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class PageProbe:
    """What a page did that it should not: console errors and requests to other origins."""

    origin: str
    errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        # A 4xx/5xx answer the page handles is still logged by Chromium as a failed load.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def on_request(self, url: str) -> None:
        if not (url.startswith(self.origin + "/") or url.startswith(("blob:", "data:"))):
            self.foreign_requests.append(url)


def open_page(browser: Browser, server: LiveServer, width: int = 1280) -> tuple[Page, PageProbe]:
    """A fresh page on the app at ``width`` CSS pixels, with a probe watching it."""
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        accept_downloads=True,
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    probe = watch(page, server)
    page.goto(server.url + "/")
    return page, probe


def watch(page: Page, server: LiveServer) -> PageProbe:
    """The test timeout on ``page``, and a probe on its console, errors and requests."""
    page.set_default_timeout(TIMEOUT_MS)
    probe = PageProbe(server.url)
    page.on("console", probe.on_console)
    page.on("pageerror", lambda exc: probe.errors.append(f"uncaught: {exc}"))
    page.on("request", lambda request: probe.on_request(request.url))
    return probe


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[tuple[Page, PageProbe]]:
    """A desktop-width page; after the test, no console error and no foreign request."""
    page, probe = open_page(browser, live_server)
    yield page, probe
    page.context.close()
    assert probe.errors == [], probe.errors
    assert probe.foreign_requests == [], probe.foreign_requests


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots are kept (gitignored ``test-artifacts/web``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
