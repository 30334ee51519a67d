"""Scanned contracts: a contract of the real corpus printed and scanned (pages rendered at
200 dpi with seeded scanner noise, saved as a picture-only PDF) is read with OCR and
gets the same clause statuses as its text version on at least 90 % of required clauses;
the report says that the text came from OCR and how confident it is."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

from mamori.engines.clauses import NoTextLayer, check_document
from mamori.engines.codenames import ocr
from tests.data.pdfs import scanned

CORPUS = Path(__file__).resolve().parents[2] / "data" / "real_contracts" / "files"


def scanned_copy(data: bytes, dpi: int = 200, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    document = pdfium.PdfDocument(data)
    pages = []
    for page in document:
        pages.append(scanned(page.render(scale=dpi / 72).to_pil(), rng))
    document.close()
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out.getvalue()


@pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr-jpn is not installed")
def test_a_scanned_contract_gets_the_statuses_of_its_text(requirements):
    original = (CORPUS / "en-service-scoutcam.pdf").read_bytes()
    text = check_document(original, name="contract.pdf", requirements=requirements)
    assert text.ocr_confidence is None
    scan = check_document(
        scanned_copy(original),
        name="scan.pdf",
        requirements=requirements,
        kind=text.type_name,
        ocr=ocr.read,
    )
    same = [r for r in text.required if scan.result(r.key).status == r.status]
    assert len(text.required) >= 8
    assert len(same) / len(text.required) >= 0.9
    assert scan.ocr_confidence is not None and 60 <= scan.ocr_confidence <= 100
    assert scan.as_json()["ocr_confidence"] == scan.ocr_confidence


def test_without_ocr_a_scan_still_says_it_cannot_be_read(requirements):
    blank = io.BytesIO()
    Image.new("L", (200, 200), 255).save(blank, "PDF")
    with pytest.raises(NoTextLayer, match="OCR"):
        check_document(blank.getvalue(), name="scan.pdf", requirements=requirements)
