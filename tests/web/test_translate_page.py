"""The translate tab in a real browser, against the live server and its real engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import PageProbe

pytestmark = pytest.mark.slow


def open_translate_tab(page: Page) -> None:
    page.get_by_role("tab", name="Translate text").click()
    expect(page.locator("#panel-translate")).to_be_visible()


def translate(page: Page) -> str:
    """Press Translate and wait for the answer; the translated text."""
    page.get_by_role("button", name="Translate", exact=True).click()
    expect(page.locator("#translate-result")).to_be_visible()
    return page.locator("#translate-output").input_value()


def test_translates_english_text_to_spanish(page: tuple[Page, PageProbe], artifacts: Path) -> None:
    tab, _ = page
    open_translate_tab(tab)
    tab.get_by_label("Text or HTML to translate").fill(
        "The government announced new deportation flights on Tuesday."
    )
    spanish = translate(tab)
    expect(tab.locator("#translate-output")).to_have_attribute("lang", "es")
    assert "vuelos" in spanish and "gobierno" in spanish.lower(), spanish
    meta = tab.locator("#translate-meta").inner_text()
    assert "English (detected)" in meta and "Spanish" in meta and "apertium" in meta

    tab.get_by_role("button", name="Copy the translation").click()
    assert tab.evaluate("navigator.clipboard.readText()") == spanish
    tab.screenshot(path=str(artifacts / "translate.png"), full_page=True)


def test_swap_sends_the_translation_back(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    open_translate_tab(tab)
    tab.get_by_label("Text or HTML to translate").fill("The house is big.")
    spanish = translate(tab)
    assert spanish and spanish != "The house is big."

    tab.get_by_role("button", name="Swap languages").click()
    expect(tab.get_by_label("From", exact=True)).to_have_value("es")
    expect(tab.get_by_label("To", exact=True)).to_have_value("en")
    expect(tab.get_by_label("Text or HTML to translate")).to_have_value(spanish)
    assert "house" in translate(tab).lower()
    expect(tab.locator("#translate-output")).to_have_attribute("lang", "en")


def test_html_keeps_its_tags(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    open_translate_tab(tab)
    tab.get_by_label("Format").select_option("html")
    tab.get_by_label("Text or HTML to translate").fill(
        "<p>The <b>president</b> announced new flights.</p>"
    )
    html = translate(tab)
    assert html.startswith("<p>") and html.endswith("</p>"), html
    assert "<b>" in html and "</b>" in html and "vuelos" in html.lower(), html


def test_text_already_in_the_target_language_is_explained(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    open_translate_tab(tab)
    tab.get_by_label("Text or HTML to translate").fill(
        "El gobierno anunció el martes nuevos vuelos de deportación hacia Guatemala."
    )
    tab.get_by_role("button", name="Translate", exact=True).click()
    alert = tab.get_by_role("alert")
    expect(alert).to_contain_text("These languages cannot be translated")
    assert "{" not in alert.inner_text()
    expect(tab.locator("#translate-result")).to_be_hidden()


def test_same_language_on_both_sides_cannot_be_picked(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    open_translate_tab(tab)
    tab.get_by_label("From", exact=True).select_option("es")
    expect(tab.get_by_label("To", exact=True)).to_have_value("en")
    tab.get_by_label("To", exact=True).select_option("es")
    expect(tab.get_by_label("From", exact=True)).to_have_value("en")


def test_the_glossary_box_keeps_terms_and_checks_show(
    page: tuple[Page, PageProbe], artifacts: Path
) -> None:
    tab, _ = page
    open_translate_tab(tab)
    tab.get_by_label("Text or HTML to translate").fill(
        "President Donald Trump spoke. The network flagged the rise in August, when it rained."
    )
    tab.locator("#panel-translate summary", has_text="Glossary").click()
    glossary = tab.locator("#panel-translate").get_by_label("Term pairs, one a line")
    glossary.fill("Donald Trump, Donald Trump")
    spanish = translate(tab)
    assert "Donald Trump" in spanish and "Triunfo" not in spanish, spanish
    warnings = tab.locator("#translate-warning-list").inner_text()
    assert "Check (date) — Sentence 2: “August” has no counterpart" in warnings, warnings
    tab.screenshot(path=str(artifacts / "translate-glossary.png"), full_page=True)

    glossary.fill("only one cell")
    tab.get_by_role("button", name="Translate", exact=True).click()
    error = tab.locator("#translate-error")
    expect(error).to_contain_text("The glossary has a line it cannot read")
