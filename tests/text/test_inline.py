"""Sentences through inline markup: translated whole, every tag back once, well-formed."""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from service.config import Settings, get_settings
from service.text.markup import segment, translate_documents
from service.translate.apertium import ApertiumTranslator
from service.translate.document import DocumentTranslator
from service.translate.factory import build_translator
from service.translate.texts import translate_texts
from tests.translate.fakes import UpperEngine

INLINE = '<p>She said <a href="/x">the minister</a> would resign on Monday.</p>'
NESTED = [
    INLINE,
    "<p>The <b>task <i>force</i> report</b> was <em>late</em>, said <span>Julio Reyes</span>.</p>",
    '<li><strong>Rains</strong> hit <a href="/a">three <b>towns</b></a> and <i>two</i>.</li>',
    "<p><b>All of this sentence is bold.</b></p>",
    # images and breaks inside a sentence, titles, inline code, notranslate, entities
    '<p>The minister <img src="m.png" alt="a photo"> said <abbr title="World Health">WHO</abbr>'
    " would act.</p>",
    '<p>The volcano erupted<br>on <a href="/s" title="Live map">Sunday</a> &amp; Monday.</p>',
    "<p>Type <code>make all</code> to build <b>the <kbd>x</kbd> program</b>.</p>",
    '<p>The <span class="notranslate">Prensa <b>Libre</b></span> paper<br><br>said <i>so</i>.</p>',
]
# Markdown sentences through marks: edge marks, nesting, code, breaks, links the parser rewrites
MARKDOWN = [
    "*Today* we vote on the **budget**",
    "This is **bold *and italic*** text, said [the report](https://example.org/a_(b)).",
    'Run `pip install x` and ``a`b`` to start [the *big* server](<https://e.org/a b> "T").',
    "# The *big* vote  \nis on [Monday][ref] &amp; *Tuesday*\n\n[ref]: https://x.org/café",
    "- **Rains** hit [three towns](https://x.org/café) today.\n- Then ~~two~~ left.",
    "> Quoted *words* here\\\n> continue `on` the *next line*.",
    "The minister ![a photo](m.png) said **he** would resign.  \nDone. ![The chart](c.png)",
    "Visit <https://auto.example/x> or <https://b.example> for *results*.",
]
VOID = frozenset({"img", "br", "wbr"})


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []
        self.stack: list[str] = []
        self.well_formed = True

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.events.append(f"<{tag}>")
        if tag not in VOID:
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
    return re.sub(r"<[^>]+>", " ", html).split()


# Markdown markup in rendered output: escaped characters are text, not marks.
_MD_MARK = re.compile(
    r"\\.|(`+).*?(?<!`)\1(?!`)|\]\((?:[^()\\]|\\.|\([^()]*\))*\)|\]\[[^\]]*\]|\*\*|\*|~~|\[|\]"
    r"|  \n(?:> )?|\\\n(?:> )?|<[a-z]+:[^>\s]*>"
)


_TITLE = re.compile(r"""\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\([^()]*\))\)$""")


def marks_of(markdown: str) -> list[str]:
    """The marks of a Markdown text in order: emphasis, links and their targets (a title is
    translated), code, breaks."""
    marks = [m.group() for m in _MD_MARK.finditer(markdown)]
    return [_TITLE.sub(")", m) for m in marks if not re.fullmatch(r"\\[^\n]", m)]


EMPHASIS = frozenset({"*", "**", "~~"})


def markdown_marks_kept(doc: str, out: str) -> bool:
    """Links, targets, code and breaks come back once, in order; emphasis too, except a pair
    left with nothing to wrap; every emphasis mark written is real emphasis, well-formed."""
    marks, source = marks_of(out), marks_of(doc)
    written = sum(len(m) for m in marks if m in EMPHASIS)
    parsed = sum(
        len(t.markup)
        for block in MarkdownIt("commonmark").enable("strikethrough").parse(out)
        for t in block.children or []
        if t.type in ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close")
    )
    return (
        [m for m in marks if m not in EMPHASIS] == [m for m in source if m not in EMPHASIS]
        and written == parsed
        and written <= sum(len(m) for m in source if m in EMPHASIS)
        and not re.search("zxk", out, re.IGNORECASE)  # no placeholder leaks
    )


