"""The page's defects of issue 15 (item 8), each driven in a real browser against the live
server: a pasted article's headline is its title, an error clears the result under it,
`code` in warnings is code, no scrollbar in the tab strip, and the checks' sentences marked."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.conftest import SEEDS
from tests.web.conftest import LiveServer, PageProbe, open_page

pytestmark = pytest.mark.slow

SEED = SEEDS / "guatemala-us-migration-security.en.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
HEADLINE = SEED_TEXT.splitlines()[0]
# Apertium turns "March" into "Marcha": a `date` check fires on the first sentence.
WITH_A_CHECK = """Fuego erupts again near the capital

The volcano erupted in March 2026 and sent ash six kilometres into the sky.
More than 4,200 people left their homes on Sunday, officials said.
Schools stayed closed across three departments while rescue teams searched the slopes.
The airport in the capital closed for two days as ash fell on the runways."""
CHECKED = "The volcano erupted in March 2026 and sent ash six kilometres into the sky."


def make_brief(page: Page, text: str) -> None:
    page.locator("#article-text").fill(text)
    page.locator("#brief-submit").click()


def test_a_pasted_article_without_a_title_takes_its_headline(
    page: tuple[Page, PageProbe],
) -> None:
    tab, _ = page
    expect(tab.get_by_label("Title")).to_have_value("")
    make_brief(tab, SEED_TEXT)
    expect(tab.locator("#brief-result")).to_be_visible()
    expect(tab.locator("#column-en [data-field='title']")).to_have_text(HEADLINE)
    expect(tab.locator("#column-es [data-field='title']")).to_be_visible()
    assert tab.locator("#column-es [data-field='title']").inner_text().strip()
    # The headline is the title, not the summary's first sentence.
    assert not tab.locator("#column-en [data-field='short']").inner_text().startswith(HEADLINE)

    with tab.expect_download() as markdown_download:
        tab.get_by_role("button", name="Download Markdown").click()
    markdown = Path(markdown_download.value.path()).read_text(encoding="utf-8")
    assert markdown.startswith(f"# {HEADLINE}\n"), markdown[:120]
    assert markdown_download.value.suggested_filename.startswith("guatemala-and-the-united")


def test_an_error_clears_the_previous_brief(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    make_brief(tab, SEED_TEXT)
    result = tab.locator("#brief-result")
    expect(result).to_be_visible()
    assert tab.locator("#column-es [data-field='short']").inner_text().strip()

    make_brief(tab, SEED_TEXT * 2)  # over the server's limit: a 413 answer
    expect(tab.get_by_role("alert")).to_contain_text("The text is too long")
    expect(result).to_be_hidden()
    assert tab.locator("#column-es [data-field='short']").inner_text() == ""
    assert tab.locator("#brief-warning-list li").count() == 0

    # The downloads belong to the cleared brief: they do nothing now.
    downloads: list[object] = []
    tab.on("download", lambda download: downloads.append(download))
    tab.evaluate("document.getElementById('download-json').click()")
    assert downloads == []


def test_an_error_clears_the_previous_translation(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    tab.get_by_role("tab", name="Translate text").click()
    tab.get_by_label("Text or HTML to translate").fill("The house is big.")
    tab.get_by_role("button", name="Translate", exact=True).click()
    expect(tab.locator("#translate-result")).to_be_visible()
    tab.route("**/v1/translate", lambda route: route.abort("connectionrefused"))
    tab.get_by_role("button", name="Translate", exact=True).click()
    expect(tab.locator("#translate-error")).to_contain_text("The service cannot be reached")
    expect(tab.locator("#translate-result")).to_be_hidden()
    assert tab.locator("#translate-output").input_value() == ""


def _with_warnings(warnings: list[str]) -> Callable[[Route], None]:
    """A route handler that passes the real brief on, with ``warnings`` added."""

    def handle(route: Route) -> None:
        response = route.fetch()
        brief = response.json()
        brief["warnings"] = [*brief["warnings"], *warnings]
        route.fulfill(response=response, body=json.dumps(brief))

    return handle


def test_warnings_show_code_spans_as_code_never_as_html(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    hostile = "run `<img src=x onerror=alert(1)>` then `briefs --help`; <b>not bold</b>"
    tab.route("**/v1/briefs", _with_warnings([hostile]))
    make_brief(tab, SEED_TEXT)
    items = tab.locator("#brief-warning-list li")
    expect(items.first).to_be_visible()
    # The API's own warning: `briefs models pull` is a <code>, with no backticks left.
    low_quality = items.filter(has_text="Apertium")
    expect(low_quality.locator("code").first).to_have_text("briefs models pull")
    assert "`" not in low_quality.inner_text()
    # Untrusted text stays text: the tag inside backticks is code, the other is literal.
    odd = items.filter(has_text="not bold")
    expect(odd.locator("code")).to_have_count(2)
    expect(odd.locator("code").first).to_have_text("<img src=x onerror=alert(1)>")
    assert odd.locator("img, b").count() == 0
    assert "<b>not bold</b>" in odd.inner_text()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_tab_strip_has_no_scrollbar(
    browser: Browser, live_server: LiveServer, width: int, lang: str
) -> None:
    tab, probe = open_page(browser, live_server, width=width)
    if lang == "es":
        tab.get_by_role("button", name="ES", exact=True).click()
    for selected in ("#tab-brief", "#tab-translate"):
        tab.locator(selected).click()
        sizes = tab.evaluate(
            """() => { const strip = document.querySelector('[role="tablist"]');
                return { sh: strip.scrollHeight, ch: strip.clientHeight,
                         sw: strip.scrollWidth, cw: strip.clientWidth,
                         oh: strip.offsetHeight }; }"""
        )
        assert sizes["sh"] <= sizes["ch"], f"the tab strip scrolls vertically: {sizes}"
        assert sizes["sw"] <= sizes["cw"], f"the tab strip scrolls sideways: {sizes}"
        # No room taken by a scrollbar either.
        assert sizes["oh"] == sizes["ch"], sizes
        # The selected tab still covers the strip's line (it looks attached to the panel).
        box = tab.locator(selected).bounding_box()
        strip = tab.locator('[role="tablist"]').bounding_box()
        assert box and strip
        assert abs((box["y"] + box["height"]) - (strip["y"] + strip["height"])) < 1
    tab.context.close()
    assert probe.errors == [] and probe.foreign_requests == []


def test_the_checked_sentence_is_marked_in_both_columns(
    page: tuple[Page, PageProbe], artifacts: Path
) -> None:
    tab, _ = page
    tab.get_by_label("Also translate the whole article").check()
    make_brief(tab, WITH_A_CHECK)
    expect(tab.locator("#brief-result")).to_be_visible()

    # The translated column: the Spanish sentence the check fired on, its message a tooltip.
    spanish = tab.locator("#column-es [data-field='short'] mark.check")
    expect(spanish).to_have_count(1)
    expect(spanish).to_contain_text("Marcha 2026")
    message = "“March” has no counterpart in the translation"
    expect(spanish).to_have_attribute("title", f"Check (date): {message}")
    # The article's column: the source sentence.
    english = tab.locator("#column-en [data-field='short'] mark.check")
    expect(english).to_have_text(CHECKED)
    expect(tab.locator("#column-en [data-field='long'] mark.check")).to_have_text(CHECKED)
    # The full translation is on the Spanish side only.
    expect(tab.locator("#column-es [data-field='full-text'] mark.check")).to_have_count(1)
    expect(tab.locator("#column-en mark.check")).to_have_count(2)
    # Marks change nothing in the text itself.
    assert tab.locator("#column-en [data-field='short']").inner_text().startswith(CHECKED)

    # Each check in the list links to its mark; following it focuses the sentence.
    entries = tab.locator("#brief-warning-list li.check-item")
    expect(entries).to_have_count(3)
    first = entries.first
    expect(first).to_contain_text("Check (date) — Short summary, sentence 1")
    expect(first).to_contain_text("“March” has no counterpart in the translation")
    link = first.get_by_role("link")
    expect(link).to_have_attribute("href", "#check-short-0")
    link.click()
    expect(spanish).to_be_focused()
    tab.screenshot(path=str(artifacts / "brief-checks.png"), full_page=True)

    # In Spanish, the page's words change; the marks and links stay.
    tab.get_by_role("button", name="ES", exact=True).click()
    expect(first).to_contain_text("Revisión (fecha) — Resumen breve, oración 1")
    expect(spanish).to_have_attribute("title", f"Revisión (fecha): {message}")
    expect(tab.locator("#brief-warning-list li.check-item a")).to_have_count(3)
    tab.locator("#brief-warnings").scroll_into_view_if_needed()
    tab.screenshot(path=str(artifacts / "brief-checks-es.png"))


def test_the_translate_tab_marks_the_checked_sentence(page: tuple[Page, PageProbe]) -> None:
    tab, _ = page
    tab.get_by_role("tab", name="Translate text").click()
    tab.get_by_label("Text or HTML to translate").fill(
        "The volcano erupted on Sunday. It erupted again in March 2026."
    )
    tab.get_by_role("button", name="Translate", exact=True).click()
    marks = tab.locator("#translate-marked mark.check")
    expect(marks).to_have_count(1)
    expect(marks).to_contain_text("Marcha 2026")
    expect(tab.locator("#translate-marked")).to_have_attribute("lang", "es")
    # The marked text stands in for the text box, and says the same.
    expect(tab.locator("#translate-output")).to_be_hidden()
    output = tab.locator("#translate-output").input_value()
    assert tab.locator("#translate-marked").inner_text().strip() == output.strip()
    link = tab.locator("#translate-warning-list li.check-item a")
    expect(link).to_have_text("Check (date) — Sentence 2")
    link.click()
    expect(marks).to_be_focused()
