"""POST /suggest: off by default; on, each suggestion lands in SQLite under BRIEFS_DATA_DIR."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from service.suggestions import SUGGESTIONS_FILE
from tests.api.conftest import MakeClient

SUGGESTION = {"q": "Good morning", "s": "Buenos días", "source": "en", "target": "es"}


def _rows(data_dir: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(data_dir / SUGGESTIONS_FILE) as db:
        return db.execute(
            "SELECT source, target, text, suggestion, key, time FROM suggestions ORDER BY id"
        ).fetchall()


def test_off_by_default_403_in_libretranslate_shape(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client = make_client(data_dir=tmp_path)
    answer = client.post("/suggest", json=SUGGESTION)
    assert answer.status_code == 403
    assert answer.json() == {"error": "Suggestions are disabled"}
    assert not (tmp_path / SUGGESTIONS_FILE).exists()


def test_stored_from_json_and_form_bodies(make_client: MakeClient, tmp_path: Path) -> None:
    client = make_client(data_dir=tmp_path / "data", suggestions=True)
    assert client.post("/suggest", json=SUGGESTION).json() == {"success": True}
    form = {**SUGGESTION, "q": "La casa", "s": "The home", "source": "es", "target": "en"}
    assert client.post("/suggest", data=form).json() == {"success": True}
    rows = _rows(tmp_path / "data")
    assert [row[:5] for row in rows] == [
        ("en", "es", "Good morning", "Buenos días", None),
        ("es", "en", "La casa", "The home", None),
    ]
    assert all(row[5].endswith("+00:00") for row in rows)  # UTC times
    mode = sqlite3.connect(tmp_path / "data" / SUGGESTIONS_FILE).execute("PRAGMA journal_mode")
    assert mode.fetchone()[0] == "wal"


def test_auto_source_is_detected(make_client: MakeClient, tmp_path: Path) -> None:
    client = make_client(data_dir=tmp_path, suggestions=True)
    body = {
        "q": "El presidente anunció un plan nuevo para la frontera.",
        "s": "The president announced a new border plan.",
        "source": "auto",
        "target": "en",
    }
    assert client.post("/suggest", json=body).status_code == 200
    assert _rows(tmp_path)[0][:2] == ("es", "en")


def test_the_key_name_is_stored_never_the_key(make_client: MakeClient, tmp_path: Path) -> None:
    client = make_client(data_dir=tmp_path, suggestions=True, api_keys=["open-sesame-123"])
    assert client.post("/suggest", json=SUGGESTION).status_code == 401
    assert client.post("/suggest", json={**SUGGESTION, "api_key": "nope"}).status_code == 403
    ok = client.post("/suggest", json={**SUGGESTION, "api_key": "open-sesame-123"})
    assert ok.json() == {"success": True}
    assert _rows(tmp_path)[0][4] == "BRIEFS_API_KEYS[0]"
    for path in tmp_path.iterdir():  # the database and its write-ahead log
        assert b"open-sesame-123" not in path.read_bytes(), path


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({**SUGGESTION, "q": ""}, 400, "q"),
        ({k: v for k, v in SUGGESTION.items() if k != "s"}, 400, "s: Field required"),
        ({k: v for k, v in SUGGESTION.items() if k != "target"}, 400, "target"),
        ({**SUGGESTION, "target": "fr"}, 422, "target language 'fr' is not supported"),
        ({**SUGGESTION, "source": "es"}, 422, "source and target are both es"),
        ({**SUGGESTION, "s": "x" * 101}, 413, "BRIEFS_MAX_TEXT_CHARS=100"),
        ({**SUGGESTION, "q": ["a", "b"]}, 400, "q"),
    ],
    ids=["empty-q", "no-s", "no-target", "bad-target", "same-language", "too-long", "list"],
)
def test_bad_suggestions_are_4xx_and_nothing_is_stored(
    make_client: MakeClient, tmp_path: Path, body: dict[str, Any], status: int, message: str
) -> None:
    client = make_client(data_dir=tmp_path, suggestions=True, max_text_chars=100)
    answer = client.post("/suggest", json=body)
    assert answer.status_code == status, answer.text
    assert message in answer.json()["error"]
    assert not (tmp_path / SUGGESTIONS_FILE).exists() or _rows(tmp_path) == []


def test_an_unwritable_data_dir_is_507_not_500(make_client: MakeClient, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    client = make_client(data_dir=blocker / "data", suggestions=True)
    answer = client.post("/suggest", json=SUGGESTION)
    assert answer.status_code == 507
    assert "BRIEFS_DATA_DIR" in answer.json()["error"]