def md_words(markdown: str) -> list[str]:
    return _MD_MARK.sub(" ", markdown).split()


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
            pieces += rng.sample(text.split(), min(2, len(text.split())))  # words repeated
            rng.shuffle(pieces)
            out.append(" ".join(pieces[: rng.randint(0, len(pieces))]))
        return out

    for doc in NESTED:
        (out,) = translate_documents([doc], "html", scramble)
        assert tags_of(out) == (tags_of(doc)[0], True), (doc, out)
        assert not re.search("zxk", out, re.IGNORECASE), out  # placeholders never leak
        for kept in re.findall(r"<code>.*?</code>|<kbd>.*?</kbd>|<span class.*?</span>", doc):
            assert out.count(kept) == 1, (kept, out)
    for doc in MARKDOWN:
        (out,) = translate_documents([doc], "markdown", scramble)
        assert markdown_marks_kept(doc, out), (doc, out)


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", ["ctranslate2", "transformers"])
def test_neural_engines_keep_every_tag_once(installed_models: Path, engine_name: str) -> None:
    settings = get_settings()
    translator = DocumentTranslator(build_translator(settings, engine_name), settings)  # type: ignore[arg-type]
    out = translate_texts(translator, NESTED, source="en", target="es", fmt="html").texts
    for doc, translated in zip(NESTED, out, strict=True):
        assert tags_of(translated) == (tags_of(doc)[0], True), translated
        assert not re.search("zxk", translated, re.IGNORECASE), translated
    out = translate_texts(translator, MARKDOWN, source="en", target="es", fmt="markdown").texts
    for doc, translated in zip(MARKDOWN, out, strict=True):
        assert markdown_marks_kept(doc, translated), (doc, translated)


def test_character_references_are_kept_as_written() -> None:
    doc = "<p>AT&amp;T &copy; 2026 &#8212; a <b>bold</b> &#1; claim.</p>"
    (out,) = translate_documents([doc], "html", lambda texts: list(texts))
    assert out == doc
    (upper,) = translate_documents([doc], "html", lambda texts: [t.upper() for t in texts])
    for reference in ("AT&amp;T", "&copy;", "&#8212;", "&#1;"):
        assert upper.count(reference) == 1, upper


@pytest.fixture(scope="module")
def apertium() -> DocumentTranslator:
    return DocumentTranslator(ApertiumTranslator(), Settings())


def _translated(translator: DocumentTranslator, doc: str, fmt: str) -> str:
    (out,) = translate_texts(translator, [doc], source="en", target="es", fmt=fmt).texts  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize(
    ("marked", "plain"),
    [
        # a mark that opens or closes the stretch of text, a sentence ending in one
        ("*Today* we vote on the budget.", "Today we vote on the budget."),
        ("We vote on the **budget**", "We vote on the budget"),
        ("We vote on the *budget.*", "We vote on the budget."),
        ("This is **bold *and italic*** text.", "This is bold and italic text."),
        ("# The *big* vote is **today**", "# The big vote is today"),
        ("- **Rains** hit [three towns](https://x.org/t) today.", "- Rains hit three towns today."),
        ("Fish &amp; *chips* are good food.", "Fish &amp; chips are good food."),
        ("The volcano erupted  \non *Sunday* morning.", "The volcano erupted on Sunday morning."),
        (
            "> The volcano erupted\\\n> on Sunday morning.",
            "> The volcano erupted on Sunday morning.",
        ),
        # link targets the parser rewrites come back exactly as written
        (
            "Read [the report](https://example.org/a_(b)) before Monday.",
            "Read the report before Monday.",
        ),
        (
            'Read [the report](https://example.org/a_(b) "the full report") before Monday.',
            "Read the report before Monday.",
        ),
        (
            "Read [the report](<https://e.org/a b> 'T') before Monday.",
            "Read the report before Monday.",
        ),
        (
            "Read [the report][r] before Monday.\n\n[r]: https://e.org/café",
            "Read the report before Monday.\n\n[r]: https://e.org/café",
        ),
    ],
)
def test_apertium_translates_markdown_sentences_whole(
    apertium: DocumentTranslator, marked: str, plain: str
) -> None:
    out = _translated(apertium, marked, "markdown")
    assert md_words(out) == md_words(_translated(apertium, plain, "markdown")), out
    assert marks_of(out) == marks_of(marked), out  # every mark and target as written, once


