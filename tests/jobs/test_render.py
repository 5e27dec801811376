from __future__ import annotations

from markdown_it import MarkdownIt

from service.briefs import (
    Brief,
    BriefSide,
    EngineReport,
    FullTranslation,
    SummaryEngineReport,
    TranslationEngineReport,
)
from service.config import PACKAGE_PROMPTS_DIR
from service.render import (
    BRIEF_TEMPLATE,
    INDEX_TEMPLATE,
    IndexRow,
    cell,
    render_brief,
    render_index,
)
from service.text.prompts import load_prompt


def _brief(**changes: object) -> Brief:
    brief = Brief(
        source_language="en",
        en=BriefSide(title="Rains | floods", short="Rain fell.", long="Rain fell.\nRivers rose."),
        es=BriefSide(title="Lluvias | inundaciones", short="Llovió.", long="Llovió.\nCrecieron."),
        engines=EngineReport(
            translation=TranslationEngineReport(
                engine="apertium", model="apertium eng-spa", low_quality=True
            ),
            summary=SummaryEngineReport(method="extractive", model=None),
        ),
        warnings=["translated with the rule-based Apertium fallback"],
        timings_ms={"total": 1.0},
    )
    return brief.model_copy(update=changes)


def _table(markdown: str) -> list[list[str]]:
    """The rows of the first table, as the cells' inline text."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows and token.level > 2:
            rows[-1].append(token.content)
    return rows


def test_the_brief_is_a_side_by_side_table() -> None:
    template = load_prompt(BRIEF_TEMPLATE, PACKAGE_PROMPTS_DIR)
    text = render_brief(template, _brief(), "world/rain.en.txt")
    assert text.startswith("# Rains | floods\n")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "Source: world/rain.en.txt · written in English · translated by apertium" in text
    assert _table(text) == [
        ["", "English", "Español"],
        # markdown-it unescapes "\\|": each title stayed in one cell
        ["**Title**", "**Rains | floods**", "**Lluvias | inundaciones**"],
        ["**Short**", "Rain fell.", "Llovió."],
        ["**Long**", "Rain fell.<br>Rivers rose.", "Llovió.<br>Crecieron."],
    ]
    assert "> **Note:** translated with the rule-based Apertium fallback" in text


def test_full_translation_and_a_missing_title() -> None:
    template = load_prompt(BRIEF_TEMPLATE, PACKAGE_PROMPTS_DIR)
    brief = _brief(
        en=BriefSide(title=None, short="S.", long="L."),
        es=BriefSide(title=None, short="C.", long="La."),
        full_translation=FullTranslation(language="es", text="Todo el texto.\n\nSegundo."),
    )
    text = render_brief(template, brief, "a.txt")
    assert text.startswith("# a.txt\n")
    assert _table(text)[1] == ["**Title**", "**—**", "**—**"]
    assert text.endswith("## Full translation (Spanish)\n\nTodo el texto.\n\nSegundo.\n")


def test_cells_are_single_lines_with_pipes_escaped() -> None:
    assert cell("a | b\n\n c ") == "a \\| b<br>c"
    assert cell(None) == "—"


def test_the_index_lists_every_brief() -> None:
    template = load_prompt(INDEX_TEMPLATE, PACKAGE_PROMPTS_DIR)
    rows = [
        IndexRow("a.txt", "a.md", "en", "Rain", "Lluvia"),
        IndexRow("b c.json#2", "b c-2.md", "es", "Vote", None),
    ]
    text = render_index(template, rows)
    assert "2 parallel English | Spanish briefs." in text
    assert _table(text)[1:] == [
        ["[a.txt](a.md)", "en", "Rain", "Lluvia"],
        ["[b c.json#2](b%20c-2.md)", "es", "Vote", "—"],
    ]


def test_checks_become_footnotes_on_the_translated_side() -> None:
    from service.briefs import BriefCheck

    check = BriefCheck(
        part="long", kind="date", message="“March” has no counterpart", sentence=1, source="x"
    )
    text = render_brief(
        load_prompt(BRIEF_TEMPLATE, PACKAGE_PROMPTS_DIR), _brief(checks=[check]), "a"
    )
    row = next(line for line in text.splitlines() if line.startswith("| **Long**"))
    assert row.endswith("Llovió.<br>Crecieron.[^check1] |")  # the Spanish cell, not the English
    assert "[^check1]: Long summary, sentence 2, date: “March” has no counterpart" in text
