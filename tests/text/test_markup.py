"""HTML and Markdown translation keeps markup, code, links, attributes and entities."""

from __future__ import annotations

import pytest

from service.text.markup import segment, translate_documents
from tests.text.test_inline import markdown_marks_kept

calls: list[list[str]] = []


def upper(texts: list[str]) -> list[str]:
    calls.append(list(texts))
    return [text.upper() for text in texts]


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    calls.clear()


HTML_PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><title>Election day</title>'
    "<style>p { color: red; }</style>"
    '<script>var label = "<b>do not touch</b>";</script></head>\n'
    '<body><h1 class="title">The vote begins</h1>\n'
    '<p>Polls open at <a href="https://example.com/a?b=1&amp;c=2" title="Live results">eight'
    "</a> &amp; close at&nbsp;nine.<br>Counting follows.</p>\n"
    "<pre>  keep   this\n  code </pre><p><code>x = 1</code> is code.</p>"
    '<p translate="no">Brand Name</p><p class="x notranslate">Other Brand</p>'
    '<img src="a.png" alt="A photo"><!-- a comment --></body></html>'
)


def test_html_translates_only_text_nodes() -> None:
    doc = segment(HTML_PAGE, "html")
    assert doc.texts() == [
        "Election day",
        "The vote begins",
        "Polls open at eight & close at\xa0nine.",
        "Counting follows.",
        "Zxkb is code.",  # inline code: a placeholder word in its sentence
        "A photo",
    ]
    assert "Live results" in doc.span_texts()  # a title inside a sentence run


def test_html_keeps_markup_attributes_entities_and_code_byte_for_byte() -> None:
    out = translate_documents([HTML_PAGE], "html", upper)[0]
    assert out == (
        '<!DOCTYPE html>\n<html lang="en"><head><title>ELECTION DAY</title>'
        "<style>p { color: red; }</style>"
        '<script>var label = "<b>do not touch</b>";</script></head>\n'
        '<body><h1 class="title">THE VOTE BEGINS</h1>\n'
        '<p>POLLS OPEN AT <a href="https://example.com/a?b=1&amp;c=2" title="LIVE RESULTS">'
        "EIGHT</a> &amp; CLOSE AT&nbsp;NINE.<br>COUNTING FOLLOWS.</p>\n"
        "<pre>  keep   this\n  code </pre><p><code>x = 1</code> IS CODE.</p>"
        '<p translate="no">Brand Name</p><p class="x notranslate">Other Brand</p>'
        '<img src="a.png" alt="A PHOTO"><!-- a comment --></body></html>'
    )


def test_html_escapes_markup_characters_the_translation_introduces() -> None:
    out = translate_documents(["<p>less</p>"], "html", lambda t: ["a <b> & c"])[0]
    assert out == "<p>a &lt;b&gt; &amp; c</p>"


@pytest.mark.parametrize(
    "source",
    [
        "plain words, no tags",
        "<p>unclosed <i>tags",
        "a < b and c > d",
        "<p>a\n<b\nclass='x'>multi\nline</b>\n</p>",
        "<![CDATA[x]]><?php echo 1 ?>tail text",
        "&copy; 2024 &#169; &#xA9;",
        "",
        "<br/><img src=x />",
    ],
)
def test_html_round_trips_when_nothing_changes(source: str) -> None:
    doc = segment(source, "html")
    assert doc.render(doc.texts(), doc.span_texts()) == source


MARKDOWN = """# Election day

The *vote* begins at `08:00` today, see [the results](https://example.com/r?a=1 "Results").
A wrapped
line continues.

> Quoted words
> continue here.

- first item
- second \\*starred\\* item &amp; more

```python
print("do not translate")
```

    indented code stays

| Party | Seats |
|-------|-------|
| Green | 12 |

<div>raw html</div>

Visit <https://auto.example/x> now. ![a photo](img.png) Done.

[ref]: https://ref.example
"""


LONG_LINE = (
    'THE *VOTE* BEGINS AT `08:00` TODAY, SEE [THE RESULTS](https://example.com/r?a=1 "RESULTS").'
    " A WRAPPED LINE CONTINUES."
)
EXPECTED_MARKDOWN = f"""# ELECTION DAY

{LONG_LINE}

> QUOTED WORDS CONTINUE HERE.

- FIRST ITEM
- SECOND \\*STARRED\\* ITEM &amp; MORE

```python
print("do not translate")
```

    indented code stays

| PARTY | SEATS |
|-------|-------|
| GREEN | 12 |

<div>raw html</div>

VISIT <https://auto.example/x> NOW. ![A PHOTO](img.png) DONE.

[ref]: https://ref.example
"""


