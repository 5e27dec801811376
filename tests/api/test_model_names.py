"""An imported model is named by its own name over HTTP, never by the folder it came from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.models.store import ModelStore
from tests.api.conftest import MakeClient

pytestmark = pytest.mark.slow


def test_no_host_path_in_any_response(
    tiny_marian: dict[str, Path], tmp_path: Path, make_client: MakeClient
) -> None:
    home = tmp_path / "home" / "operator" / "downloads"
    store = ModelStore(tmp_path / "models")
    for pair, folder in tiny_marian.items():
        store.import_folder(
            shutil.copytree(folder, home / folder.name), pair, report=lambda _: None
        )
    installed = store.find_translation("en-es")
    assert installed is not None and str(home) in installed.origin  # the operator's record
    client = make_client(
        translator=None, engine="ctranslate2", models_dir=store.root, max_decoding_length=8
    )
    responses = {
        "/readyz": client.get("/readyz"),
        "/v1/languages": client.get("/v1/languages"),
        "/languages": client.get("/languages"),
        "/v1/translate": client.post(
            "/v1/translate",
            json={"text": "The flights will increase.", "source": "en", "target": "es"},
        ),
        "/translate": client.post(
            "/translate", json={"q": "Hola.", "source": "es", "target": "en"}
        ),
        "/v1/briefs": client.post(
            "/v1/briefs", json={"text": "The plan will cost more.", "language": "en"}
        ),
    }
    for route, response in responses.items():
        assert response.status_code == 200, (route, response.text)
        assert str(tmp_path) not in response.text, route
        assert "/home/" not in response.text, route
    engines = responses["/readyz"].json()["engines"]
    assert engines["en-es"]["model"] == "opus-mt-en-es (imported, ctranslate2 int8)"
    assert engines["es-en"]["model"] == "opus-mt-es-en (imported, ctranslate2 int8)"
    translated = responses["/v1/translate"].json()
    assert translated["engine"]["model"] == "opus-mt-en-es (imported, ctranslate2 int8)"
