"""The brief tab in a real browser, against the live server and its real engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from service.briefs import Brief
from service.config import PACKAGE_PROMPTS_DIR
from service.render import BRIEF_TEMPLATE, render_brief
from service.text.prompts import load_prompt
from tests.conftest import SEEDS
from tests.web.conftest import MAX_TEXT_CHARS, LiveServer, PageProbe, open_page, serve

pytestmark = pytest.mark.slow

SEED = SEEDS / "guatemala-us-migration-security.en.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
FRENCH = (
    "Le gouvernement français a annoncé mardi une nouvelle série de mesures pour soutenir "
    "les agriculteurs touchés par la sécheresse. Les aides seront versées dès le mois "
    "prochain, a précisé le ministre de l'Agriculture lors d'une conférence de presse."
)


def make_brief(page: Page, text: str = SEED_TEXT) -> None:
    page.get_by_label("Article text").fill(text)
    page.get_by_role("button", name="Make the brief").click()


def column_text(page: Page, lang: str, field: str) -> str:
    return page.locator(f"#column-{lang} [data-field='{field}']").inner_text().strip()


def test_seed_article_fills_both_columns(
    page: tuple[Page, PageProbe], live_server: LiveServer, artifacts: Path
) -> None:
    tab, _ = page
    make_brief(tab)
    expect(tab.locator("#brief-result")).to_be_visible()

    english = column_text(tab, "en", "short")
    spanish = column_text(tab, "es", "short")
    assert english.startswith("Guatemala has committed"), english
    assert english in SEED_TEXT.replace("\n", " ")
    # Apertium's Spanish: real translated words, not the English copied across.
    assert spanish != english
    assert {"de", "los", "vuelos"} <= set(spanish.lower().replace(",", "").split()), spanish
    assert len(column_text(tab, "en", "long")) > len(english)
    assert len(column_text(tab, "es", "long")) > len(spanish)

    expect(tab.locator("#column-en")).to_have_attribute("lang", "en")
    expect(tab.locator("#column-es")).to_have_attribute("lang", "es")
    meta = tab.locator("#brief-meta").inner_text()
    assert "English (detected)" in meta
    assert "apertium" in meta and "lower quality" in meta
    assert "extractive" in meta
    # The rule-based engine is always flagged as lower quality.
    expect(tab.locator("#brief-warnings")).to_be_visible()
    expect(tab.locator("#brief-warning-list li").first).to_contain_text("Apertium")
    expect(tab.get_by_role("status")).to_contain_text("Brief ready")
    tab.screenshot(path=str(artifacts / "brief.png"), full_page=True)


def test_copy_and_downloads_hold_the_brief(page: tuple[Page, PageProbe], tmp_path: Path) -> None:
    tab, _ = page
    tab.get_by_label("Title").fill("Guatemala and the United States")
    make_brief(tab)
    expect(tab.locator("#brief-result")).to_be_visible()
    spanish_short = column_text(tab, "es", "short")
    spanish_title = column_text(tab, "es", "title")
    assert spanish_title and spanish_title != "Guatemala and the United States"

    tab.get_by_role("button", name="Copy the Spanish brief").click()
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(spanish_title)
    assert "Resumen breve" in copied and spanish_short in copied

    with tab.expect_download() as json_download:
        tab.get_by_role("button", name="Download JSON").click()
    brief = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert brief["es"]["short"] == spanish_short
    assert brief["source_language"] == "en"
    assert brief["engines"]["translation"]["engine"] == "apertium"

    with tab.expect_download() as markdown_download:
        tab.get_by_role("button", name="Download Markdown").click()
    assert markdown_download.value.suggested_filename == "guatemala-and-the-united-states.md"
    markdown = Path(markdown_download.value.path()).read_text(encoding="utf-8")
    # The CLI's layout, from the same template: what `briefs brief` writes for this brief.
    template = load_prompt(BRIEF_TEMPLATE, PACKAGE_PROMPTS_DIR)
    source = "guatemala-and-the-united-states.md"
    assert markdown == render_brief(template, Brief.model_validate(brief), source)
    assert markdown.startswith("# Guatemala and the United States\n")
    assert "| **Short** |" in markdown and spanish_short in markdown


def test_full_translation_goes_in_the_spanish_column(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    tab.get_by_label("Also translate the whole article").check()
    make_brief(tab)
    full = tab.locator("#column-es [data-field='full']")
    expect(full).to_be_visible()
    expect(full).to_contain_text("Traducción completa")
    assert len(full.locator("p").all()) > 5  # the article's paragraphs stay paragraphs
    expect(tab.locator("#column-en [data-field='full']")).to_be_hidden()


def test_phone_width_stacks_the_columns(
    browser: Browser, live_server: LiveServer, artifacts: Path
) -> None:
    tab, probe = open_page(browser, live_server, width=390)
    make_brief(tab)
    expect(tab.locator("#brief-result")).to_be_visible()
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 390px"
    english = tab.locator("#column-en").bounding_box()
    spanish = tab.locator("#column-es").bounding_box()
    assert english and spanish
    assert spanish["y"] >= english["y"] + english["height"], "columns should stack on a phone"
    assert english["width"] <= 390
    tab.screenshot(path=str(artifacts / "brief-phone.png"), full_page=True)
    tab.get_by_role("tab", name="Translate text").click()
    expect(tab.get_by_label("Text or HTML to translate")).to_be_visible()
    assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    tab.context.close()
    assert probe.errors == [] and probe.foreign_requests == []


def test_too_long_text_shows_a_readable_message(
    page: tuple[Page, PageProbe], artifacts: Path
) -> None:
    tab, _ = page
    text = SEED_TEXT * 2
    assert len(text) > MAX_TEXT_CHARS
    make_brief(tab, text)
    alert = tab.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("The text is too long")
    expect(alert).to_contain_text(f"{len(text):,} characters")
    expect(alert).to_contain_text(f"{MAX_TEXT_CHARS:,}")
    assert "{" not in alert.inner_text(), "the message must not be raw JSON"
    expect(alert).to_be_focused()
    expect(tab.locator("#brief-result")).to_be_hidden()
    tab.screenshot(path=str(artifacts / "error-too-long.png"), full_page=True)


def test_unsupported_language_shows_a_readable_message(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    make_brief(tab, FRENCH)
    alert = tab.get_by_role("alert")
    expect(alert).to_contain_text("This language is not supported")
    expect(alert).to_contain_text("French")
    assert "{" not in alert.inner_text()


def test_empty_text_is_caught_before_sending(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    sent: list[str] = []
    tab.on("request", lambda request: sent.append(request.url))
    make_brief(tab, "   ")
    expect(tab.get_by_role("alert")).to_contain_text("There is no text")
    assert not any("/v1/" in url for url in sent)


def test_a_rejected_field_is_listed(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    # The form only offers valid languages; rewrite the request to get the server's real 422.
    tab.route(
        "**/v1/briefs",
        lambda route: route.continue_(
            post_data=json.dumps({**json.loads(route.request.post_data or "{}"), "language": "fr"})
        ),
    )
    make_brief(tab)
    alert = tab.get_by_role("alert")
    expect(alert).to_contain_text("Some fields are not valid")
    expect(alert).to_contain_text("language: Input should be 'auto', 'en' or 'es'")
    assert "{" not in alert.inner_text()


def test_busy_service_says_when_to_retry(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    # A full queue cannot be produced on demand, so this answer stands in for the server's 503.
    problem = {
        "type": "about:blank",
        "title": "Service Unavailable",
        "status": 503,
        "code": "busy",
        "detail": "the translation queue is full",
        "hint": None,
    }
    tab.route(
        "**/v1/briefs",
        lambda route: route.fulfill(
            status=503,
            headers={"Retry-After": "7", "Content-Type": "application/problem+json"},
            body=json.dumps(problem),
        ),
    )
    make_brief(tab)
    alert = tab.get_by_role("alert")
    expect(alert).to_contain_text("The service is busy")
    expect(alert).to_contain_text("The translation queue is full.")
    expect(alert).to_contain_text("Try again in 7 seconds.")


def test_unreachable_service_is_explained(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    tab.route("**/v1/briefs", lambda route: route.abort("connectionrefused"))
    make_brief(tab)
    expect(tab.get_by_role("alert")).to_contain_text("The service cannot be reached")


def test_keyboard_only(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page

    def tab_to(element_id: str, key: str = "Tab") -> None:
        for _ in range(15):
            tab.keyboard.press(key)
            if tab.evaluate("document.activeElement.id") == element_id:
                return
        raise AssertionError(f"Tab never reached #{element_id}")

    tab_to("article-text")
    tab.keyboard.insert_text(SEED_TEXT)
    expect(tab.locator("#article-count")).to_have_text(f"{len(SEED_TEXT):,} characters")
    tab_to("brief-submit")
    tab.keyboard.press("Enter")
    expect(tab.locator("#brief-result")).to_be_visible()
    expect(tab.locator("#brief-result-heading")).to_be_focused()
    assert column_text(tab, "es", "short")

    # The tabs: roving focus, arrow keys switch, Home/End jump, Enter keeps the choice.
    tab_to("tab-brief", "Shift+Tab")
    tab.keyboard.press("ArrowRight")
    expect(tab.locator("#tab-translate")).to_be_focused()
    expect(tab.locator("#tab-translate")).to_have_attribute("aria-selected", "true")
    expect(tab.locator("#panel-translate")).to_be_visible()
    expect(tab.locator("#panel-brief")).to_be_hidden()
    tab.keyboard.press("ArrowRight")  # wraps around
    expect(tab.locator("#panel-brief")).to_be_visible()
    tab.keyboard.press("End")
    tab.keyboard.press("Enter")
    expect(tab.locator("#panel-translate")).to_be_visible()
    tab_to("translate-text")
    tab.keyboard.insert_text("The president announced new flights.")
    tab.keyboard.press("Control+Enter")
    expect(tab.locator("#translate-result")).to_be_visible()
    assert "vuelos" in tab.locator("#translate-output").input_value()


def test_file_picker_and_drop_load_the_article(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    tab.get_by_label("Or open a file (.txt, .md)").set_input_files(str(SEED))
    expect(tab.get_by_label("Article text")).to_have_value(SEED_TEXT)
    expect(tab.get_by_role("status")).to_contain_text(SEED.name)

    tab.get_by_role("button", name="Clear").click()
    expect(tab.get_by_label("Article text")).to_have_value("")
    tab.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.items.add(new File([text], "note.md", { type: "text/markdown" }));
            const zone = document.getElementById("drop-zone");
            zone.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true }));
        }""",
        "# Heading\n\nDropped text.",
    )
    expect(tab.get_by_label("Article text")).to_have_value("# Heading\n\nDropped text.")

    tab.evaluate(
        """() => {
            const data = new DataTransfer();
            data.items.add(new File(["x"], "photo.png", { type: "image/png" }));
            const zone = document.getElementById("drop-zone");
            zone.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true }));
        }"""
    )
    expect(tab.get_by_role("alert")).to_contain_text("not a .txt or .md file")