def test_markdown_translates_prose_and_keeps_code_links_and_structure() -> None:
    assert translate_documents([MARKDOWN], "markdown", upper)[0] == EXPECTED_MARKDOWN


def test_markdown_escapes_characters_that_would_become_markup() -> None:
    out = translate_documents(["Plain words."], "markdown", lambda t: ["a *b* [c]"])[0]
    assert out == "a \\*b\\* \\[c\\]"


def test_all_documents_go_to_the_translator_in_one_call() -> None:
    docs = ["<p>one</p><p>two</p>", "<b>three</b>", "<code>none</code>"]
    out = translate_documents(docs, "html", upper)
    assert out == ["<p>ONE</p><p>TWO</p>", "<b>THREE</b>", "<code>none</code>"]
    assert calls == [["one", "two", "three"]]


def test_documents_without_prose_make_no_call() -> None:
    assert translate_documents(["<br>", "<code>x</code> 42"], "html", upper) == [
        "<br>",
        "<code>x</code> 42",
    ]
    assert translate_documents(["`code`", "    indented"], "markdown", upper) == [
        "`code`",
        "    indented",
    ]
    assert calls == []


def test_text_format_is_one_slot_with_outer_whitespace_kept() -> None:
    assert translate_documents(["  Hello there.\n"], "text", upper) == ["  HELLO THERE.\n"]


def test_the_prose_for_detection_leaves_markup_and_code_out() -> None:
    assert segment("<p>Hola <b>mundo</b></p><code>x</code>", "html").prose() == "Hola mundo"
    assert segment("# Hola\n\n`code` mundo", "markdown").prose() == "Hola mundo"


def test_render_refuses_the_wrong_number_of_translations() -> None:
    with pytest.raises(ValueError, match="1 translations for 2 slots"):
        segment("<p>a</p><p>b</p>", "html").render(["x"])


def test_markdown_keeps_footnotes_and_refused_links_as_written() -> None:
    docs = ["See [link](javascript:alert(1)) now.", "A claim.[^1]\n\n[^1]: The source note."]
    assert translate_documents(docs, "markdown", upper) == [
        "SEE [link](javascript:alert(1)) NOW.",
        "A CLAIM.[^1]\n\n[^1]: THE SOURCE NOTE.",
    ]


def test_alt_and_title_are_translated_unless_marked_not_to_be() -> None:
    doc = (
        '<div title="Live results"><img src="a.png" alt="A photo of &quot;Fuego&quot;"></div>'
        "<div translate=\"no\"><img alt='Keep me'></div>"
    )
    assert segment(doc, "html").texts() == ["Live results", 'A photo of "Fuego"']
    assert translate_documents([doc], "html", upper)[0] == (
        '<div title="LIVE RESULTS"><img src="a.png" alt="A PHOTO OF &quot;FUEGO&quot;"></div>'
        "<div translate=\"no\"><img alt='Keep me'></div>"
    )


def test_markdown_sentences_with_emphasis_and_links_are_translated_whole() -> None:
    doc = "Visit [the site](https://x.org) *today*, said **Julio Reyes**.\nThen ~~left~~ home."
    assert segment(doc, "markdown").texts() == [
        "Visit the site today, said Julio Reyes. Then left home."
    ]
    assert translate_documents([doc], "markdown", upper) == [
        "VISIT [THE SITE](https://x.org) *TODAY*, SAID **JULIO REYES**. THEN ~~LEFT~~ HOME."
    ]


def test_markdown_marks_come_back_once_whatever_the_engine_emits() -> None:
    doc = "The *task force* met [the minister](https://x.org/a) on **Monday**."
    for emitted in ("", "otra cosa", "lunes ministro fuerza", "Monday the minister task force"):
        (out,) = translate_documents([doc], "markdown", lambda texts, e=emitted: [e] * len(texts))
        # every mark once, well-formed (an emphasis left with nothing to wrap is left out)
        assert markdown_marks_kept(doc, out), out
        assert out.count("[") == 1 and out.count("](https://x.org/a)") == 1, out
