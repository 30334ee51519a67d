"""OCR in the residual check: pages rendered from a real Japanese PDF at 200 and 300 dpi
with scanner noise (seeded), then read back by tesseract; terms and markings in pictures
are reported with the page and the position; without tesseract the check says so."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

from mamori.engines.codenames import Category, Dictionary, Term, ocr, scan
from mamori.engines.codenames._pdf import join_lines, page_text
from mamori.engines.codenames._pdf_font import _font_bytes
from tests.data.pdfs import scanned as scanner_noise

JAPANESE = Path(__file__).resolve().parents[2] / "data" / "real_contracts" / "files"
FORM = JAPANESE / "ja-nda-meti-ai.pdf"
needs_tesseract = pytest.mark.skipif(
    not ocr.available(), reason="tesseract-ocr with tesseract-ocr-jpn is not installed"
)

# Terms of four characters or more that occur on the form's first pages.
TERMS = Dictionary(
    [
        Term("姿勢推定", Category.PROCESS, "条件A"),
        Term("ベースモデル", Category.MATERIAL, "素材A"),
        Term("介護施設", Category.CUSTOMER, "顧客A"),
        Term("学習済みモデル", Category.MATERIAL, "素材B"),
        Term("サンプルデータ", Category.OTHER, "項目A"),
        Term("リハビリ機器", Category.PROJECT, "案件A"),
    ]
)


def scanned(page_index: int, dpi: int, seed: int) -> Image.Image:
    """The form's page as a scanner gives it."""
    document = pdfium.PdfDocument(FORM)
    image = document[page_index].render(scale=dpi / 72).to_pil()
    document.close()
    return scanner_noise(image, np.random.default_rng(seed), skew=0.4)


def occurrences(text: str) -> list[str]:
    return [text[s:e] for _p, s, e in TERMS.sanitizer.find(text).tuples()]


@needs_tesseract
@pytest.mark.parametrize("dpi", [200, 300])
def test_japanese_terms_are_read_in_scans_at_ninety_percent_recall(dpi):
    expected = found = 0
    for page in (0, 1):
        document = pdfium.PdfDocument(FORM)
        truth = occurrences(page_text(document[page]).text)
        document.close()
        read = occurrences(join_lines(ocr.read(scanned(page, dpi, seed=dpi + page)).text))
        expected += len(truth)
        found += sum(min(read.count(term), truth.count(term)) for term in set(truth))
    assert expected >= 15
    assert found / expected >= 0.9


@needs_tesseract
def test_a_scanned_pdf_reports_terms_with_page_and_position():
    buffer = io.BytesIO()
    scanned(0, 200, seed=7).save(buffer, "PDF", resolution=200)
    report = scan(buffer.getvalue(), "scan.pdf", TERMS)
    pictures = [f for f in report.secrets if f.location.kind == "picture"]
    assert {f.text for f in pictures} >= {"姿勢推定", "ベースモデル"}
    first = pictures[0]
    assert first.location.describe("ja") == "1ページの画像（OCR）"
    assert first.detail.startswith("OCR ") and " mm, y " in first.detail


def picture_docx(text: str) -> bytes:
    from docx import Document
    from docx.shared import Cm

    font = ImageFont.truetype(io.BytesIO(_font_bytes()), 40)
    image = Image.new("L", (900, 160), 255)
    ImageDraw.Draw(image).text((30, 50), text, font=font, fill=0)
    png = io.BytesIO()
    image.save(png, "PNG")
    png.seek(0)
    document = Document()
    document.add_paragraph("図1")
    document.add_picture(png, width=Cm(15))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@needs_tesseract
def test_a_picture_in_a_word_file_is_read():
    report = scan(picture_docx("ベースモデルの姿勢推定 社外秘"), "fig.docx", TERMS)
    read = [f for f in report.secrets if f.location.kind == "ocr"]
    assert {f.text for f in read if f.kind == "term"} == {"ベースモデル", "姿勢推定"}
    assert any(f.kind == "marking" and f.text == "社外秘" for f in read)
    assert read[0].location.part == "word/media/image1.png"


def test_without_tesseract_the_check_says_pictures_were_not_read(monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    report = scan(picture_docx("ベースモデル"), "fig.docx", TERMS)
    missing = [f for f in report.findings if f.kind == "ocr_missing"]
    assert missing and missing[0].title("en").startswith("Text in pictures not read")
    buffer = io.BytesIO()
    Image.new("L", (400, 400), 255).save(buffer, "PDF")
    report = scan(buffer.getvalue(), "scan.pdf", TERMS)
    assert [f.location.describe("en") for f in report.findings if f.kind == "ocr_missing"] == [
        "picture on page 1 (OCR)"
    ]
