"""Sentences through inline markup: translated whole, every tag back once, well-formed."""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from service.config import Settings, get_settings
from service.text.markup import segment, translate_documents
from service.translate.apertium import ApertiumTranslator
from service.translate.document import DocumentTranslator
from service.translate.factory import build_translator
from service.translate.texts import translate_texts

INLINE = '<p>She said <a href="/x">the minister</a> would resign on Monday.</p>'
NESTED = [
    INLINE,
    "<p>The <b>task <i>force</i> report</b> was <em>late</em>, said <span>Julio Reyes</span>.</p>",
    '<li><strong>Rains</strong> hit <a href="/a">three <b>towns</b></a> and <i>two</i>.</li>',
    "<p><b>All of this sentence is bold.</b></p>",
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []
        self.stack: list[str] = []
        self.well_formed = True

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.events.append(f"<{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.events.append(f"</{tag}>")
        if not self.stack or self.stack.pop() != tag:
            self.well_formed = False


def tags_of(html: str) -> tuple[list[str], bool]:
    parser = _Tags()
    parser.feed(html)
    return sorted(parser.events), parser.well_formed and not parser.stack


def words(html: str) -> list[str]:
    return re.sub(r"<[^>]+>", "", html).split()


def test_an_inline_sentence_is_one_slot() -> None:
    assert segment(INLINE, "html").texts() == ["She said the minister would resign on Monday."]


def test_apertium_translates_the_sentence_whole_and_puts_the_link_back() -> None:
    translator = DocumentTranslator(ApertiumTranslator(), Settings())
    plain = "<p>She said the minister would resign on Monday.</p>"
    (with_link,) = translate_texts(translator, [INLINE], source="en", target="es", fmt="html").texts
    (without,) = translate_texts(translator, [plain], source="en", target="es", fmt="html").texts
    assert words(with_link) == words(without)  # tags removed: the plain sentence's words
    assert with_link == '<p>Dijo que <a href="/x">el ministro</a> dimitiría el lunes.</p>'


@pytest.mark.parametrize("seed", range(40))
def test_every_tag_comes_back_once_well_formed_whatever_the_engine_emits(seed: int) -> None:
    rng = random.Random(seed)

    def scramble(texts: list[str]) -> list[str]:
        out = []
        for text in texts:
            pieces = text.split() + rng.sample(["xq", "<b>", "&", "ñu", ""], 2)
            rng.shuffle(pieces)
            out.append(" ".join(pieces[: rng.randint(0, len(pieces))]))
        return out

    for doc in NESTED:
        (out,) = translate_documents([doc], "html", scramble)
        assert tags_of(out) == (tags_of(doc)[0], True), (doc, out)


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ["ctranslate2", "transformers"])
def test_neural_engines_keep_every_tag_once(installed_models: Path, engine_name: str) -> None:
    settings = get_settings()
    translator = DocumentTranslator(build_translator(settings, engine_name), settings)  # type: ignore[arg-type]
    out = translate_texts(translator, NESTED, source="en", target="es", fmt="html").texts
    for doc, translated in zip(NESTED, out, strict=True):
        assert tags_of(translated) == (tags_of(doc)[0], True), translated


def test_character_references_are_kept_as_written() -> None:
    doc = "<p>AT&amp;T &copy; 2026 &#8212; a <b>bold</b> &#1; claim.</p>"
    (out,) = translate_documents([doc], "html", lambda texts: list(texts))
    assert out == doc
    (upper,) = translate_documents([doc], "html", lambda texts: [t.upper() for t in texts])
    for reference in ("AT&amp;T", "&copy;", "&#8212;", "&#1;"):
        assert upper.count(reference) == 1, upper
