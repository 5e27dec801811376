"""POST /translate_file and GET /download_file: LibreTranslate's file translation, on Apertium.

Multipart uploads of each format, the .docx round trip (formatting on the right translated
words), links that expire, and the errors (LibreTranslate's ``{"error": ...}`` shape).
"""

from __future__ import annotations

import io
import logging
import re
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from service.api import downloads
from service.api.app import create_app
from service.config import Settings
from tests.api.conftest import MakeClient, serving
from tests.docx_factory import LINK, formatted, links, load, page_breaks, rich_docx

pytestmark = pytest.mark.slow

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
URL = re.compile(r"^http://testserver/download_file/([A-Za-z0-9_-]{32})$")


@pytest.fixture
def apertium(make_client: MakeClient, tmp_path: Path) -> TestClient:
    return make_client(translator=None, engine="apertium", data_dir=tmp_path / "data")


def _upload(
    client: TestClient, name: str, data: bytes, target: str = "es", **fields: str
) -> httpx.Response:
    return client.post(
        "/translate_file",
        files={"file": (name, data, "application/octet-stream")},
        data={"source": fields.pop("source", "en"), "target": target, **fields},
    )


def _download(client: TestClient, answer: httpx.Response) -> httpx.Response:
    assert answer.status_code == 200, answer.text
    url = answer.json()["translatedFileUrl"]
    assert URL.match(url), url
    return client.get(url)


@pytest.mark.parametrize(
    ("name", "content", "media", "expected", "kept"),
    [
        ("notes.txt", "The red car is very fast.\n\nGood morning.\n", "text/plain",
         ["coche rojo", "Buenos días"], ["\n\n"]),
        ("notes.md", "# The news\n\nThe *red* car is [fast](https://example.org/x).\n",
         "text/markdown", ["# ", "coche", "](https://example.org/x)"], ["*"]),
        ("page.html", '<p>The <b>red</b> car is <a href="/x">fast</a>.</p>', "text/html",
         ["coche", "<b>rojo</b>", '<a href="/x">'], ["<p>", "</p>"]),
    ],
    ids=["txt", "md", "html"],
)  # fmt: skip
def test_text_formats_come_back_translated_with_their_markup(
    apertium: TestClient,
    name: str,
    content: str,
    media: str,
    expected: list[str],
    kept: list[str],
) -> None:
    got = _download(apertium, _upload(apertium, name, content.encode()))
    assert got.status_code == 200
    assert got.headers["content-type"] == f"{media}; charset=utf-8"
    stem, suffix = name.rsplit(".", 1)
    assert got.headers["content-disposition"] == f'attachment; filename="{stem}.es.{suffix}"'
    text = got.content.decode("utf-8")
    for part in [*expected, *kept]:
        assert part in text, (part, text)
    assert "red" not in text and "The " not in text


def test_the_same_bytes_as_the_cli(apertium: TestClient, tmp_path: Path) -> None:
    """One behaviour: the route and `briefs translate` make the same file."""
    from typer.testing import CliRunner

    from service.cli import app

    source = tmp_path / "page.html"
    source.write_text("<p>The <b>red</b> car is <i>very fast</i>.</p>\n", encoding="utf-8")
    logger = logging.getLogger("service")
    before = (logger.level, list(logger.handlers))
    try:
        cli = CliRunner().invoke(
            app, ["translate", str(source), "--to", "es", "--from", "en", "--engine", "apertium"]
        )
    finally:  # the CLI sends the service loggers to its stderr: not for the tests after this
        logger.setLevel(before[0])
        logger.handlers[:] = before[1]
    assert cli.exit_code == 0, cli.output
    api = _download(apertium, _upload(apertium, "page.html", source.read_bytes()))
    assert api.content == cli.stdout_bytes


