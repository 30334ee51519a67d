"""Reading Word (automatic numbering, tables, headers), PDF and text, and the clear errors
for what cannot be read."""

from __future__ import annotations

import io
import zipfile

import pytest

from mamori.engines.clauses import (
    CorruptDocument,
    DocumentTooLarge,
    EncryptedDocument,
    NoTextLayer,
    UnsupportedFormat,
    read_document,
)
from tests.data.contracts.corpus import build_docx, pdf_from_docx, pdf_from_lines

CONTRACT = """秘密保持契約書
前文の文。
第1条（目的）
本契約は、評価を目的とする。
第2条（秘密保持）
乙は、秘密情報を秘密として保持しなければならない。
| 項目 | 内容 |
| 目的 | 電池材料の評価 |
"""


def texts(document) -> list[str]:
    return [line.text for line in document.lines]


def test_word_automatic_numbering_reads_like_typed_article_numbers():
    data = build_docx(CONTRACT, numbering="article_ja", header="社外秘")
    document = read_document(data, "nda.docx")
    assert document.format == "docx"
    assert document.lines[0].origin == "header" and document.lines[0].text == "社外秘"
    body = texts(document)
    assert "第１条 （目的）" in body and "第２条 （秘密保持）" in body
    # A two-cell table row reads "label：value".
    assert "目的：電池材料の評価" in body


@pytest.mark.parametrize(
    ("numbering", "head", "expected"),
    [
        ("article_en", "Article 1. Purpose", "Article 1. Purpose"),
        ("heading_en", "1. Purpose", "1. Purpose"),
    ],
)
def test_english_numbering_formats(numbering, head, expected):
    data = build_docx(f"Agreement\n{head}\nThe purpose is X.\n", numbering=numbering)
    lines = read_document(data, "a.docx").lines
    assert any(line.text == expected for line in lines)
    heading = next(line for line in lines if line.text == expected)
    assert heading.heading is (numbering == "heading_en")


def test_pdf_text_layer_reads_the_same_lines_as_word():
    data = build_docx(CONTRACT, numbering="article_ja", header="社外秘")
    pdf = read_document(pdf_from_docx(data), "nda.pdf")
    assert pdf.format == "pdf" and pdf.pages == 1
    body = [line.text for line in pdf.lines]
    assert "乙は、秘密情報を秘密として保持しなければならない。" in body
    assert any(text.startswith("第１条") for text in body)


def test_pdf_joins_wrapped_lines_and_drops_page_numbers_and_running_headers():
    long = "乙は、" + "秘密情報を厳に秘密として保持し、" * 12 + "管理しなければならない。"
    lines = [
        f"第{n}条（見出し{n}）" if i % 2 == 0 else long for n in range(1, 30) for i in range(2)
    ]
    document = read_document(pdf_from_lines(lines, header="社外秘 CONFIDENTIAL"), "x.pdf")
    assert document.pages and document.pages > 2
    body = [line.text for line in document.lines if line.origin == "body"]
    assert long in body  # wrapped over several lines, joined back
    assert not any(text.startswith("-") and text.endswith("-") for text in body)
    assert [line.text for line in document.lines if line.origin == "header"] == [
        "社外秘 CONFIDENTIAL"
    ]


def test_pdf_raised_characters_stay_where_they_are_printed():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    text = page.beginText(72, 700)
    text.setFont("Helvetica", 11)
    text.textOut("except the Confidentiality Agreement dated September 26")
    text.setFont("Helvetica", 7)
    text.setRise(4)
    text.textOut("th")
    text.setFont("Helvetica", 11)
    text.setRise(0)
    text.textOut(", 2012, which stays in force.")
    page.drawText(text)
    page.save()
    lines = [line.text for line in read_document(buffer.getvalue(), "x.pdf").lines]
    assert lines == [
        "except the Confidentiality Agreement dated September 26th, 2012, which stays in force."
    ]


def test_scanned_pdf_without_text_is_refused_clearly():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(50, 50, 400, 600, fill=1)  # an "image" of a page, no text
    page.save()
    with pytest.raises(NoTextLayer, match="no text layer"):
        read_document(buffer.getvalue(), "scan.pdf")


def test_encrypted_pdf_is_refused_clearly():
    data = pdf_from_lines(["第1条（目的）", "本契約は評価を目的とする。"], encrypt="secret")
    with pytest.raises(EncryptedDocument, match="password"):
        read_document(data, "locked.pdf")


def test_encrypted_word_file_is_refused_clearly():
    # A password-protected .docx is an OLE container with EncryptionInfo / EncryptedPackage.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le")
    with pytest.raises(EncryptedDocument, match="password"):
        read_document(ole + b"\x00" * 1000, "locked.docx")


