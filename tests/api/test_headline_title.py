"""Without a title, `POST /v1/briefs` takes the headline line as `briefs brief` does for .txt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.cli import app
from service.jobs.readers import read_text_article
from tests.api.conftest import MakeClient
from tests.conftest import SEEDS

FIRST_SENTENCE = (
    "Heavy rains flooded several neighbourhoods of Guatemala City on Monday.\n"
    "The disaster agency said rivers rose quickly after two days of storms. "
    "Schools closed and roads were blocked."
)


def _api_title(client: TestClient, text: str, title: str | None = None) -> str | None:
    response = client.post("/v1/briefs", json={"text": text, "title": title})
    assert response.status_code == 200, response.text
    brief = response.json()
    title_out: str | None = brief[brief["source_language"]]["title"]
    return title_out


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.stem)
def test_api_and_cli_reader_take_the_same_title(client: TestClient, seed: Path) -> None:
    cli_title = read_text_article(seed.read_bytes(), ".txt").title
    assert cli_title  # every seed opens with its headline
    assert _api_title(client, seed.read_text(encoding="utf-8")) == cli_title
    assert _api_title(client, seed.read_text(encoding="utf-8"), "  ") == cli_title


def test_a_first_sentence_is_no_title_for_either(client: TestClient) -> None:
    assert read_text_article(FIRST_SENTENCE.encode(), ".txt").title is None
    assert _api_title(client, FIRST_SENTENCE) is None


def test_a_given_title_wins_and_a_lone_line_stays_text(client: TestClient) -> None:
    seed = (SEEDS / "fuego-volcano-evacuation.en.txt").read_text(encoding="utf-8")
    assert _api_title(client, seed, "Fuego erupts") == "Fuego erupts"
    brief = client.post("/v1/briefs", json={"text": "Fuego erupts again"}).json()
    assert brief["en"]["title"] is None and brief["en"]["short"] == "Fuego erupts again"


def test_the_cli_and_the_api_brief_have_one_title(tmp_path: Path, client: TestClient) -> None:
    seed = SEEDS / "dengue-brote-honduras.es.txt"
    cli = CliRunner().invoke(
        app, ["brief", str(seed), "--out", str(tmp_path), "--engine", "apertium"]
    )
    assert cli.exit_code == 0, cli.output
    written = json.loads((tmp_path / f"{seed.stem}.json").read_text(encoding="utf-8"))
    api = client.post("/v1/briefs", json={"text": seed.read_text(encoding="utf-8")}).json()
    assert written["es"]["title"] == api["es"]["title"]
    assert api["es"]["title"].startswith("Honduras declara emergencia sanitaria")


def test_the_size_limit_counts_the_text_as_sent(make_client: MakeClient) -> None:
    client = make_client(max_text_chars=100)
    text = "Fuego erupts again\n" + "Ash fell on the capital. " * 4  # 119 characters
    response = client.post("/v1/briefs", json={"text": text})
    assert response.status_code == 413, response.text
    assert f"{len(text):,} characters" in response.json()["detail"]