def test_apertium_keeps_inline_code_verbatim_inside_a_translated_sentence(
    apertium: DocumentTranslator,
) -> None:
    doc = "Type `make all` to build the program, then ``a`b`` to test it."
    assert segment(doc, "markdown").texts() == [
        "Type Zxkb to build the program, then Zxkc to test it."
    ]
    out = _translated(apertium, doc, "markdown")
    assert out == "Tipo `make all` para construir el programa, entonces ``a`b`` para probarlo."
    link = "Visit <https://auto.example/x> for the *results*."
    assert _translated(apertium, link, "markdown") == (
        "Visita <https://auto.example/x> para los *resultados*."
    )
    html = "<p>Type <code>make all</code> to build the program.</p>"
    assert _translated(apertium, html, "html") == (
        "<p>Tipo <code>make all</code> para construir el programa.</p>"
    )


@pytest.mark.parametrize(
    ("marked", "plain"),
    [
        (
            '<p>The minister <img src="m.png" alt="a photo of the minister"> said he would'
            " resign on Monday.</p>",
            "<p>The minister said he would resign on Monday.</p>",
        ),
        (
            '<p>The <abbr title="World Health Organization">WHO</abbr> said it would act.</p>',
            "<p>The WHO said it would act.</p>",
        ),
        (
            "<p>The volcano erupted<br>on Sunday morning.</p>",
            "<p>The volcano erupted on Sunday morning.</p>",
        ),
        (
            "<p>Fish &amp; <b>chips</b> are &quot;good&quot; food.</p>",
            "<p>Fish &amp; chips are &quot;good&quot; food.</p>",
        ),
    ],
)
def test_apertium_translates_html_sentences_whole_through_images_titles_and_breaks(
    apertium: DocumentTranslator, marked: str, plain: str
) -> None:
    out = _translated(apertium, marked, "html")
    assert words(re.sub(r'(alt|title)="[^"]*"', "", out)) == words(
        _translated(apertium, plain, "html")
    )
    assert tags_of(out) == (tags_of(marked)[0], True), out


def test_apertium_translates_alt_and_title_inside_a_sentence_unless_told_not_to(
    apertium: DocumentTranslator,
) -> None:
    doc = (
        '<p>The <abbr title="World Health Organization">WHO</abbr> saw <img src="m.png"'
        ' alt="a photo of the minister"> on <a href="/x" title="the live map">Monday</a>.</p>'
    )
    out = _translated(apertium, doc, "html")
    for translated in ("Organización Mundial de la Salud", "una foto del ministro", "el mapa vivo"):
        assert f'="{translated}"' in out, out
    kept = (
        '<p>The <abbr title="World Health Organization" translate="no">WHO</abbr> said'
        ' <a href="/x" class="notranslate" title="Live map">Prensa Libre</a> would act.</p>'
    )
    assert _translated(apertium, kept, "html") == (  # kept as written, the sentence whole
        '<p>El <abbr title="World Health Organization" translate="no">WHO</abbr> dijo'
        ' <a href="/x" class="notranslate" title="Live map">Prensa Libre</a> obraría.</p>'
    )


def test_a_mark_across_a_sentence_end_keeps_its_share_of_each_sentence(
    apertium: DocumentTranslator,
) -> None:
    # The mark's words are translated in another context: placed by their share of each side.
    md = "The vote *ended. Counting* begins now."
    assert _translated(apertium, md, "markdown") == "El voto *acabó. Contando* empieza ahora."
    html = "<p>The vote <b>ended. Counting</b> begins now.</p>"
    assert (
        _translated(apertium, html, "html")
        == "<p>El voto <b>acabó. Contando</b> empieza ahora.</p>"
    )