def test_old_doc_files_are_unsupported():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 600
    with pytest.raises(UnsupportedFormat, match=r"\.doc"):
        read_document(ole, "old.doc")


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\x00" * 100,  # a truncated zip
        build_docx(CONTRACT)[:2000],  # cut off half-way
    ],
)
def test_corrupt_word_file_is_refused_clearly(data):
    with pytest.raises(CorruptDocument, match=r"damaged|not a readable"):
        read_document(data, "broken.docx")


def test_a_zip_that_is_not_a_word_file_is_corrupt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(CorruptDocument, match="not a Word document"):
        read_document(buffer.getvalue(), "x.docx")


def test_corrupt_pdf_is_refused_clearly():
    with pytest.raises(CorruptDocument, match="not a readable PDF"):
        read_document(b"%PDF-1.7\n" + b"garbage" * 50, "broken.pdf")


def test_a_zip_bomb_is_not_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a>" + b" " * 50_000_000 + b"</a>")
    with pytest.raises(DocumentTooLarge):
        read_document(buffer.getvalue(), "bomb.docx")


def test_xml_entities_are_not_expanded():
    buffer = io.BytesIO()
    xml = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&x;第1条</w:t></w:r></w:p></w:body></w:document>"
    )
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", xml)
    text = " ".join(texts(read_document(buffer.getvalue(), "x.docx")))
    assert "root:" not in text


def test_text_in_shift_jis_and_markdown():
    document = read_document("第1条（目的）\n本契約は評価を目的とする。\n".encode("cp932"), "a.txt")
    assert texts(document)[:2] == ["第1条（目的）", "本契約は評価を目的とする。"]
    markdown = read_document(
        b"# NDA\n\n## Section 1. **Purpose**\n\n- The purpose is _evaluation_.\n", "a.md"
    )
    assert [line.text for line in markdown.lines if line.text] == [
        "NDA",
        "Section 1. Purpose",
        "The purpose is evaluation.",
    ]


def test_binary_and_image_files_are_unsupported():
    with pytest.raises(UnsupportedFormat):
        read_document(b"\x89PNG\r\n\x1a\n\x00\x00", "scan.png")
    with pytest.raises(UnsupportedFormat):
        read_document(b"abc\x00def", "data.bin")


def test_a_footer_printed_mid_page_on_every_page_is_page_furniture():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    for page in range(1, 5):
        document.setFont("Helvetica", 10)
        document.drawString(72, 700, f"Article {page}. The parties shall cooperate in good faith.")
        document.drawString(72, 420 + page * 7, f"Master Development Agreement Page {page} of 4")
        document.showPage()
    document.save()
    lines = [line.text for line in read_document(buffer.getvalue(), "x.pdf").lines]
    assert not any(text.startswith("Master Development") for text in lines if "Article" in text)
    assert "Article 2. The parties shall cooperate in good faith." in lines


def test_a_footer_printed_after_the_last_line_of_a_short_page_is_page_furniture():
    """A page box taller than its text prints the footer (the filing's exhibit number
    "10.23", flush right) mid-page, after the last line: it is not joined to the next page's
    first line, where it would read as an article number."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, pagesize=(612, 1400))
    names = ["pumps", "tanks", "rails", "valves", "meters"]
    for page, name in enumerate(names):
        document.setFont("Helvetica", 10)
        for line in range(6):
            document.drawString(
                50,
                900 - line * 14,
                f"the Operator shall keep the {names[(page + line) % 5]} of the facility in good "
                f"order and repair at its own cost, {name} and",
            )
        document.drawRightString(470, 770, "10.23")
        document.showPage()
    document.save()
    lines = [line.text for line in read_document(buffer.getvalue(), "x.pdf").lines]
    assert not any("10.23" in text for text in lines if text != "10.23")


def test_a_section_numbered_in_words_at_the_top_of_a_page_starts_a_paragraph():
    """The page before ends with a full line and a full stop: "SECTION FOUR. FEES" at the top
    of the next page is not joined to it."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    document.setFont("Helvetica", 10)
    document.drawString(72, 700, "The Company shall not use the logo without approval of the")
    document.drawString(72, 686, "Chapter, which it may give or withhold in its discretion.")
    document.showPage()
    document.setFont("Helvetica", 10)
    document.drawString(72, 700, "SECTION FOUR. FEES")
    document.drawString(72, 686, "The Company shall pay the fees.")
    document.showPage()
    document.save()
    lines = [line.text for line in read_document(buffer.getvalue(), "x.pdf").lines]
    assert "SECTION FOUR. FEES" in lines


def test_a_heading_numbered_with_a_parenthesis_starts_a_paragraph():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    document.setFont("Helvetica", 10)
    document.drawString(72, 700, "Now therefore, the parties agree to enter into an alliance on")
    document.drawString(72, 686, "the following terms and conditions, which they have read:")
    document.drawString(72, 672, "1) Duties of the Finder")
    document.drawString(72, 658, "The Finder shall use its best efforts to introduce clients.")
    document.showPage()
    document.save()
    lines = [line.text for line in read_document(buffer.getvalue(), "x.pdf").lines]
    assert "1) Duties of the Finder" in lines
