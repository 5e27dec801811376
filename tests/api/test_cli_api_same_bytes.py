"""The CLI (a file, by its suffix) and the API (``format``) translate a document identically."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from tests.api.conftest import MakeClient

pytestmark = pytest.mark.slow

MARKDOWN = """# Fuego erupts again

The volcano sent ash six kilometres into the sky, and `make check_all` still passes.
Officials asked residents of **three villages** to leave; see [the map](https://example.org/map).

- Flights resumed on *Monday* evening.
- Schools stay closed.

```
code that stays
```
"""
HTML = (
    "<article><h1>Fuego erupts again</h1>\n"
    '<p>The volcano sent ash <b>six kilometres</b> into the sky. See <a href="/map">the map</a>.'
    "</p>\n<p>Flights resumed on Monday &amp; schools stay closed.</p>"
    "<pre>code that stays</pre></article>\n"
)


@pytest.mark.parametrize("engine", ["apertium", "ctranslate2"])
@pytest.mark.parametrize(
    ("suffix", "fmt", "document"), [(".md", "markdown", MARKDOWN), (".html", "html", HTML)]
)
def test_cli_and_api_give_identical_bytes(
    engine: str,
    suffix: str,
    fmt: str,
    document: str,
    tmp_path: Path,
    make_client: MakeClient,
    installed_models: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Random tiny weights never emit </s>: cap the output length to keep the test short.
    monkeypatch.setenv("BRIEFS_MAX_DECODING_LENGTH", "12")
    source = tmp_path / f"story{suffix}"
    source.write_text(document, encoding="utf-8")
    cli = CliRunner().invoke(
        app, ["translate", str(source), "--to", "es", "--from", "en", "--engine", engine]
    )
    assert cli.exit_code == 0, cli.output

    client = make_client(translator=None, engine=engine, max_decoding_length=12)
    response = client.post(
        "/v1/translate", json={"text": document, "source": "en", "target": "es", "format": fmt}
    )
    assert response.status_code == 200, response.text
    api = response.json()["translation"]
    assert cli.stdout_bytes == api.encode("utf-8")
    assert api != document  # the prose was translated ...
    assert "code that stays" in api  # ... the code was not
    if fmt == "markdown":
        assert "`make check_all`" in api and "(https://example.org/map)" in api
    else:
        assert '<a href="/map">' in api and "<pre>code that stays</pre>" in api


def test_a_brief_as_markdown_is_the_cli_file(tmp_path: Path, make_client: MakeClient) -> None:
    article = tmp_path / "in" / "fuego.txt"
    article.parent.mkdir()
    article.write_text(
        "Fuego erupts again\n\nThe volcano sent ash into the sky on Sunday. "
        "Officials asked three villages to leave | and flights stopped.\n",
        encoding="utf-8",
    )
    cli = CliRunner().invoke(
        app, ["brief", str(article), "--out", str(tmp_path / "out"), "--engine", "apertium"]
    )
    assert cli.exit_code == 0, cli.output
    written = (tmp_path / "out" / "fuego.md").read_text(encoding="utf-8")

    client = make_client(translator=None, engine="apertium")
    brief = (tmp_path / "out" / "fuego.json").read_text(encoding="utf-8")
    response = client.post(
        "/v1/briefs/markdown",
        params={"source": "fuego.txt"},
        content=brief,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.text == written
    assert "\\|" in written  # a pipe inside a table cell is escaped, by the one renderer

    broken = client.post("/v1/briefs/markdown", json={"source_language": "en"})
    assert broken.status_code == 422
