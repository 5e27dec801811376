"""Real Apertium (Debian's apertium + apertium-eng-spa are part of CI)."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
from pathlib import Path

import pytest

from service.config import Settings
from service.errors import EngineUnavailable, UnsupportedPair
from service.translate.apertium import ApertiumTranslator, tidy
from service.translate.apertium_pipeline import Pipeline
from service.translate.document import DocumentTranslator
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def apertium() -> ApertiumTranslator:
    assert ApertiumTranslator.available(), "install apertium and apertium-eng-spa"
    return ApertiumTranslator()


def test_english_to_spanish(apertium: ApertiumTranslator) -> None:
    (out,) = apertium.translate(["Guatemala will increase deportation flights."], "en", "es")
    assert "vuelos de deportación" in out


def test_spanish_to_english(apertium: ApertiumTranslator) -> None:
    (out,) = apertium.translate(["El presidente anunció nuevos vuelos."], "es", "en")
    assert "president" in out and "flights" in out


def test_a_batch_keeps_one_output_per_sentence_in_order(apertium: ApertiumTranslator) -> None:
    texts = [
        "The house is red.",
        "",
        "without a final period",
        "He said\n\nhello [to] C:\\path ^and$ @you *",
        "🎉",
        "The dog sleeps.",
    ]
    out = apertium.translate(texts, "en", "es")
    assert len(out) == len(texts)
    assert "casa" in out[0] and "roja" in out[0]
    assert out[1] == ""
    assert "\n" not in out[3] and "[" in out[3] and "C:\\" in out[3]
    assert out[4] == "🎉"
    assert "perro" in out[5]


def test_a_miscounted_batch_falls_back_to_smaller_calls(
    apertium: ApertiumTranslator, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run = apertium._run
    calls: list[str] = []

    def flaky(text: str, mode: str) -> str:
        calls.append(text)
        out = real_run(text, mode)
        return out + "\n\nextra block" if len(calls) == 1 else out

    monkeypatch.setattr(apertium, "_run", flaky)
    out = apertium.translate(["The house is red.", "The dog sleeps."], "en", "es")
    assert len(calls) == 3  # one batch call, then one per half
    assert "casa" in out[0] and "perro" in out[1]


def test_info_limits_and_pairs(apertium: ApertiumTranslator) -> None:
    info = apertium.info("en", "es")
    assert (info.engine, info.model, info.low_quality) == ("apertium", "apertium-eng-spa", True)
    assert apertium.max_input_tokens("en", "es") is None
    assert apertium.count_tokens(["one two  three", ""], "en", "es") == [3, 0]
    with pytest.raises(UnsupportedPair):
        apertium.info("es", "es")


def test_missing_binary_says_how_to_install() -> None:
    assert not ApertiumTranslator.available("no-such-apertium")
    with pytest.raises(EngineUnavailable, match="apt-get install apertium apertium-eng-spa"):
        ApertiumTranslator("no-such-apertium")


def test_a_failing_binary_is_an_engine_error(tmp_path: Path) -> None:
    broken = tmp_path / "apertium"
    broken.write_text("#!/bin/sh\necho 'Error: Mode eng-spa does not exist' >&2\nexit 1\n")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    assert not ApertiumTranslator.available(str(broken))
    with pytest.raises(EngineUnavailable, match="Mode eng-spa does not exist"):
        ApertiumTranslator(str(broken)).translate(["Hello."], "en", "es")


def test_seed_article_through_the_document_translator(apertium: ApertiumTranslator) -> None:
    seed = (SEEDS / "guatemala-us-migration-security.en.txt").read_text(encoding="utf-8")
    calls: list[int] = []
    real_run = apertium._run

    def counted(text: str, mode: str) -> str:
        calls.append(1)
        return real_run(text, mode)

    apertium._run = counted  # type: ignore[method-assign]
    try:
        result = DocumentTranslator(apertium, Settings(engine_batch_size=64)).translate(
            [seed], "en", "es"
        )
    finally:
        del apertium._run
    (out,) = result.texts
    assert len(calls) == 1  # 47 sentences, one process
    assert out.splitlines()[0].startswith("Guatemala y los Estados Unidos")
    assert len(out.splitlines()) == len(seed.splitlines())
    assert "vuelos de deportación" in out
    assert result.engine.low_quality


# --- the kept-alive null-flush pipelines ---------------------------------------------------


def _one_shot(text: str, mode: str) -> str:
    """What `apertium -u MODE` makes of ``text`` (a process of its own)."""
    done = subprocess.run(["apertium", "-u", mode], input=text.encode(), capture_output=True)
    return done.stdout.decode()


def test_a_pipeline_gives_what_apertium_gives_and_stays_alive() -> None:
    apertium = ApertiumTranslator()
    try:
        seed = (SEEDS / "guatemala-us-migration-security.en.txt").read_text(encoding="utf-8")
        lines = [" ".join(line.split()) for line in seed.splitlines() if line.strip()][:20]
        assert apertium.translate(lines, "en", "es") == [
            tidy(_one_shot(line, "eng-spa"), line) for line in lines
        ]
        pipeline = apertium._pipelines["eng-spa"]
        assert pipeline is not None and pipeline._process is not None
        pid = pipeline._process.pid
        apertium.translate(["The dog sleeps."], "en", "es")
        assert pipeline._process.pid == pid  # the same processes served both
    finally:
        apertium.close()


def test_a_dead_pipeline_is_started_again() -> None:
    apertium = ApertiumTranslator()
    try:
        apertium.translate(["The house is red."], "en", "es")
        pipeline = apertium._pipelines["eng-spa"]
        assert pipeline is not None and pipeline._process is not None
        os.killpg(pipeline._process.pid, signal.SIGKILL)
        pipeline._process.wait(10)
        (out,) = apertium.translate(["The dog sleeps."], "en", "es")
        assert "perro" in out
    finally:
        apertium.close()


def test_a_hung_pipeline_is_killed_and_the_request_told() -> None:
    tools = [shutil.which(t) for t in ("bash", "apertium-destxt", "apertium-retxt")]
    bash, destxt, retxt = (str(tool) for tool in tools)
    hung = Pipeline("eng-spa", "cat > /dev/null", bash, destxt, retxt)  # never answers
    with pytest.raises(EngineUnavailable, match="did not answer within 1 s"):
        hung.translate("Hello.", timeout_s=1)
    assert hung._process is None  # stopped; the next request starts a fresh one
    with pytest.raises(EngineUnavailable):
        hung.translate("Hello again.", timeout_s=1)
    hung.close()


def test_a_long_text_does_not_deadlock_the_pipes() -> None:
    apertium = ApertiumTranslator()
    try:
        sentences = [f"The house number {i} is red and the dog sleeps." for i in range(4000)]
        out = apertium.translate(sentences, "en", "es")  # about 200 KB each way, one request
        assert len(out) == 4000 and all("perro" in line for line in out)
    finally:
        apertium.close()


@pytest.mark.parametrize(
    ("source", "damaged", "repaired"),
    [
        ("The 2,552-meter volcano.", "El volcánde2,552 metros.", "El volcán de 2,552 metros."),
        (
            "They went to the US. Then left.",
            "Fueron a los EE.UU.. Entonces dejó.",
            "Fueron a los EE.UU. Entonces dejó.",
        ),
        ("He said it clearly.", " Lo  dijo claramente .", "Lo dijo claramente."),
        ("“We know it,” he said.", "“ Sabemos lo,” dijo.", "“Sabemos lo,” dijo."),
        ("Wait... what?", "Espera... ¿ qué?", "Espera... ¿qué?"),
    ],
)
def test_apertium_damage_is_repaired_where_it_is_made(
    apertium: ApertiumTranslator, source: str, damaged: str, repaired: str
) -> None:
    assert tidy(damaged, source) == repaired


def test_real_apertium_output_has_no_glued_numbers_doubled_stops_or_double_spaces(
    apertium: ApertiumTranslator,
) -> None:
    sources = [
        "The 2,552-meter volcano erupted.",
        "Few of them reached the US. Most stayed.",
        "He said he would go.",
    ]
    for line in apertium.translate(sources, "en", "es"):
        assert "  " not in line and ".." not in line and "ánde2" not in line, line
    assert apertium.translate(["The 2,552-meter volcano."], "en", "es") == [
        "El volcán de 2,552 metros."
    ]
