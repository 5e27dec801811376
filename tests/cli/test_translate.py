from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.config import Settings
from service.errors import EngineUnavailable
from service.jobs.failures import FAILURES_FILE
from service.translate.base import DecodeOptions, Translator
from tests.conftest import REPO, SEEDS
from tests.translate.fakes import UpperEngine

SEED = SEEDS / "guatemala-us-migration-security.en.txt"


def run(*args: str, input: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["translate", *args], input=input)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> UpperEngine:
    """The factory hands out an upper-casing engine (plumbing tests, no real engine)."""
    engine = UpperEngine()

    def build(settings: Settings, engine_name: str | None = None) -> Translator:
        return engine

    monkeypatch.setattr("service.translate.factory.build_translator", build)
    return engine


def test_seed_file_with_apertium_gives_spanish_on_stdout() -> None:
    result = run(str(SEED), "--to", "es", "--from", "en", "--engine", "apertium")
    assert result.exit_code == 0, result.output
    assert "vuelos de deportación" in result.stdout
    assert "Estados Unidos" in result.stdout
    assert len(result.stdout.splitlines()) == len(SEED.read_text(encoding="utf-8").splitlines())
    assert "translated with apertium (apertium-eng-spa): lower quality" in result.stderr


def test_spanish_detected_automatically_to_english(tmp_path: Path) -> None:
    article = tmp_path / "nota.txt"
    article.write_text(
        "El presidente de Guatemala anunció nuevos vuelos de deportación con los Estados "
        "Unidos. La policía y el ejército vigilarán la frontera oriental del país.\n",
        encoding="utf-8",
    )
    result = run(str(article), "--to", "en", "--engine", "apertium")
    assert result.exit_code == 0, result.output
    assert "flights" in result.stdout and "police" in result.stdout


def test_stdin_to_stdout(fake: UpperEngine) -> None:
    result = run("-", "--to", "es", "--from", "en", input=b"Hello there.\r\n\r\nBye.\r\n")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b"HELLO THERE.\r\n\r\nBYE.\r\n"
    assert "translated with upper (upper-case)" in result.stderr


def test_folder_is_mirrored_under_out(tmp_path: Path, fake: UpperEngine) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("First one.\nSecond one.\n", encoding="utf-8")
    (src / "sub" / "b.md").write_bytes(b"# Title\r\n\r\n- item one\r\n")
    (src / "sub" / "empty.txt").write_text("", encoding="utf-8")
    (src / "notes.json").write_text("{}", encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(src), "--to", "es", "--from", "en", "--out", str(out), "--beam-size", "3")
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "_briefs/failures.json",
        "_briefs/translate-state.sqlite",  # what a rerun skips (service.jobs.state)
        "a.txt",
        "sub/b.md",
        "sub/empty.txt",
    ]
    assert (out / "a.txt").read_text(encoding="utf-8") == "FIRST ONE.\nSECOND ONE.\n"
    assert (out / "sub" / "b.md").read_bytes() == b"# TITLE\r\n\r\n- ITEM ONE\r\n"
    assert (out / "sub" / "empty.txt").read_bytes() == b""
    assert fake.options and all(o == DecodeOptions(beam_size=3) for o in fake.options)


