"""A PDF's residual check: the text layer (two extractors), the document information
and the comments; codenames cannot be turned back in a PDF."""

from __future__ import annotations

import io

import pytest

from mamori.engines.codenames import (
    Category,
    Dictionary,
    DocumentError,
    Term,
    restore,
    scan,
)


def pdf(text: str, *, author: str = "Yamamoto", comment: str = "") -> bytes:
    """Return a one-page PDF whose text layer holds ``text`` (ASCII, Helvetica)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    annots = "/Annots [6 0 R]" if comment else ""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            f"/Resources << /Font << /F1 5 0 R >> >> {annots} >>"
        ).encode(),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents ({comment}) >>".encode(),
        f"<< /Author ({author}) /Title (Report) >>".encode(),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def dictionary():
    return Dictionary(
        [
            Term("PF-200", Category.PROCESS, "条件A"),
            Term("Yamamoto", Category.PERSON, "人物A"),
        ]
    )


def test_pdf_text_metadata_and_comments_are_scanned(dictionary):
    report = scan(
        pdf("Spec of PF-200 - CONFIDENTIAL", comment="ask Yamamoto"), "spec.pdf", dictionary
    )
    assert not report.scan_only and report.format == "pdf"
    found = {(f.kind, f.location.describe("en"), f.text) for f in report.findings}
    assert ("term", "page 1", "PF-200") in found
    assert ("marking", "page 1", "CONFIDENTIAL") in found
    assert ("property", "property “Author”", "Yamamoto") in found
    assert ("term", "property “Author”", "Yamamoto") in found
    assert ("comment", "page 1", "ask Yamamoto") in found
    assert ("term", "page 1", "Yamamoto") in found


def test_a_clean_pdf_has_no_secret(dictionary):
    assert scan(pdf("Nothing here", author="Lab"), "a.pdf", dictionary).secrets == ()


def test_a_pdf_cannot_be_restored(dictionary):
    with pytest.raises(DocumentError) as error:
        restore(pdf("PF-200"), "spec.pdf", dictionary)
    assert error.value.code == "pdf" and "source document" in str(error.value)


def test_encrypted_and_damaged_pdfs_get_a_clear_message(dictionary):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf("PF-200"))))
    writer.encrypt("secret-password")
    locked = io.BytesIO()
    writer.write(locked)
    with pytest.raises(DocumentError) as encrypted:
        scan(locked.getvalue(), "locked.pdf", dictionary)
    assert encrypted.value.code == "encrypted"
    with pytest.raises(DocumentError) as damaged:
        scan(b"%PDF-1.4\n1 0 obj <<", "broken.pdf", dictionary)
    assert damaged.value.code == "corrupt"
