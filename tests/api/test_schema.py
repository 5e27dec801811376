"""Schemathesis over the OpenAPI schema, on Apertium: no 5xx, responses match the schema.

Both valid inputs and schema-violating ones are generated.

The number of examples per operation is bounded so this stays a short test. (Schemathesis's
pytest integration does not run under pytest 9, so operations are driven through Hypothesis.)
"""

from __future__ import annotations

import itertools

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from service.api.app import create_app
from service.config import Settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 10  # per operation and mode (valid and invalid inputs)


def test_every_operation_conforms_to_the_schema() -> None:
    app = create_app(
        Settings(engine="apertium", max_text_chars=2000, max_body_bytes=20_000, max_items=4)
    )
    with TestClient(app):  # keeps the lifespan (and the engines) up for all operations
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        labels = {op.label for op in operations}
        assert {"POST /v1/briefs", "POST /v1/translate", "POST /translate"} <= labels
        calls: list[str] = []
        for operation, mode in itertools.product(operations, list(GenerationMode)):
            if mode == GenerationMode.NEGATIVE and not len(operation.body):
                continue  # nothing in a bodiless GET can violate the schema

            @given(case=operation.as_strategy(mode))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def conforms(case: schemathesis.Case) -> None:
                case.call_and_validate(checks=CHECKS)
                calls.append(case.operation.label)

            conforms()
    assert set(calls) == labels and len(calls) > 4 * len(labels)


def test_refusals_of_valid_looking_requests_are_declared() -> None:
    """Undetectable text, an empty q, an uninstalled method, limits and timeouts are documented
    responses of every POST route, the LibreTranslate ones included."""
    schema = create_app(Settings(engine="apertium")).openapi()
    for path in ("/translate", "/detect", "/v1/translate", "/v1/briefs", "/v1/summarize"):
        responses = schema["paths"][path]["post"]["responses"]
        assert {"400", "401", "403", "408", "413", "415", "422", "429", "503"} <= set(responses)
        meaning = responses["422"]["description"]
        assert "cannot be detected" in meaning and "empty" in meaning and "not installed" in meaning
        assert "Retry-After" in responses["429"]["description"]
