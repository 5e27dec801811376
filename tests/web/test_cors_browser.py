"""CORS in a real browser: a page served on a second port (another origin) calls the API
with ``fetch()`` and a JSON body and an API key header (a non-simple request, so Chromium
sends a preflight first). It works from the origin BRIEFS_CORS_ORIGINS lists, and the
browser blocks it from one it does not."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser

from tests.web.conftest import TIMEOUT_MS, serve

pytestmark = pytest.mark.slow

KEY = "k-browser"
# The page's script: POST JSON to the API named in the query string, and show what came back
# (the status and body), or that the browser refused to let the page read it.
PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>widget</title></head><body>
<pre id="out">waiting</pre>
<script>
const api = new URLSearchParams(location.search).get("api");
const target = new URLSearchParams(location.search).get("target");
fetch(api + "/translate", {
  method: "POST",
  headers: {"Content-Type": "application/json", "X-API-Key": "k-browser"},
  body: JSON.stringify({q: "Good night, friends.", source: "en", target: target}),
}).then(async (r) => {
  document.getElementById("out").textContent = r.status + " " + JSON.stringify(await r.json());
}).catch((e) => {
  document.getElementById("out").textContent = "blocked: " + e.name;
});
</script></body></html>"""


class _PageHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def page_server() -> Iterator[str]:
    """The widget page on its own 127.0.0.1 port: another origin than the API's."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def _run(browser: Browser, page_origin: str, api: str, target: str = "es") -> str:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{page_origin}/?api={api}&target={target}")
        page.wait_for_function(
            "document.getElementById('out').textContent !== 'waiting'", timeout=TIMEOUT_MS
        )
        return str(page.text_content("#out"))
    finally:
        context.close()


def test_a_page_on_an_allowed_origin_calls_the_api_and_others_are_blocked(
    browser: Browser,
) -> None:
    with page_server() as allowed, page_server() as other:
        with serve(cors_origins=allowed, api_keys=KEY) as api:
            ok = _run(browser, allowed, api.url)
            assert ok.startswith("200 ") and '"translatedText"' in ok, ok
            assert "amigos" in ok, ok  # Apertium's Spanish
            # An error answer is readable too: the page sees LibreTranslate's error shape.
            refused = _run(browser, allowed, api.url, target="de")
            assert refused.startswith("422 ") and '"error"' in refused, refused
            assert _run(browser, other, api.url) == "blocked: TypeError"
        with serve(api_keys=KEY) as no_cors:  # the default: no origin may call it
            assert _run(browser, allowed, no_cors.url) == "blocked: TypeError"