def test_apertium_translates_a_markdown_sentence_whole_through_an_image_and_its_alt(
    apertium: DocumentTranslator,
) -> None:
    doc = "The minister ![a photo of the minister](m.png) said he would resign on Monday."
    assert segment(doc, "markdown").texts() == ["The minister said he would resign on Monday."]
    assert _translated(apertium, doc, "markdown") == (
        "El ministro ![una foto del ministro](m.png) dijo que dimitiría el lunes."
    )
    alone = "Done.\n\n![A photo of the volcano](v.png)"
    assert _translated(apertium, alone, "markdown") == "Hecho.\n\n![Una foto del volcán](v.png)"
    after = "Rain fell on the town ![the town](t.png)"
    assert _translated(apertium, after, "markdown") == (
        "La lluvia cayó en la ciudad ![la ciudad](t.png)"
    )


def test_an_image_inside_a_link_stays_inside_it(apertium: DocumentTranslator) -> None:
    doc = '<p>Click <a href="/x"><img src="l.png" alt="the logo"></a> to go home.</p>'
    out = _translated(apertium, doc, "html")
    assert '<a href="/x"><img src="l.png" alt="el logotipo"></a>' in out, out
    assert words(out) == words(_translated(apertium, "<p>Click to go home.</p>", "html"))


def test_apertium_translates_a_markdown_link_title(apertium: DocumentTranslator) -> None:
    doc = 'Read [the report](https://x.org/a_(b) "the full report") before Monday.'
    assert _translated(apertium, doc, "markdown") == (
        'Leído [el informe](https://x.org/a_(b) "el informe lleno") antes de que lunes.'
    )


def test_inline_code_left_open_ends_with_its_paragraph() -> None:
    doc = '<p>Type <code>make</p><p>Next <span translate="no">Brand</p><p>Last line.</p>'
    assert segment(doc, "html").texts() == ["Type Zxkb", "Next Zxkb", "Last line."]
    (out,) = translate_documents([doc], "html", lambda texts: [t.upper() for t in texts])
    assert out == '<p>TYPE <code>make</p><p>NEXT <span translate="no">Brand</p><p>LAST LINE.</p>'
    (same,) = translate_documents([doc], "html", lambda texts: list(texts))
    assert same == doc


def test_checks_quote_inline_code_as_written_not_its_placeholder() -> None:
    translator = DocumentTranslator(UpperEngine(), Settings(cache_size=0))
    docs = ["Run `make` on Monday.", "<p>Type <code>ls</code> on Monday.</p>"]
    for fmt, doc in zip(("markdown", "html"), docs, strict=True):
        result = translate_texts(translator, [doc], source="en", target="es", fmt=fmt)  # type: ignore[arg-type]
        (checks,) = result.checks
        assert checks and all("Zxk" not in c.source + c.message for c in checks), checks
        assert all("make" in c.source or "<code>ls</code>" in c.source for c in checks), checks


@pytest.mark.parametrize(
    ("doc", "fmt", "code"),
    [
        ("<p>a<code>x</code>b and <b><code>npm i</code></b> c.</p>", "html", "<code>x</code>"),
        ("<p>word<br><span class='notranslate'>k</span>&#1;_ more</p>", "html", "</span>"),
        ("Use a`x`b and **`npm i`** then.", "markdown", "`x`"),
        ("Go to<https://a.b>now or *`x`* please.", "markdown", "<https://a.b>"),
    ],
)
def test_code_glued_to_words_comes_back_glued_and_its_placeholder_never_leaks(
    doc: str, fmt: str, code: str
) -> None:
    (same,) = translate_documents([doc], fmt, lambda texts: list(texts))  # type: ignore[arg-type]
    assert same == doc
    for engine in (lambda t: [" ".join(reversed(x.split())) for x in t], lambda t: [""] * len(t)):
        (out,) = translate_documents([doc], fmt, engine)  # type: ignore[arg-type]
        assert out.count(code) == 1 and not re.search("zxk", out, re.IGNORECASE), out


def test_tags_that_do_not_pair_up_keep_control_references_and_spacing() -> None:
    doc = "<p> <i>word&#1; here <b>x</p>"
    (out,) = translate_documents([doc], "html", lambda texts: [t.upper() for t in texts])
    assert out == "<p> <i>WORD&#1; HERE <b>X</p>"
