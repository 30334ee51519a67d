"""Sanitizing real PDFs (tests/data/pdfs/MANIFEST.yaml): every term leaves the page
content, the structure and the metadata; pages without a term keep their objects; the
result opens in pdfium and poppler; bad files are refused with nothing written."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from mamori.engines.codenames import Category, Dictionary, DocumentError, Term, ocr, sanitize, scan
from mamori.engines.codenames._pdf import page_text, pdfminer_pages
from tests.data.pdfs import MANUAL, manual_with_text_in_a_form

DATA = Path(__file__).resolve().parents[2] / "data"
ENGLISH = MANUAL
JAPANESE = DATA / "real_contracts" / "files" / "ja-nda-meti-ai.pdf"

ENGLISH_TERMS = Dictionary(
    [
        Term("ESP32-DevKit-LiPo", Category.PROJECT, "案件A"),
        Term("Olimex", Category.SUPPLIER, "供給元A"),
        Term("Espressif", Category.SUPPLIER, "供給元B"),
    ]
)
JAPANESE_TERMS = Dictionary(
    [
        Term("姿勢推定", Category.PROCESS, "条件A"),
        Term("見守りカメラシステム", Category.PROJECT, "案件A"),
        Term("ベースモデル", Category.MATERIAL, "素材A"),
    ]
)
CASES = [(ENGLISH, ENGLISH_TERMS), (JAPANESE, JAPANESE_TERMS)]
PARTIAL = Dictionary(
    [Term("Olimex", Category.SUPPLIER, "供給元A"), Term("Espressif", Category.SUPPLIER, "供給元B")]
)


def terms_in(text: str, dictionary: Dictionary) -> list[str]:
    return [text[start:end] for _p, start, end in dictionary.sanitizer.find(text).tuples()]


def pdfium_pages(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [page_text(page).text for page in document]
    finally:
        document.close()


@pytest.fixture(scope="module", params=CASES, ids=["en-datasheet", "ja-government-form"])
def sanitized(request):
    path, dictionary = request.param
    data = path.read_bytes()
    return data, sanitize(data, path.name, dictionary), dictionary


def test_the_planted_terms_occur_in_the_originals(sanitized):
    data, result, dictionary = sanitized
    found = {t for text in pdfium_pages(data) for t in terms_in(text, dictionary)}
    assert len(found) >= 3
    assert result.total >= 10 and result.format == "pdf"


def test_neither_extractor_finds_a_term_after_sanitize(sanitized):
    _data, result, dictionary = sanitized
    for text in pdfium_pages(result.data):
        assert terms_in(text, dictionary) == []
    for text in pdfminer_pages(result.data):
        assert terms_in(text, dictionary) == []
    report = scan(result.data, "out.pdf", dictionary)
    text_terms = [f for f in report.findings if f.kind == "term" and f.location.kind != "picture"]
    assert text_terms == []


@pytest.mark.skipif(not ocr.available(), reason="tesseract-ocr-jpn is not installed")
def test_names_in_pictures_are_painted_out_and_the_pages_named():
    """The manual's screenshot of the Arduino IDE shows “Espressif” and the board's
    name “OLIMEX …”: the check of the original reads them with OCR and says where;
    sanitizing paints them out, draws the codenames over them and names the pages."""
    data = ENGLISH.read_bytes()
    before = scan(data, ENGLISH.name, PARTIAL)
    pictures = [f for f in before.secrets if f.location.kind == "picture"]
    assert {(f.location.ref, f.term.text) for f in pictures} >= {("7", "Espressif")}
    assert all(f.detail.startswith("OCR ") and " mm, y " in f.detail for f in pictures)
    result = sanitize(data, ENGLISH.name, PARTIAL)
    (note,) = [note for note in result.notes if note.code == "pictures"]
    assert 7 in note.pages
    assert any(r.location.kind == "picture" for r in result.replacements)
    after = scan(result.data, "out.pdf", PARTIAL)
    assert [f for f in after.secrets if f.kind == "term"] == []


def test_codenames_take_the_terms_places(sanitized):
    _data, result, _dictionary = sanitized
    text = "".join(pdfium_pages(result.data))
    for term, count in result.counts:
        if count:
            assert term.codename in text


def test_the_text_under_a_codename_is_gone_not_covered(sanitized):
    """The content streams themselves no longer draw the term: poppler's extractor,
    which reads the glyphs and ignores what is painted over them, finds none."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed (make tesseract installs it)")
    _data, result, dictionary = sanitized
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=result.data, capture_output=True, check=True
    ).stdout.decode()
    assert terms_in(text.replace("\n", ""), dictionary) == [] or all(
        terms_in(line, dictionary) == [] for line in text.splitlines()
    )
    assert terms_in(text, dictionary) == []


