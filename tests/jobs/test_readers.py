from __future__ import annotations

import json

import pytest

from service.errors import EmptyInput, InvalidInput
from service.jobs.readers import (
    parse_json_articles,
    read_html,
    read_markdown,
    read_text_article,
    read_txt,
    record_article,
)

HTML = b"""<html><head><meta charset="utf-8"><title>Lluvias inundan la capital | Diario</title>
</head><body>
<nav><a href="/">Inicio</a> <a href="/mundo">Mundo</a> <a href="/deportes">Deportes</a></nav>
<article><h1>Lluvias inundan la capital</h1>
<p>Las fuertes lluvias inundaron varios barrios de la Ciudad de Guatemala el lunes y
obligaron a cientos de familias a dejar sus casas.</p>
<p>La agencia nacional de desastres dijo que los r\xc3\xados crecieron r\xc3\xa1pidamente
tras dos d\xc3\xadas de tormentas. Las escuelas cerraron y las carreteras quedaron bloqueadas.</p>
</article>
<footer>Copyright 2026 Diario. Suscr\xc3\xadbase a nuestro bolet\xc3\xadn.</footer>
</body></html>"""


def test_txt_first_non_empty_line_is_the_title() -> None:
    article = read_txt("\n\n  Rains flood the capital \nHeavy rains.\n\nMore rain.\n")
    assert article.title == "Rains flood the capital"
    assert article.text == "Heavy rains.\n\nMore rain."
    assert article.language == "auto"


def test_markdown_first_h1_is_the_title_and_markdown_is_kept() -> None:
    content = (
        "Intro line.\n\n# Rains *flood* the capital\n\n**Heavy** rains.\n\n## Damage\n\n- roads\n"
    )
    article = read_markdown(content)
    assert article.title == "Rains *flood* the capital"
    assert article.text == "Intro line.\n\n\n**Heavy** rains.\n\n## Damage\n\n- roads"


def test_markdown_without_a_heading_has_no_title() -> None:
    article = read_markdown("## Only a subheading\n\nSome text.")
    assert article.title is None
    assert article.text.startswith("## Only a subheading")


def test_html_main_text_without_navigation_or_footer() -> None:
    article = read_html(HTML)
    assert article.title == "Lluvias inundan la capital"
    assert article.text.startswith("Las fuertes lluvias")
    assert "ríos crecieron" in article.text
    for boilerplate in ("Inicio", "Deportes", "Copyright", "Suscríbase"):
        assert boilerplate not in article.text


def test_html_without_article_text_is_empty() -> None:
    with pytest.raises(EmptyInput):
        read_html(b"<html><head><title>T</title></head><body><script>x=1</script></body></html>")


def test_json_object_list_and_validation() -> None:
    one = parse_json_articles(b'{"title": "T", "text": "Body.", "language": "es"}')
    assert isinstance(one, dict)
    article = record_article(one)
    assert (article.title, article.text, article.language) == ("T", "Body.", "es")
    many = parse_json_articles(json.dumps([{"text": "A."}, {"text": "B."}]).encode())
    assert isinstance(many, list)
    assert [record_article(item).text for item in many] == ["A.", "B."]
    with pytest.raises(InvalidInput, match="language"):
        record_article({"text": "x", "language": "fr"})
    with pytest.raises(InvalidInput, match="text"):
        record_article({"title": "no text"})
    with pytest.raises(InvalidInput, match="invalid JSON"):
        parse_json_articles(b'{"text": ')
    with pytest.raises(InvalidInput, match="object or a non-empty list"):
        parse_json_articles(b"[]")


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_undecodable_bytes_are_a_readable_error(suffix: str) -> None:
    with pytest.raises(InvalidInput, match=r"undecodable byte 0xff at offset 6"):
        read_text_article(b"Title\n\xff\xfe broken", suffix)


@pytest.mark.parametrize("content", [b"", b"\n  \n", b"Only a title\n"])
def test_empty_articles_are_refused(content: bytes) -> None:
    with pytest.raises(EmptyInput):
        read_text_article(content, ".txt")


def test_a_utf8_bom_is_dropped() -> None:
    assert read_text_article(b"\xef\xbb\xbfTitle\nText.", ".txt").title == "Title"


def test_txt_first_sentence_is_text_not_a_title() -> None:
    article = read_txt("Heavy rains flooded the capital on Monday.\nMore rain is coming.\n")
    assert article.title is None
    assert article.text.startswith("Heavy rains flooded")