def test_docx_round_trip_keeps_formatting_on_the_translated_words(apertium: TestClient) -> None:
    got = _download(apertium, _upload(apertium, "report.docx", rich_docx(), source="auto"))
    assert got.headers["content-type"] == DOCX
    assert got.headers["content-disposition"] == 'attachment; filename="report.es.docx"'
    source, out = load(rich_docx()), load(got.content)
    assert [p.style.name for p in out.paragraphs] == [p.style.name for p in source.paragraphs]
    sentence = out.paragraphs[1]
    # Apertium: "The red car is very fast." -> "El coche rojo es muy rápido."
    assert sentence.text.startswith("El coche rojo es muy rápido.")
    assert formatted(sentence, "bold") == ["rojo"]
    assert formatted(sentence, "italic") == ["muy rápido"]
    (link,) = links(out.paragraphs[2])
    assert link[1] == "el ministro" and out.part.rels[link[0]].target_ref == LINK
    assert page_breaks(out.paragraphs[3]) == 1
    assert out.paragraphs[4].text == "2026"
    assert [c.text for c in out.tables[0].rows[0].cells] == ["El perro", "La ciudad es grande."]
    assert out.sections[0].header.paragraphs[0].text == "El diario"
    assert out.sections[0].footer.paragraphs[0].text == "Noche buena."


def test_spanish_to_english_and_the_name_swaps_its_language(apertium: TestClient) -> None:
    answer = _upload(apertium, "nota.es.txt", "Buenos días.".encode(), target="en", source="es")
    got = _download(apertium, answer)
    assert got.headers["content-disposition"] == 'attachment; filename="nota.en.txt"'
    assert "Good morning" in got.text


def test_a_file_already_in_the_target_language_is_refused(apertium: TestClient) -> None:
    spanish = "El presidente anunció un plan nuevo para la frontera con México.".encode()
    message = _error(_upload(apertium, "nota.txt", spanish, source="auto"), 422)
    assert "nota.txt is already in Spanish" in message


