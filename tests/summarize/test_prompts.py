from __future__ import annotations

from pathlib import Path

import pytest

from service.config import PACKAGE_PROMPTS_DIR, Settings
from service.models.store import InstalledModel
from service.summarize.abstractive import AbstractiveSummarizer
from service.summarize.budget import Budgets
from service.text.prompts import TemplateError, load_prompt

SUMMARY_TEMPLATES = [f"summary.{n}.{lang}" for n in ("short", "long") for lang in ("en", "es")]


@pytest.mark.parametrize("name", SUMMARY_TEMPLATES)
def test_summary_templates_load_and_render(name: str) -> None:
    template = load_prompt(name)
    assert template.path == PACKAGE_PROMPTS_DIR / f"{name}.txt"
    assert template.variables == {"text", "max_words"}
    prompt = template.render(text="El texto de la noticia.", max_words=60)
    assert "El texto de la noticia." in prompt
    assert "60" in prompt
    assert "$" not in prompt


def test_templates_are_read_from_the_prompts_dir_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "summary.short.en.txt").write_text("Brief: $text", encoding="utf-8")
    monkeypatch.setenv("BRIEFS_PROMPTS_DIR", str(tmp_path))
    assert load_prompt("summary.short.en").render(text="x") == "Brief: x"


def test_missing_variable_names_template_and_variable() -> None:
    with pytest.raises(TemplateError) as caught:
        load_prompt("summary.long.es").render(text="Hola.")
    assert "summary.long.es" in str(caught.value)
    assert "$max_words" in str(caught.value)


def test_missing_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"summary\.short\.en"):
        load_prompt("summary.short.en", tmp_path)


@pytest.mark.parametrize("name", ["../secrets", "a/b", ""])
def test_template_names_cannot_leave_the_folder(name: str) -> None:
    with pytest.raises(TemplateError, match="bad template name"):
        load_prompt(name)


def test_malformed_placeholder(tmp_path: Path) -> None:
    (tmp_path / "broken.txt").write_text("costs $5 and $ more", encoding="utf-8")
    with pytest.raises(TemplateError, match="malformed"):
        load_prompt("broken", tmp_path)


def _fake_model(tmp_path: Path) -> InstalledModel:
    return InstalledModel("summarizer", "m", tmp_path, tmp_path, "t5", "test", "import", "", "m")


@pytest.mark.parametrize(
    ("body", "problem"),
    [("Summarize it in $max_words words.", "never uses $text"), ("$text in $tone", "$tone")],
)
def test_abstractive_summarizer_fails_at_build_on_a_bad_template(
    tmp_path: Path, body: str, problem: str
) -> None:
    for name in SUMMARY_TEMPLATES:
        (tmp_path / f"{name}.txt").write_text("$text ($max_words)", encoding="utf-8")
    (tmp_path / "summary.long.es.txt").write_text(body, encoding="utf-8")
    budgets = Budgets.from_settings(Settings())
    with pytest.raises(TemplateError) as caught:
        AbstractiveSummarizer(_fake_model(tmp_path), budgets, tmp_path)
    assert "summary.long.es" in str(caught.value)
    assert problem in str(caught.value)
