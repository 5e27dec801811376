"""A declared language the text contradicts is honoured, with a warning naming the detected one."""

from __future__ import annotations

from fastapi.testclient import TestClient

from service.text.detect import declared_mismatch

SPANISH = "El gobierno de Guatemala anunció hoy nuevas medidas contra la migración irregular."


def test_a_contradicted_declaration_is_named_and_a_matching_one_is_quiet() -> None:
    warning = declared_mismatch(SPANISH, "en")
    assert warning is not None and "Spanish (es" in warning and "treated as en" in warning
    assert declared_mismatch(SPANISH, "es") is None
    assert declared_mismatch(SPANISH, "auto") is None
    assert declared_mismatch("Hola amigos", "en") is None  # too short to doubt the caller


def test_translate_and_summarize_warn_when_the_declared_source_is_contradicted(
    client: TestClient,
) -> None:
    body = client.post("/v1/translate", json={"text": SPANISH, "source": "en", "target": "es"})
    assert body.status_code == 200
    assert any("reads as Spanish" in w for w in body.json()["warnings"])
    summary = client.post("/v1/summarize", json={"text": SPANISH, "language": "en"}).json()
    assert summary["language"] == "en"
    assert "reads as Spanish" in summary["warnings"][0]


def test_detect_translate_and_libretranslate_agree_on_short_and_unplaceable_text(
    client: TestClient,
) -> None:
    for text, language in (("Gracias", "es"), ("Thank you", "en")):
        assert client.post("/v1/detect", json={"text": text}).json()["language"] == language
        lt = client.post("/detect", json={"q": text}).json()
        assert lt[0]["language"] == language
        target = "en" if language == "es" else "es"
        answer = client.post("/v1/translate", json={"text": text, "target": target}).json()
        assert answer["detected_language"] == language
    unplaceable = "zzzz qqqq"
    assert client.post("/v1/detect", json={"text": unplaceable}).status_code == 422
    assert client.post("/detect", json={"q": unplaceable}).status_code in (400, 422)
    refused = client.post("/v1/translate", json={"text": unplaceable, "target": "es"})
    assert refused.status_code == 422
    assert "does not read as words" in refused.json()["detail"]