@pytest.mark.parametrize(
    ("path", "dictionary"),
    [(ENGLISH, PARTIAL), (JAPANESE, JAPANESE_TERMS)],
    ids=["en-datasheet", "ja-government-form"],
)
def test_pages_without_a_term_keep_their_objects(path, dictionary):
    data = path.read_bytes()
    result = sanitize(data, path.name, dictionary)
    painted = {page for note in result.notes if note.code == "pictures" for page in note.pages}
    clean = [
        i
        for i, text in enumerate(pdfium_pages(data))
        if not terms_in(text, dictionary) and i + 1 not in painted
    ]
    assert clean, "each real PDF has pages without a term"
    before, after = pikepdf.open(io.BytesIO(data)), pikepdf.open(io.BytesIO(result.data))
    for index in clean:
        old, new = before.pages[index], after.pages[index]
        assert old.obj.Contents.read_raw_bytes() == new.obj.Contents.read_raw_bytes()
        assert repr(old.obj.Resources) == repr(new.obj.Resources)


def test_the_result_opens_in_pdfium_and_poppler(sanitized, tmp_path):
    _data, result, _dictionary = sanitized
    document = pdfium.PdfDocument(result.data)
    for page in document:
        page.render(scale=0.3).close()
    document.close()
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed (make tesseract installs it)")
    source = tmp_path / "out.pdf"
    source.write_bytes(result.data)
    run = subprocess.run(
        ["pdftoppm", "-r", "20", "-png", str(source), str(tmp_path / "page")],
        capture_output=True,
    )
    assert run.returncode == 0 and run.stderr == b""
    assert len(list(tmp_path.glob("page*.png"))) == len(pdfium_pages(result.data))


def planted_structure() -> bytes:
    """The English manual with terms in every place outside the page content."""
    pdf = pikepdf.open(ENGLISH)
    pdf.docinfo["/Title"] = "Olimex ESP32-DevKit-LiPo manual"
    pdf.docinfo["/Author"] = "Espressif field team"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = "ESP32-DevKit-LiPo by Olimex"
    pdf.attachments["olimex-notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"Olimex prices")
    page = pdf.pages[1]
    note = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[10, 10, 30, 30],
            Contents=pikepdf.String("Ask Olimex about the price"),
            T=pikepdf.String("Espressif reviewer"),
        )
    )
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("supplier"),
            V=pikepdf.String("Olimex Ltd."),
            Rect=[40, 10, 200, 30],
            P=page.obj,
        )
    )
    page.obj.Annots = pdf.make_indirect([*list(page.obj.get("/Annots") or []), note, field])
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field])
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_metadata_bookmarks_annotations_fields_and_attachments():
    data = planted_structure()
    before = scan(data, "in.pdf", ENGLISH_TERMS)
    places = {f.location.kind for f in before.findings if f.kind == "term"}
    assert {"property", "bookmark", "page", "xmp"} <= places
    result = sanitize(data, "in.pdf", ENGLISH_TERMS)
    after = scan(result.data, "out.pdf", ENGLISH_TERMS)
    assert [f for f in after.findings if f.kind == "term" and f.location.kind != "picture"] == []
    assert not any(f.kind == "attachment" for f in after.findings)
    codes = {note.code for note in result.notes}
    assert {"info", "bookmark", "annotation", "form", "attachments"} <= codes
    pdf = pikepdf.open(io.BytesIO(result.data))
    assert "案件A" in str(pdf.docinfo["/Title"]) and "Olimex" not in str(pdf.docinfo["/Title"])
    assert len(pdf.attachments) == 0
    assert "Olimex" not in (pdf.Root.get("/Metadata") or pdf.make_stream(b"")).read_bytes().decode()


def test_a_page_that_cannot_be_rewritten_is_rasterised():
    """Text inside a form XObject is not followed: the page becomes a picture with the
    term painted out and the codename drawn over it, and the notes say which page."""
    result = sanitize(manual_with_text_in_a_form(1), "in.pdf", ENGLISH_TERMS)
    (note,) = [note for note in result.notes if note.code == "rasterised"]
    assert note.pages == (2,)
    assert "Pages 2 were turned into pictures" in str(note)
    texts = pdfium_pages(result.data)
    assert terms_in(texts[1], ENGLISH_TERMS) == [] and "案件A" in texts[1]
    rewritten_pdf = pikepdf.open(io.BytesIO(result.data))
    rewritten = rewritten_pdf.pages[1]
    assert "/MamoriPage" in rewritten.obj.Resources.XObject


def encrypted(**keys: str) -> bytes:
    pdf = pikepdf.open(ENGLISH)
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(**keys))
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: encrypted(user="open-me", owner="open-me"), "encrypted"),
        (lambda: encrypted(user="", owner="owner-only"), "encrypted"),
        (lambda: ENGLISH.read_bytes()[: ENGLISH.stat().st_size // 2], "corrupt"),
        (lambda: ENGLISH.read_bytes()[:-200], "corrupt"),
        (lambda: ENGLISH.read_bytes().replace(b"startxref", b"startxrex"), "corrupt"),
        (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 200, "corrupt"),
    ],
    ids=[
        "password",
        "owner-password",
        "truncated-half",
        "truncated-end",
        "damaged-xref",
        "garbage",
    ],
)
def test_bad_pdfs_get_a_clear_message(make, code):
    with pytest.raises(DocumentError) as error:
        sanitize(make(), "bad.pdf", ENGLISH_TERMS)
    assert error.value.code == code