def test_single_file_with_out_keeps_its_name(tmp_path: Path, fake: UpperEngine) -> None:
    article = tmp_path / "story.md"
    article.write_text("A story.", encoding="utf-8")
    result = run(str(article), "--to", "es", "--from", "en", "--out", str(tmp_path / "es"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "es" / "story.md").read_text(encoding="utf-8") == "A STORY."
    assert result.stdout == ""


def test_a_failing_file_leaves_no_partial_output(tmp_path: Path, fake: UpperEngine) -> None:
    def convert(text: str) -> str:
        if "boom" in text:
            raise EngineUnavailable("the engine broke")
        return text.upper()

    fake.convert = convert  # type: ignore[method-assign]
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Fine.", encoding="utf-8")
    (src / "b.txt").write_text("It goes boom.", encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(src), "--to", "es", "--from", "en", "--out", str(out))
    # A folder goes on past a failing file and lists it in failures.json.
    assert result.exit_code == 1
    assert "failed b.txt: the engine broke" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: 1 file(s) failed")
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "_briefs",
        "a.txt",
    ]
    assert "the engine broke" in (out / FAILURES_FILE).read_text(encoding="utf-8")


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda tmp: [str(tmp / "missing.txt"), "--to", "es"], "no such file or folder"),
        (
            lambda tmp: [
                str(_write(tmp / "d" / "x.json", b"{}").parent),
                "--to",
                "es",
                "--out",
                str(tmp / "o"),
            ],
            "no .txt, .md, .html or .docx files",
        ),
        (
            lambda tmp: [str(_write(tmp / "bad.txt", b"caf\xe9 ol\xe9")), "--to", "es"],
            "not UTF-8 text",
        ),
        (
            lambda tmp: [str(_write(tmp / "a.txt", b"Hi.")), "--to", "es", "--from", "es"],
            "a.txt is already in Spanish (es)",
        ),
        (
            lambda tmp: [str(_write(tmp / "d" / "a.txt", b"Hi.").parent), "--to", "es"],
            "pass --out DIR",
        ),
        (lambda tmp: ["-", "--to", "es", "--out", str(tmp)], "--out needs a file or a folder"),
    ],
    ids=["missing", "empty-folder", "undecodable", "same-pair", "folder-no-out", "stdin-out"],
)
def test_bad_input_is_one_line_and_exit_1(
    tmp_path: Path,
    fake: UpperEngine,
    make_args,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    result = run(*make_args(tmp_path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert fake.batches == []


def test_text_already_in_the_target_language(tmp_path: Path, fake: UpperEngine) -> None:
    text = "Los Estados Unidos y Guatemala firmaron un acuerdo sobre migración y seguridad."
    nota = _write(tmp_path / "in" / "nota.txt", text.encode())
    _write(tmp_path / "in" / "story.txt", b"The United States and Guatemala signed a deal.")
    french = "Le gouvernement a annoncé hier un nouveau plan pour la sécurité des frontières."
    _write(tmp_path / "in" / "fr.txt", french.encode())
    single = run(str(nota), "--to", "es")
    assert single.exit_code == 1 and "already in Spanish (es)" in single.stderr
    folder = run(str(tmp_path / "in"), "--to", "es", "--out", str(tmp_path / "out"))
    assert folder.exit_code == 0, folder.output
    assert "skipped nota.txt: " in folder.stderr
    assert "skipped fr.txt: detected French" in folder.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["_briefs", "story.txt"]


def test_runs_as_a_real_subprocess() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "service",
            "translate",
            "-",
            "--to",
            "es",
            "--from",
            "en",
            "--engine",
            "apertium",
        ],
        input=b"The house is red.\n",
        capture_output=True,
        cwd=REPO,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "casa" in proc.stdout.decode()
    assert b"translated with apertium" in proc.stderr


def test_out_that_resolves_to_the_input_is_refused(
    tmp_path: Path, fake: UpperEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = _write(tmp_path / "story.txt", b"A story.")
    monkeypatch.chdir(tmp_path)
    result = run("story.txt", "--to", "es", "--from", "en", "--out", ".")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "story.txt" in lines[0], lines
    assert "would overwrite" in lines[0]
    assert article.read_bytes() == b"A story."
    assert fake.batches == []


def test_an_os_error_is_one_line_and_exit_1(tmp_path: Path, fake: UpperEngine) -> None:
    article = _write(tmp_path / "story.txt", b"A story.")
    blocker = _write(tmp_path / "somefile.txt", b"not a folder")
    result = run(str(article), "--to", "es", "--from", "en", "--out", str(blocker / "sub"))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert lines[0].endswith(str(blocker / "sub")), lines


def test_a_closed_stdout_is_a_quiet_exit() -> None:
    command = ["translate", "-", "--to", "es", "--from", "en", "--engine", "apertium"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "service", *command],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stdin is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written (`| head -c1`)
    proc.stdin.write(b"The police closed the border.\n")
    proc.stdin.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in stderr and "error" not in stderr, stderr


@pytest.mark.parametrize(("level", "shown"), [("info", True), ("warning", False)])
def test_log_level_setting_reaches_stderr(
    monkeypatch: pytest.MonkeyPatch, level: str, shown: bool
) -> None:
    import logging

    def build(settings: Settings, engine_name: str | None = None) -> Translator:
        logging.getLogger("service.translate.factory").info("engine for en-es: upper")
        return UpperEngine()

    monkeypatch.setattr("service.translate.factory.build_translator", build)
    monkeypatch.setenv("BRIEFS_LOG_LEVEL", level)
    result = run("-", "--to", "es", "--from", "en", input=b"Hi.")
    assert result.exit_code == 0, result.output
    assert ("info: engine for en-es: upper" in result.stderr) is shown, result.stderr
    assert result.stdout == "HI."


def test_glossary_and_checks_on_stderr_with_apertium(tmp_path: Path) -> None:
    glossary = tmp_path / "terms.csv"
    glossary.write_text("en,es\nThe Network,The Network\n", encoding="utf-8")
    source = tmp_path / "a.txt"
    source.write_text("The Network flagged the rise in August, when it rained.\n", encoding="utf-8")
    result = run(str(source), "--to", "es", "--engine", "apertium", "--glossary", str(glossary))
    assert result.exit_code == 0, result.output
    assert "The Network" in result.stdout
    assert "sentence 1: date: “August” has no counterpart in the translation" in result.stderr
    assert "checks: " in result.stderr and "1 (1 date)" in result.stderr


def test_a_malformed_glossary_is_one_line_and_exit_1(tmp_path: Path) -> None:
    glossary = tmp_path / "terms.csv"
    glossary.write_text("en,es\nvote\n", encoding="utf-8")
    result = run(str(SEED), "--to", "es", "--glossary", str(glossary))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"error: the glossary {glossary}, line 2: 1 cells for 2 columns (a glossary has a "
        "header naming the languages (en,es) and one term pair a row)"
    ]
