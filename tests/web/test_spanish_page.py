"""The page in Spanish: chosen from the browser (Accept-Language, navigator.language) or the
EN/ES switch, in a real browser against the live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import SEEDS
from tests.web.conftest import MAX_TEXT_CHARS, TIMEOUT_MS, LiveServer, PageProbe, watch

pytestmark = pytest.mark.slow

SEED_TEXT = (SEEDS / "guatemala-us-migration-security.en.txt").read_text(encoding="utf-8")


def open_in(
    browser: Browser,
    server: LiveServer,
    *,
    locale: str | None = None,
    accept_language: str | None = None,
    width: int = 1280,
    height: int = 900,
) -> tuple[Page, PageProbe, str]:
    """A fresh page, with the browser's languages set; also the HTML the server sent."""
    options: dict[str, Any] = {"viewport": {"width": width, "height": height}}
    if locale:
        options["locale"] = locale
    if accept_language:
        options["extra_http_headers"] = {"Accept-Language": accept_language}
    context = browser.new_context(accept_downloads=True, **options)
    page = context.new_page()
    probe = watch(page, server)
    response = page.goto(server.url + "/")
    assert response is not None and response.ok
    return page, probe, response.text()


@pytest.fixture
def spanish(browser: Browser, live_server: LiveServer) -> Iterator[tuple[Page, str]]:
    """A page opened by a browser set to Guatemalan Spanish."""
    page, probe, served = open_in(browser, live_server, locale="es-GT")
    yield page, served
    page.context.close()
    assert probe.errors == [], probe.errors
    assert probe.foreign_requests == [], probe.foreign_requests


def make_brief_es(page: Page, text: str = SEED_TEXT) -> None:
    page.get_by_label("Texto de la noticia").fill(text)
    page.get_by_role("button", name="Crear el resumen").click()


