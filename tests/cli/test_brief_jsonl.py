"""JSONL in and out: ``.jsonl`` articles read lazily, ``--format jsonl``, ``-`` for stdin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.config import get_settings
from service.jobs.brief_job import STATE_NAME, STREAM_FILE
from service.jobs.failures import FAILURES_FILE
from tests.conftest import SEEDS
from tests.jobs.fake_job import forget_in_state

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _tiny_models(installed_models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFS_MAX_DECODING_LENGTH", "6")
    get_settings.cache_clear()


def _line(name: str, **extra: str) -> str:
    title, _, text = (SEEDS / name).read_text(encoding="utf-8").strip().partition("\n")
    return json.dumps({**extra, "title": title, "text": text.strip()}, ensure_ascii=False)


LINES = [
    _line("fuego-volcano-evacuation.en.txt", id="fuego"),
    "",  # blank lines are passed over
    _line("dengue-brote-honduras.es.txt"),  # no id: named by its line number, 3
    '{"title": "Cut off", "text": "The coun',
    _line("coffee-leaf-rust-harvest.en.txt", id="fuego"),  # a duplicate id
    _line("sequia-corredor-seco.es.txt", id="../escape"),
]


def _brief(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["brief", *args], input=stdin)
    return result.exit_code, result.output


def test_jsonl_lines_are_articles_and_briefs_jsonl_is_resumable(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "feed.jsonl").write_text("\n".join(LINES) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = _brief(str(tmp_path / "in"), "--out", str(out), "--format", "jsonl,json")
    assert code == 1, output
    assert "done 2, skipped 0, failed 3" in output
    failures = {f["input"]: f["reason"] for f in json.loads((out / FAILURES_FILE).read_text())}
    assert "invalid JSON" in failures["feed.jsonl#4"]
    assert "used by an earlier line" in failures["feed.jsonl#5"]
    assert "cannot name a file" in failures["feed.jsonl#6"]
    assert sorted(p.name for p in out.glob("*.json")) == ["feed-3.json", "feed-fuego.json"]
    rows = [json.loads(line) for line in (out / STREAM_FILE).read_text().splitlines()]
    assert [row["input"] for row in rows] == ["feed.jsonl#fuego", "feed.jsonl#3"]  # input order
    assert rows[0]["source_language"] == "en" and "timings_ms" not in rows[0]
    first = (out / STREAM_FILE).read_bytes()

    code, output = _brief(str(tmp_path / "in"), "--out", str(out), "--format", "jsonl,json")
    assert "done 0, skipped 2, failed 3" in output
    assert (out / STREAM_FILE).read_bytes() == first

    # A kill while appending leaves a torn line; one between append and record, a duplicate.
    with (out / STREAM_FILE).open("ab") as handle:
        handle.write(first.splitlines(keepends=True)[0] + b'{"input": "feed.js')
    forget_in_state(out, "feed.jsonl#3", STATE_NAME)
    code, output = _brief(str(tmp_path / "in"), "--out", str(out), "--format", "jsonl,json")
    assert "done 1, skipped 1, failed 3" in output
    assert (out / STREAM_FILE).read_bytes() == first

    parallel = tmp_path / "parallel"
    _brief(str(tmp_path / "in"), "--out", str(parallel), "--format", "jsonl,json", "-j", "2")
    assert (parallel / STREAM_FILE).read_bytes() == first


def test_stdin_is_a_jsonl_stream(tmp_path: Path) -> None:
    out = tmp_path / "out"
    data = (LINES[0] + "\n" + LINES[2] + "\n").encode("utf-8")
    code, output = _brief("-", "--out", str(out), stdin=data)
    assert code == 0, output
    assert sorted(p.name for p in out.glob("*.json")) == ["2.json", "fuego.json"]
    code, output = _brief("-", "--out", str(out), stdin=data)
    assert "done 0, skipped 2, failed 0" in output
