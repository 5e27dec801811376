"""`briefs brief` end to end: the tiny Marian models on CTranslate2, the real summarizer."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from service.briefs import Brief
from service.cli import app
from service.config import get_settings
from service.jobs.brief_job import INDEX_FILE, STATE_NAME
from service.jobs.failures import FAILURES_FILE
from tests.conftest import REPO, SEEDS
from tests.jobs.fake_job import is_state_file, state_keys

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _tiny_models(installed_models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tiny Marian models on CTranslate2 (no Apertium needed); short random outputs."""
    monkeypatch.setenv("BRIEFS_MAX_DECODING_LENGTH", "8")
    get_settings.cache_clear()


FRENCH = (
    "Le gouvernement a annoncé mardi un nouveau plan pour les écoles rurales. Les enseignants "
    "recevront une formation supplémentaire et les familles une aide pour les fournitures."
)


def _seed(name: str) -> tuple[str, str]:
    """A seed article as (title, text)."""
    title, _, text = (SEEDS / name).read_text(encoding="utf-8").strip().partition("\n")
    return title, text.strip()


def _html(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    return (
        f"<html><head><meta charset='utf-8'><title>{title} | Diario</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>\n{paragraphs}</article>"
        "<footer>Copyright 2026 Diario. Subscribe to our newsletter.</footer></body></html>"
    )


GOOD = {
    # key -> output base
    "news/fuego.en.txt": "news/fuego.en",
    "news/americas/dengue.es.md": "news/americas/dengue.es",
    "batch.json#1": "batch-1",
    "batch.json#2": "batch-2",
    "web/remesas.html": "web/remesas",
    "mixed.json#1": "mixed-1",
}
BAD = {
    "bad/latin1.txt": "invalid_input",
    "bad/empty.md": "empty_input",
    "bad/french.txt": "unsupported_language",
    "bad/huge.txt": "input_too_large",
    "bad/broken.json": "invalid_input",
    "mixed.json#2": "invalid_input",
}


def _articles(root: Path) -> None:
    """A folder with every format, nested folders, bad files and a reference summary."""
    files: dict[str, str | bytes] = {}
    title, text = _seed("fuego-volcano-evacuation.en.txt")
    files["news/fuego.en.txt"] = f"\n{title}\n\n{text}\n"
    title, text = _seed("dengue-brote-honduras.es.txt")
    files["news/americas/dengue.es.md"] = f"# {title}\n\n{text}\n"
    files["news/americas/dengue.es.summary.json"] = '{"short": "not an article"}'
    coffee, metro = (
        _seed("coffee-leaf-rust-harvest.en.txt"),
        _seed("metro-riel-ciudad-guatemala.es.txt"),
    )
    files["batch.json"] = json.dumps(
        [
            {"title": coffee[0], "text": coffee[1], "language": "en"},
            {"title": metro[0], "text": metro[1]},
        ]
    )
    files["web/remesas.html"] = _html(*_seed("remittances-record-central-america.en.txt"))
    files["mixed.json"] = json.dumps(
        [{"text": _seed("tortugas-marinas-monterrico.es.txt")[1]}, {"text": "x", "language": "fr"}]
    )
    files["bad/latin1.txt"] = "Título\nLa población celebró.".encode("latin-1")
    files["bad/empty.md"] = "\n\n"
    files["bad/french.txt"] = f"Écoles rurales\n{FRENCH}\n"
    files["bad/huge.txt"] = "Long\n" + "The council met again on Monday. " * 700
    files["bad/broken.json"] = '{"title": "Cut off", "text": "The coun'
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFS_MAX_TEXT_CHARS", "20000")
    root = tmp_path / "articles"
    _articles(root)
    return root


def _brief(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["brief", *args, "--engine", "ctranslate2"])
    return result.exit_code, result.output


def _snapshot(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not is_state_file(p.relative_to(out).as_posix())
    }


def _check_outputs(out: Path, bases: list[str]) -> None:
    """Exactly these briefs, each a valid Brief JSON and a complete Markdown table."""
    expected = {f"{base}.{ext}" for base in bases for ext in ("json", "md")}
    expected |= {INDEX_FILE, FAILURES_FILE}
    assert set(_snapshot(out)) == expected
    for base in bases:
        data = json.loads((out / f"{base}.json").read_text(encoding="utf-8"))
        assert "timings_ms" not in data  # timings vary run to run: they live in the manifest
        brief = Brief.model_validate({**data, "timings_ms": {}})
        assert brief.en.short and brief.es.short and brief.en.long and brief.es.long
        markdown = (out / f"{base}.md").read_text(encoding="utf-8")
        tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
        rows = [t for t in tokens if t.type == "tr_open"]
        assert len(rows) == 4, markdown  # header + title, short, long
        assert markdown.startswith("# ") and markdown.endswith("\n")
        own = brief.en if brief.source_language == "en" else brief.es
        assert own.short.split()[0] in markdown


def test_every_format_then_rerun_change_and_jobs(articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "briefs"
    code, output = _brief(str(articles), "--out", str(out), "--jobs", "2")
    assert code == 1, output
    assert f"done {len(GOOD)}, skipped 0, failed {len(BAD)} in " in output
    _check_outputs(out, sorted(GOOD.values()))
    failures = json.loads((out / FAILURES_FILE).read_text())
    assert {f["input"]: f["code"] for f in failures} == BAD
    assert any("undecodable byte 0xed" in f["reason"] for f in failures)
    index = (out / INDEX_FILE).read_text(encoding="utf-8")
    for key, base in GOOD.items():
        assert f"[{key}](../{base}.md)" in index
    html_brief = json.loads((out / "web/remesas.json").read_text())
    assert html_brief["en"]["title"].startswith("Remittances to Central America")
    assert "Subscribe" not in (out / "web/remesas.md").read_text()

    # --jobs 1 into another folder writes byte-identical files.
    code, _ = _brief(str(articles), "--out", str(tmp_path / "serial"), "--jobs", "1")
    assert code == 1
    assert _snapshot(tmp_path / "serial") == _snapshot(out)

    # A rerun is a no-op: nothing rewritten.
    before = _mtimes(out)
    code, output = _brief(str(articles), "--out", str(out))
    assert f"done 0, skipped {len(GOOD)}, failed {len(BAD)}" in output
    after = _mtimes(out)
    assert after == before

    # A changed article is redone, and only that one.
    md = articles / "news/americas/dengue.es.md"
    md.write_text(md.read_text(encoding="utf-8").replace("# ", "# Última hora: ", 1))
    code, output = _brief(str(articles), "--out", str(out))
    assert f"done 1, skipped {len(GOOD) - 1}, failed {len(BAD)}" in output
    brief = json.loads((out / "news/americas/dengue.es.json").read_text(encoding="utf-8"))
    assert brief["es"]["title"].startswith("Última hora:")

    # --force redoes everything.
    code, output = _brief(str(articles), "--out", str(out), "--force", "--format", "json,md")
    assert f"done {len(GOOD)}, skipped 0" in output


def test_sigkill_at_random_moments_then_resume(tmp_path: Path) -> None:
    root, out = tmp_path / "articles", tmp_path / "briefs"
    # Enough articles that a run is still going when it is killed, however fast the machine.
    names = [f"copy{copy}-{p.name}" for copy in range(4) for p in sorted(SEEDS.glob("*.txt"))[:6]]
    for number, name in enumerate(names):
        (root / f"part{number % 2}").mkdir(parents=True, exist_ok=True)
        shutil.copy(SEEDS / name.split("-", 1)[1], root / f"part{number % 2}" / name)
    command = [sys.executable, "-m", "service", "brief", str(root), "--out", str(out)]
    command += ["--engine", "ctranslate2", "--jobs", "2"]
    rng = random.Random(7)
    kills = 0
    for _ in range(3):
        proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_for_a_new_output(out, proc)
        time.sleep(rng.uniform(0.0, 0.5))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        kills += proc.returncode == -signal.SIGKILL
        for path in out.rglob("*.json"):
            json.loads(path.read_text(encoding="utf-8"))  # never a partial file
    assert kills >= 2  # the runs were killed, not finished

    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    bases = [str(p.relative_to(root).with_suffix("")) for p in root.rglob("*.txt")]
    _check_outputs(out, sorted(bases))
    assert list(out.rglob("*.briefs-tmp")) == []
    assert len(state_keys(out, STATE_NAME)) == len(names)

    again = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0
    assert f"done 0, skipped {len(names)}, failed 0" in again.stdout


def _wait_for_a_new_output(out: Path, proc: subprocess.Popen[bytes]) -> None:
    before = len(list(out.rglob("*.md")))
    deadline = time.monotonic() + 120
    while len(list(out.rglob("*.md"))) <= before and proc.poll() is None:
        assert time.monotonic() < deadline, "the run made no progress"
        time.sleep(0.02)


def test_paths_that_escape_are_refused(tmp_path: Path) -> None:
    root, out, outside = tmp_path / "articles", tmp_path / "briefs", tmp_path / "outside"
    (root / "world").mkdir(parents=True)
    outside.mkdir()
    shutil.copy(SEEDS / "fuego-volcano-evacuation.en.txt", root / "world" / "fuego.txt")
    (tmp_path / "private.txt").write_text("Private\nNot for briefing.")
    (root / "leak.txt").symlink_to(tmp_path / "private.txt")
    out.mkdir()
    (out / "world").symlink_to(outside, target_is_directory=True)

    code, output = _brief(str(root), "--out", str(out))
    assert code == 1
    assert "done 0, skipped 0, failed 2" in output
    failures = {f["input"]: f for f in json.loads((out / FAILURES_FILE).read_text())}
    assert {key: f["code"] for key, f in failures.items()} == {
        "leak.txt": "unsafe_path",
        "world/fuego.txt": "unsafe_path",
    }
    assert "outside the output folder" in failures["world/fuego.txt"]["reason"]
    assert list(outside.iterdir()) == []


def test_one_file_and_bad_arguments(tmp_path: Path) -> None:
    out = tmp_path / "one"
    code, output = _brief(str(SEEDS / "sequia-corredor-seco.es.txt"), "--out", str(out))
    assert code == 0, output
    assert "done 1, skipped 0, failed 0" in output
    assert json.loads((out / "sequia-corredor-seco.es.json").read_text())["source_language"] == "es"

    for args, message in [
        ([str(SEEDS), "--out", str(out), "--format", "pdf"], "unknown --format pdf"),
        ([str(tmp_path / "missing"), "--out", str(out)], "does not exist"),
        ([str(tmp_path), "--out", str(tmp_path)], "the output folder is the input folder"),
    ]:
        code, output = _brief(*args)
        assert code == 1
        assert output.strip().startswith("error: ") and message in output, output


def test_jobs_2_equals_jobs_1_with_a_neural_engine(
    installed_models: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tiny random Opus-MT models through CTranslate2: threads share one engine and cache."""
    monkeypatch.setenv("BRIEFS_MAX_DECODING_LENGTH", "12")
    root = tmp_path / "articles"
    for name in sorted(p.name for p in SEEDS.glob("*.txt"))[:4]:
        (root / name[:2]).mkdir(parents=True, exist_ok=True)
        shutil.copy(SEEDS / name, root / name[:2] / name)
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        result = CliRunner().invoke(
            app, ["brief", str(root), "--out", str(out), "--engine", "ctranslate2", "-j", jobs]
        )
        assert result.exit_code == 0, result.output
        outputs[jobs] = _snapshot(out)
    assert outputs["1"] == outputs["2"]
    briefs = [json.loads(data) for name, data in outputs["1"].items() if name.endswith(".json")]
    assert len(briefs) == 5  # 4 briefs + failures.json
    assert {b["engines"]["translation"]["engine"] for b in briefs if isinstance(b, dict)} == {
        "ctranslate2"
    }


def _mtimes(out: Path) -> dict[Path, int]:
    """When each output file was last written (the run state's own files aside)."""
    return {
        p: p.stat().st_mtime_ns
        for p in out.rglob("*")
        if p.is_file() and not is_state_file(p.relative_to(out).as_posix())
    }


def test_language_option_is_used_for_articles_that_do_not_say_theirs(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(SEEDS / "sequia-corredor-seco.es.txt", source / "a.txt")
    (source / "b.json").write_text(
        json.dumps({"title": "T", "text": "Las lluvias no llegaron este año.", "language": "es"}),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["brief", str(source), "--out", str(out), "--engine", "apertium", "--language", "en"]
    )
    assert result.exit_code == 0, result.output
    forced = Brief.model_validate_json((out / "a.json").read_text(encoding="utf-8"))
    assert forced.source_language == "en"
    assert any("reads as Spanish" in warning for warning in forced.warnings)
    declared = Brief.model_validate_json((out / "b.json").read_text(encoding="utf-8"))
    assert declared.source_language == "es"  # the article's own language wins