def test_every_control_has_a_label(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    unlabelled = tab.evaluate(
        """() => Array.from(document.querySelectorAll("input, select, textarea, button"))
            .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                            && !el.textContent.trim())
            .map((el) => el.id || el.outerHTML)"""
    )
    assert unlabelled == []
    assert tab.evaluate("document.documentElement.lang") == "en"
    expect(tab.locator("#column-es h4").first).to_have_text("Resumen breve")


def test_a_server_with_api_keys_asks_for_one(browser: Browser) -> None:
    with serve(api_keys=["page-test-key"]) as keyed:
        tab, probe = open_page(browser, keyed)
        make_brief(tab)
        alert = tab.get_by_role("alert")
        expect(alert).to_contain_text("An API key is needed")
        expect(alert).to_contain_text("Enter the key under “API key”")
        key = tab.get_by_label("API key")
        expect(key).to_be_visible()  # the error opened the key box

        key.fill("not-the-key")
        tab.get_by_role("button", name="Make the brief").click()
        expect(alert).to_contain_text("This API key is not allowed")

        key.fill("page-test-key")
        tab.get_by_role("button", name="Make the brief").click()
        expect(tab.locator("#brief-result")).to_be_visible()
        assert column_text(tab, "es", "short")
        tab.context.close()
    assert probe.errors == [] and probe.foreign_requests == []
