"""Routes that answer their model with ``model_response`` send what FastAPI's own response
model path sends: the same bytes, the same content type, the same OpenAPI schema."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter

from service.api.schemas import DetectOut, SummarizeOut, TranslateOut
from tests.api.conftest import ENGLISH

CASES: list[tuple[str, dict[str, object], type[BaseModel]]] = [
    ("/v1/translate", {"text": "The volcano erupted. People left.", "target": "es"}, TranslateOut),
    (
        "/v1/translate",
        {"text": ["One text.", "Another, with a 2.5% rise."], "source": "en", "target": "es"},
        TranslateOut,
    ),
    (
        "/v1/translate",
        {
            "text": "The task force met.",
            "source": "en",
            "target": "es",
            "glossary": [{"en": "task force", "es": "fuerza de tarea"}],
        },
        TranslateOut,
    ),
    ("/v1/summarize", {"text": ENGLISH, "length": "both"}, SummarizeOut),
    ("/v1/detect", {"text": ENGLISH}, DetectOut),
]


@pytest.mark.parametrize(("path", "body", "model"), CASES)
def test_the_body_is_what_the_response_model_path_would_send(
    client: TestClient, path: str, body: dict[str, object], model: type[BaseModel]
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    # FastAPI's own path: validate against the response model, dump JSON by alias.
    adapter = TypeAdapter(model)
    expected = adapter.dump_json(adapter.validate_json(response.content), by_alias=True)
    assert response.content == expected


def test_the_schema_still_names_the_response_models(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, model in [
        ("/v1/translate", "TranslateOut"),
        ("/v1/summarize", "SummarizeOut"),
        ("/v1/detect", "DetectOut"),
    ]:
        ok = paths[path]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok == {"$ref": f"#/components/schemas/{model}"}