def test_links_are_unguessable_and_expire(
    apertium: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _upload(apertium, "a.txt", b"Good morning.").json()["translatedFileUrl"]
    second = _upload(apertium, "a.txt", b"Good morning.").json()["translatedFileUrl"]
    assert first != second
    assert apertium.get(first).status_code == 200
    stored = tmp_path / "data" / "downloads"
    assert len(list(stored.iterdir())) == 2
    later = time.time() + Settings().file_ttl_s + 1  # the default: 30 minutes
    monkeypatch.setattr(downloads, "time", SimpleNamespace(time=lambda: later))
    gone = apertium.get(first)
    assert gone.status_code == 404
    assert "expired" in gone.json()["error"]
    assert list(stored.iterdir()) == []  # both expired files deleted from disk


def test_a_short_ttl_setting_is_honoured(make_client: MakeClient, tmp_path: Path) -> None:
    client = make_client(translator=None, engine="apertium", data_dir=tmp_path, file_ttl_s=0.2)
    url = _upload(client, "a.txt", b"Good morning.").json()["translatedFileUrl"]
    deadline = time.monotonic() + 10
    while client.get(url).status_code == 200:  # polls; asserts no timing
        assert time.monotonic() < deadline, "the link never expired"
        time.sleep(0.1)
    assert client.get(url).json() == {
        "error": "no translated file under this link: it expired or never existed "
        "(translate the file again with POST /translate_file)"
    }


@pytest.mark.parametrize(
    "path", ["/download_file/nothing", "/download_file/" + "A" * 32, "/download_file/..%2F.."]
)
def test_unknown_links_are_404_in_libretranslate_shape(apertium: TestClient, path: str) -> None:
    got = apertium.get(path)
    assert got.status_code == 404
    assert set(got.json()) == {"error"}


def _error(answer: httpx.Response, status: int) -> str:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    assert set(body) == {"error"}, body
    message: str = body["error"]
    return message


def test_unsupported_formats_are_400_naming_the_supported_ones(apertium: TestClient) -> None:
    message = _error(_upload(apertium, "paper.pdf", b"%PDF-1.7"), 400)
    assert ".pdf is not a supported file format" in message
    for suffix in (".txt", ".md", ".html", ".docx"):
        assert suffix in message
    assert "without a suffix" in _error(_upload(apertium, "README", b"Hi."), 400)


def test_a_corrupt_docx_is_a_clear_4xx(apertium: TestClient) -> None:
    message = _error(_upload(apertium, "broken.docx", b"PK\x03\x04 not really"), 422)
    assert "broken.docx is not a readable .docx file" in message


def test_missing_file_and_fields(apertium: TestClient) -> None:
    no_file = apertium.post("/translate_file", data={"source": "en", "target": "es"})
    assert "multipart/form-data" in _error(no_file, 415)  # a form without a file part
    assert "file" in _error(
        apertium.post(
            "/translate_file",
            files={"other": ("a.txt", b"Hi.", "text/plain")},
            data={"source": "en", "target": "es"},
        ),
        400,
    )
    no_target = apertium.post("/translate_file", files={"file": ("a.txt", b"Hi.", "text/plain")})
    assert "target" in _error(no_target, 400)
    json_body = apertium.post("/translate_file", json={"target": "es"})
    assert "multipart/form-data" in _error(json_body, 415)
    wrong_language = _upload(apertium, "a.txt", b"Hi.", target="fr")
    assert "target language 'fr' is not supported" in _error(wrong_language, 422)


def test_invalid_text_and_sizes(make_client: MakeClient, tmp_path: Path) -> None:
    client = make_client(
        translator=None,
        engine="apertium",
        data_dir=tmp_path,
        max_text_chars=40,
        max_body_bytes=60_000,
    )
    assert "not UTF-8" in _error(_upload(client, "a.txt", b"caf\xe9"), 422)
    long_text = _error(_upload(client, "a.txt", b"Good morning. " * 10), 413)
    assert "BRIEFS_MAX_TEXT_CHARS=40" in long_text and "a.txt" in long_text
    long_docx = _error(_upload(client, "r.docx", rich_docx()), 413)
    assert "BRIEFS_MAX_TEXT_CHARS" in long_docx
    too_big = _error(_upload(client, "a.txt", b"x" * 70_000), 413)
    assert "BRIEFS_MAX_BODY_BYTES" in too_big
    assert not (tmp_path / "downloads").exists() or not any((tmp_path / "downloads").iterdir())


def _padded_docx(paragraphs: int) -> bytes:
    """rich_docx with ``paragraphs`` more short paragraphs: markup that zips very small."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(rich_docx())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, body, tail = data.partition(b"<w:body>")
                data = head + body + b"<w:p><w:r><w:t>Hi.</w:t></w:r></w:p>" * paragraphs + tail
            out.writestr(info.filename, data)
    return buffer.getvalue()


def test_a_docx_of_mostly_markup_is_refused_before_it_is_parsed(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client = make_client(translator=None, engine="apertium", data_dir=tmp_path, max_text_chars=1000)
    bomb = _padded_docx(100_000)  # 3.6 MB of XML in a few kilobytes
    assert len(bomb) < 100_000
    message = _error(_upload(client, "dense.docx", bomb), 413)
    assert "dense.docx holds" in message and "bytes of XML" in message
    assert _upload(client, "fine.docx", _padded_docx(10)).status_code == 200


def test_api_keys_in_the_form_or_headers(make_client: MakeClient, tmp_path: Path) -> None:
    client = make_client(translator=None, engine="apertium", data_dir=tmp_path, api_keys=["sesame"])
    assert "API key" in _error(_upload(client, "a.txt", b"Good morning."), 401)
    assert _upload(client, "a.txt", b"Hi.", api_key="wrong").status_code == 403
    assert _upload(client, "a.txt", b"Good morning.", api_key="sesame").status_code == 200
    with_header = client.post(
        "/translate_file",
        files={"file": ("a.txt", b"Good morning.", "text/plain")},
        data={"target": "es"},
        headers={"X-API-Key": "sesame"},
    )
    assert with_header.status_code == 200
    # The link itself needs no key, as LibreTranslate's: the token is the secret.
    assert client.get(with_header.json()["translatedFileUrl"]).status_code == 200


def test_a_live_server_takes_a_real_multipart_upload(tmp_path: Path) -> None:
    from service.api.app import sentence_engine
    from service.translate.factory import build_translator

    settings = Settings(engine="apertium", data_dir=tmp_path)
    app = create_app(settings)
    app.dependency_overrides[sentence_engine] = build_translator
    with serving(app) as port:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(timeout=60) as http:
            answer = http.post(
                f"{base}/translate_file",
                files={"file": ("report.docx", rich_docx(), DOCX)},
                data={"source": "en", "target": "es"},
            )
            assert answer.status_code == 200, answer.text
            url = answer.json()["translatedFileUrl"]
            assert url.startswith(f"{base}/download_file/")
            got = http.get(url)
    assert got.status_code == 200
    assert formatted(load(got.content).paragraphs[1], "bold") == ["rojo"]
