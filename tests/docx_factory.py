"""Word documents for tests, built with python-docx: formatting inside sentences, a link, a
page break, a table, a header and a footer."""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

LINK = "https://example.org/minister"


def rich_docx() -> bytes:
    """A document whose sentences run through bold, italic and a link."""
    document = docx.Document()
    document.add_heading("The news", level=1)
    sentence = document.add_paragraph("The ")
    sentence.add_run("red").bold = True
    sentence.add_run(" car is ")
    sentence.add_run("very fast").italic = True
    sentence.add_run(". I saw a big house.")
    linked = document.add_paragraph("We spoke with ")
    _add_link(linked, "the minister", LINK)
    linked.add_run(" yesterday.")
    broken = document.add_paragraph("Good morning.")
    broken.add_run().add_break(WD_BREAK.PAGE)
    broken.add_run(" The house is small.")
    document.add_paragraph("2026")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "The dog"
    table.cell(0, 1).text = "The city is big."
    section = document.sections[0]
    section.header.paragraphs[0].text = "The newspaper"
    section.footer.paragraphs[0].text = "Good night."
    page = section.footer.add_paragraph("Page ")
    add_field(page, " PAGE ", "1")
    return save(document)


def save(document: Any) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def load(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def formatted(paragraph: Any, attribute: str) -> list[str]:
    """The texts of the paragraph's runs that are bold/italic."""
    return [run.text for run in paragraph.runs if getattr(run, attribute)]


def page_breaks(paragraph: Any) -> int:
    return sum(1 for br in paragraph._p.iter(qn("w:br")) if br.get(qn("w:type")) == "page")


def links(paragraph: Any) -> list[tuple[str, str]]:
    """(relationship id, text) of each hyperlink in the paragraph."""
    found = []
    for link in paragraph._p.iter(qn("w:hyperlink")):
        text = "".join(t.text or "" for t in link.iter(qn("w:t")))
        found.append((link.get(qn("r:id")), text))
    return found


def add_field(paragraph: Any, instruction: str, shown: str) -> None:
    """A complex field (begin, instruction, separate, result, end), as Word writes PAGE."""

    def run(child: Any) -> None:
        r = OxmlElement("w:r")
        r.append(child)
        paragraph._p.append(r)

    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, shown),
                       ("end", None)):  # fmt: skip
        if kind is not None:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run(mark)
        else:
            element = OxmlElement("w:instrText" if text == instruction else "w:t")
            element.text = text
            run(element)


def field_runs(paragraph: Any) -> list[str]:
    """What each run of the paragraph holds: fldChar types, instrText and text, in order."""
    out = []
    for r in paragraph._p.iter(qn("w:r")):
        for child in r:
            if child.tag == qn("w:fldChar"):
                out.append(child.get(qn("w:fldCharType")))
            elif child.tag in (qn("w:instrText"), qn("w:t")):
                out.append(child.text)
    return out


def _add_link(paragraph: Any, text: str, url: str) -> None:
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(underline)
    run.append(properties)
    run.text = text
    link.append(run)
    paragraph._p.append(link)
