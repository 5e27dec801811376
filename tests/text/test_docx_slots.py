"""Word paragraphs as slots: sentences whole, formatting on the right words, structure kept."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import docx
import pytest

from service.errors import InputTooLarge, InvalidInput
from service.text.docx_slots import read_docx
from service.text.markup import translate_segmented
from tests.docx_factory import (
    LINK,
    add_field,
    field_runs,
    formatted,
    links,
    load,
    page_breaks,
    rich_docx,
    save,
)

LIMIT = 50_000_000


def _translated(data: bytes, translate: Callable[[list[str]], list[str]]) -> bytes:
    document = read_docx(data, "test.docx", LIMIT)
    (rendered,) = translate_segmented([document.segmented()], translate)
    return document.rebuild(rendered)


def _reordering(texts: list[str]) -> list[str]:
    """An "engine" that moves adjectives after nouns, like Spanish: red car -> CAR RED."""
    swaps = {"red car": "CAR RED", "very fast": "FAST VERY", "red": "RED", "very": "VERY"}
    out = []
    for text in texts:
        for source, target in swaps.items():
            text = text.replace(source, target)
        out.append(text.upper())
    return out


def test_each_paragraph_is_one_slot_and_sentences_are_whole() -> None:
    document = read_docx(rich_docx(), "test.docx", LIMIT)
    texts = document.segmented().texts()
    assert "The red car is very fast. I saw a big house." in texts
    assert "We spoke with the minister yesterday." in texts
    assert "The dog" in texts and "The newspaper" in texts and "Good night." in texts
    assert "2026" not in texts  # no word: left as it is


def test_formatting_follows_the_words_it_was_on() -> None:
    out = load(_translated(rich_docx(), _reordering))
    sentence = out.paragraphs[1]
    assert sentence.text == "THE CAR RED IS FAST VERY. I SAW A BIG HOUSE."
    assert formatted(sentence, "bold") == ["RED"]
    assert formatted(sentence, "italic") == ["FAST VERY"]


def test_structure_links_breaks_tables_headers_and_styles_are_kept() -> None:
    source = load(rich_docx())
    out = load(_translated(rich_docx(), lambda texts: [t.upper() for t in texts]))
    assert [p.style.name for p in out.paragraphs] == [p.style.name for p in source.paragraphs]
    assert out.paragraphs[0].text == "THE NEWS"
    (link,) = links(out.paragraphs[2])
    assert link[1] == "THE MINISTER"
    assert out.paragraphs[2].part.rels[link[0]].target_ref == LINK
    assert out.paragraphs[2].text == "WE SPOKE WITH THE MINISTER YESTERDAY."
    broken = out.paragraphs[3]
    assert page_breaks(broken) == 1
    before_break = broken._p.xpath("./w:r[w:br[@w:type='page']]/preceding-sibling::w:r")
    assert "".join(r.text for r in before_break).strip() == "GOOD MORNING."
    assert out.paragraphs[4].text == "2026"
    assert [c.text for c in out.tables[0].rows[0].cells] == ["THE DOG", "THE CITY IS BIG."]
    assert out.sections[0].header.paragraphs[0].text == "THE NEWSPAPER"
    assert out.sections[0].footer.paragraphs[0].text == "GOOD NIGHT."


def test_fields_are_kept_whole_after_the_text_before_them() -> None:
    def spanish(texts: list[str]) -> list[str]:  # the word before the field is not found
        return [text.replace("Page", "Página").strip() for text in texts]

    out = load(_translated(rich_docx(), spanish))
    page = out.sections[0].footer.paragraphs[1]
    assert field_runs(page) == ["Página", "begin", " PAGE ", "separate", "1", "end"]


def test_a_field_in_mid_sentence_stays_after_its_word() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("See page ")
    add_field(paragraph, " PAGEREF intro ", "4")
    paragraph.add_run(" for the details.")
    out = load(_translated(save(document), _reordering))
    assert field_runs(out.paragraphs[0]) == [
        "SEE PAGE ", "begin", " PAGEREF intro ", "separate", "4", "end", " FOR THE DETAILS.",
    ]  # fmt: skip


def test_runs_formatted_alike_are_one_stretch() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    for word in ("The ", "whole ", "sentence."):
        paragraph.add_run(word).bold = True
    parsed = read_docx(save(document), "x.docx", LIMIT)
    assert parsed.paragraphs[0].run.spans == []  # one formatting: nothing to place
    out = load(_translated(save(document), lambda texts: [t.upper() for t in texts]))
    assert [(r.text, r.bold) for r in out.paragraphs[0].runs] == [("THE WHOLE SENTENCE.", True)]


def test_runs_that_differ_only_in_unseen_properties_are_one_stretch() -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    paragraph = document.add_paragraph("The ")
    marked = paragraph.add_run("red")
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")
    marked._r.get_or_add_rPr().append(language)
    paragraph.add_run(" car.")
    parsed = read_docx(save(document), "x.docx", LIMIT)
    assert parsed.paragraphs[0].run.spans == []


def test_marks_in_a_translation_never_reach_the_document() -> None:
    out = load(_translated(rich_docx(), lambda texts: [t + "\ue000\ue003" for t in texts]))
    assert all("\ue000" not in p.text and "\ue003" not in p.text for p in out.paragraphs)
    assert len(out.paragraphs) == len(load(rich_docx()).paragraphs)


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip at all", b"PK\x03\x04broken", b"%PDF-1.7 ..."],
    ids=["empty", "text", "truncated-zip", "pdf"],
)
def test_a_corrupt_file_is_invalid_input(data: bytes) -> None:
    with pytest.raises(InvalidInput, match=r"bad\.docx is not a readable \.docx file"):
        read_docx(data, "bad.docx", LIMIT)


def test_a_zip_that_is_not_a_word_document_is_invalid_input() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(InvalidInput, match=r"not a readable \.docx"):
        read_docx(buffer.getvalue(), "other.docx", LIMIT)


@pytest.mark.parametrize(
    ("part", "xml"),
    [
        ("[Content_Types].xml", b"<Types/>"),
        ("_rels/.rels", b"<a/>"),
        ("word/_rels/document.xml.rels", b"<a/>"),
    ],
    ids=["content-types", "package-relationships", "document-relationships"],
)
def test_a_package_part_of_the_wrong_shape_is_invalid_input(part: str, xml: bytes) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(rich_docx())) as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, xml if info.filename == part else source.read(info))
    with pytest.raises(InvalidInput, match=r"odd\.docx is not a readable \.docx file"):
        read_docx(buffer.getvalue(), "odd.docx", LIMIT)


def test_a_zip_bomb_is_refused_before_it_is_read() -> None:
    with pytest.raises(InputTooLarge, match="unpacks to"):
        read_docx(rich_docx(), "big.docx", 1000)