def test_a_spanish_browser_gets_the_spanish_page(
    spanish: tuple[Page, str], artifacts: Path
) -> None:
    tab, served = spanish
    # Right in the HTML the server sent, before any script ran.
    assert '<html lang="es">' in served
    assert tab.evaluate("document.documentElement.lang") == "es"
    assert tab.title().startswith("Briefs: resúmenes de noticias")
    expect(tab.get_by_role("tab", name="Resumir una noticia")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(tab.get_by_role("tab", name="Traducir texto")).to_be_visible()
    expect(tab.get_by_label("Título")).to_be_visible()
    expect(tab.get_by_label("Idioma de la noticia")).to_be_visible()
    expect(tab.get_by_text("Pegue la noticia o arrastre aquí")).to_be_visible()
    expect(tab.get_by_role("button", name="ES", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(tab.locator("#article-count")).to_have_text("0 caracteres")
    tab.locator("#panel-brief summary", has_text="Glosario").click()
    glossary = tab.locator("#panel-brief").get_by_label("Pares de términos, uno por línea")
    expect(glossary).to_be_visible()
    expect(tab.locator("#panel-brief").get_by_text("Dos términos iguales protegen")).to_be_visible()

    make_brief_es(tab)
    expect(tab.locator("#brief-result")).to_be_visible()
    expect(tab.locator("#brief-result-heading")).to_have_text("El resumen")
    meta = tab.locator("#brief-meta").inner_text()
    assert "Idioma de la noticia" in meta and "Inglés (detectado)" in meta, meta
    assert "calidad menor" in meta
    expect(tab.get_by_role("status")).to_contain_text("Resumen listo en")
    warning = tab.locator("#brief-warning-list li").first
    expect(warning).to_contain_text("Traducido con Apertium")
    expect(tab.get_by_role("button", name="Copiar el resumen en español")).to_be_visible()
    expect(tab.get_by_role("button", name="Descargar Markdown")).to_be_visible()
    # Inside a column, headings stay in the column's language; the page's buttons follow the page.
    expect(tab.locator("#column-en h4").first).to_have_text("Short summary")
    expect(tab.locator("#column-en .copy")).to_have_attribute("lang", "es")
    tab.screenshot(path=str(artifacts / "brief-es.png"), full_page=True)

    # Nothing left in English on the page's own words (the columns are content).
    english = tab.evaluate(
        """() => Array.from(document.querySelectorAll("[data-i18n]"))
            .filter((node) => node.textContent === window.BRIEFS_MESSAGES.en[node.dataset.i18n]
                              && window.BRIEFS_MESSAGES.en[node.dataset.i18n]
                                 !== window.BRIEFS_MESSAGES.es[node.dataset.i18n])
            .map((node) => node.dataset.i18n)"""
    )
    assert english == []


def test_every_string_is_in_both_languages(spanish: tuple[Page, str]) -> None:
    tab, _ = spanish
    missing = tab.evaluate(
        """() => {
            const { en, es } = window.BRIEFS_MESSAGES;
            const used = new Set();
            for (const node of document.querySelectorAll("*")) {
                for (const name of ["i18n", "i18nPlaceholder", "i18nAriaLabel", "i18nTitle"]) {
                    if (node.dataset && node.dataset[name]) used.add(node.dataset[name]);
                }
            }
            return {
                notInEs: Object.keys(en).filter((key) => !(key in es)),
                notInEn: Object.keys(es).filter((key) => !(key in en)),
                unknown: [...used].filter((key) => !(key in en) || !(key in es)),
                sameText: Object.keys(en).filter((key) => en[key] === es[key]),
            };
        }"""
    )
    assert missing["notInEs"] == [] and missing["notInEn"] == [] and missing["unknown"] == []
    # Only what reads the same in both languages (a sample glossary, "Error {status}").
    assert set(missing["sameText"]) <= {"glossary.placeholder", "error.status"}, missing


def test_the_switch_toggles_and_is_remembered(browser: Browser, live_server: LiveServer) -> None:
    tab, probe, served = open_in(browser, live_server, locale="en-US")
    assert '<html lang="en">' in served
    expect(tab.get_by_role("button", name="Make the brief")).to_be_visible()
    tab.get_by_label("Article text").fill("abc")
    tab.get_by_role("button", name="ES", exact=True).click()
    assert tab.evaluate("document.documentElement.lang") == "es"
    expect(tab.get_by_role("button", name="Crear el resumen")).to_be_visible()
    expect(tab.locator("#article-count")).to_have_text("3 caracteres")
    expect(tab.get_by_role("button", name="ES", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(tab.get_by_role("button", name="EN", exact=True)).to_have_attribute(
        "aria-pressed", "false"
    )

    # Remembered: the next load is Spanish, already in the server's HTML (the cookie).
    response = tab.reload()
    assert response is not None and '<html lang="es">' in response.text()
    expect(tab.get_by_role("tab", name="Traducir texto")).to_be_visible()
    assert tab.evaluate("localStorage.getItem('briefs-lang')") == "es"

    tab.get_by_role("button", name="EN", exact=True).click()
    assert tab.evaluate("document.documentElement.lang") == "en"
    expect(tab.get_by_role("tab", name="Translate text")).to_be_visible()
    response = tab.reload()
    assert response is not None and '<html lang="en">' in response.text()
    expect(tab.get_by_role("button", name="Make the brief")).to_be_visible()
    tab.context.close()
    assert probe.errors == [] and probe.foreign_requests == []


def test_navigator_language_alone_picks_spanish(browser: Browser, live_server: LiveServer) -> None:
    # The server hears English (Accept-Language), the browser reports Spanish as its own
    # language (navigator.language): the script follows the browser.
    context = browser.new_context(locale="en-US")
    context.add_init_script(
        """Object.defineProperty(navigator, "language", { get: () => "es-GT" });
        Object.defineProperty(navigator, "languages", { get: () => ["es-GT", "es"] });"""
    )
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    response = tab.goto(live_server.url + "/")
    assert response is not None and '<html lang="en">' in response.text()
    assert tab.evaluate("document.documentElement.lang") == "es"
    expect(tab.get_by_role("button", name="Crear el resumen")).to_be_visible()
    context.close()
    assert errors == []


def test_errors_in_spanish_keep_the_apis_detail(spanish: tuple[Page, str], artifacts: Path) -> None:
    tab, _ = spanish
    text = SEED_TEXT * 2
    assert len(text) > MAX_TEXT_CHARS
    make_brief_es(tab, text)
    alert = tab.get_by_role("alert")
    expect(alert.locator("h2")).to_have_text("El texto es demasiado largo")
    # The API's own sentence beneath, marked as English.
    detail = alert.locator(".api-detail").first
    expect(detail).to_contain_text(f"{MAX_TEXT_CHARS:,}")
    expect(detail).to_have_attribute("lang", "en")
    tab.screenshot(path=str(artifacts / "error-too-long-es.png"))
    # The error follows the switch.
    tab.get_by_role("button", name="EN", exact=True).click()
    expect(alert.locator("h2")).to_have_text("The text is too long")
    tab.get_by_role("button", name="ES", exact=True).click()
    expect(alert.locator("h2")).to_have_text("El texto es demasiado largo")

    tab.get_by_label("Texto de la noticia").fill("   ")
    tab.get_by_role("button", name="Crear el resumen").click()
    expect(alert).to_contain_text("No hay texto")
    expect(alert).to_contain_text("Primero pegue una noticia")


def test_translate_tab_in_spanish(spanish: tuple[Page, str], artifacts: Path) -> None:
    tab, _ = spanish
    tab.get_by_role("tab", name="Traducir texto").click()
    tab.get_by_label("Texto o HTML para traducir").fill("The house is big.")
    tab.get_by_role("button", name="Traducir", exact=True).click()
    expect(tab.locator("#translate-result")).to_be_visible()
    meta = tab.locator("#translate-meta").inner_text()
    assert "Inglés (detectado)" in meta and "Español" in meta and "Motor" in meta, meta
    expect(tab.get_by_role("status")).to_have_text("Traducción lista.")
    tab.screenshot(path=str(artifacts / "translate-es.png"), full_page=True)
    tab.get_by_role("button", name="Invertir idiomas").click()
    expect(tab.get_by_role("status")).to_have_text("Ahora se traduce del español al inglés.")


@pytest.mark.parametrize("locale", ["en-US", "es-GT"])
def test_phone_in_both_languages(
    browser: Browser, live_server: LiveServer, artifacts: Path, locale: str
) -> None:
    tab, probe, _ = open_in(browser, live_server, locale=locale, width=390, height=844)
    lang = locale[:2]
    tab.locator("#article-text").fill(SEED_TEXT)
    tab.locator("#brief-submit").click()
    expect(tab.locator("#brief-result")).to_be_visible()
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 390px ({lang})"
    english = tab.locator("#column-en").bounding_box()
    spanish = tab.locator("#column-es").bounding_box()
    assert english and spanish and spanish["y"] >= english["y"] + english["height"]
    tab.screenshot(path=str(artifacts / f"brief-phone-{lang}.png"), full_page=True)
    # What a phone shows at once: the top of the page, then the brief's start.
    tab.evaluate("window.scrollTo(0, 0)")
    tab.screenshot(path=str(artifacts / f"brief-phone-{lang}-top.png"))
    tab.evaluate("document.getElementById('brief-result').scrollIntoView()")
    tab.screenshot(path=str(artifacts / f"brief-phone-{lang}-result.png"))
    tab.locator("#tab-translate").click()
    expect(tab.locator("#panel-translate")).to_be_visible()
    tab.screenshot(path=str(artifacts / f"translate-phone-{lang}.png"), full_page=True)
    tab.context.close()
    assert probe.errors == [] and probe.foreign_requests == []


def test_the_htmls_english_defaults_are_the_tables(spanish: tuple[Page, str]) -> None:
    # index.html carries English text for the moment before the script runs; the table in
    # messages.js is the one source, and the two must say the same.
    tab, served = spanish
    differing = tab.evaluate(
        """(html) => {
            const doc = new DOMParser().parseFromString(html, "text/html");
            const squeeze = (text) => text.replace(/\\s+/g, " ").trim();
            const same = (a, b) => squeeze(a) === squeeze(b);
            const en = window.BRIEFS_MESSAGES.en;
            const out = [];
            for (const node of doc.querySelectorAll("[data-i18n]")) {
                const key = node.dataset.i18n;
                if (!same(node.textContent, en[key] || "")) out.push(key);
            }
            for (const [data, attribute] of [["i18nAriaLabel", "aria-label"],
                                             ["i18nPlaceholder", "placeholder"]]) {
                for (const node of doc.querySelectorAll("*")) {
                    const key = node.dataset && node.dataset[data];
                    if (key && node.hasAttribute(attribute)
                        && !same(node.getAttribute(attribute), en[key] || "")) out.push(key);
                }
            }
            return out;
        }""",
        served,
    )
    assert differing == []
