"""Word, Excel and PowerPoint: terms replaced in every place Office keeps text, the runs'
formatting kept, the files still open, the residual scan clean; unsafe or damaged
packages refused with a clear message."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from mamori.engines.codenames import DocumentError, Limits, sanitize, scan
from tests.engines.codenames import documents as docs
from tests.engines.codenames.documents import (
    CUSTOMER,
    MATERIAL,
    PERSON,
    PROCESS,
    SUPPLIER,
    SUPPLIER_SHORT,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REAL_NAMES = (MATERIAL, SUPPLIER, SUPPLIER_SHORT, PROCESS, CUSTOMER, PERSON, "NFT社")


@pytest.fixture(scope="module")
def dictionary():
    return docs.dictionary()


@pytest.fixture(scope="module")
def word():
    return docs.word_document()


@pytest.fixture(scope="module")
def excel():
    return docs.excel_workbook()


@pytest.fixture(scope="module")
def powerpoint():
    return docs.powerpoint_presentation()


def parts(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def all_text(data: bytes) -> str:
    """Every XML part's text and attribute values, URL-decoded, nested packages too."""
    from urllib.parse import unquote

    out = []
    for name, content in parts(data).items():
        if name.endswith((".xlsx", ".docx", ".pptx")):
            out.append(all_text(content))
        elif name.endswith((".xml", ".rels", ".vml")):
            root = etree.fromstring(content)
            out.extend(root.itertext())
            out.extend(value for element in root.iter() for value in element.attrib.values())
    return unquote("\n".join(out))


# --- Word -----------------------------------------------------------------------------------


def test_word_terms_are_replaced_everywhere(dictionary, word):
    result = sanitize(word, "評価依頼.docx", dictionary)
    text = all_text(result.data)
    assert [name for name in REAL_NAMES if name in text] == []
    before, after = parts(word), parts(result.data)
    expected_places = {
        "word/document.xml": ["素材A", "条件A", "顧客A", "人物A"],  # runs, deletion, text box
        "word/header1.xml": ["供給元A"],
        "word/footer1.xml": ["条件A"],
        "word/footnotes.xml": ["顧客A"],
        "word/comments.xml": ["供給元A", "人物A"],  # the comment and its author
        "word/_rels/document.xml.rels": ["条件A", "%E4%BE%9B%E7%B5%A6%E5%85%83A"],
        "docProps/core.xml": ["供給元A", "人物A", "素材A", "条件A", "顧客A"],
        "docProps/app.xml": ["供給元A"],
    }
    for part, codenames in expected_places.items():
        content = after[part].decode("utf-8")
        assert all(codename in content for codename in codenames), part
    # Parts without a term are copied byte for byte.
    for name in ("word/styles.xml", "word/settings.xml", "docProps/thumbnail.jpeg"):
        assert after[name] == before[name]
    assert list(after) == list(before)


def test_a_term_split_across_three_formatted_runs_keeps_the_formatting(dictionary, word):
    result = sanitize(word, "a.docx", dictionary)

    def runs(data: bytes) -> list[tuple[str, bytes]]:
        body = etree.fromstring(parts(data)["word/document.xml"])
        paragraph = next(p for p in body.iter(f"{W}p") if "本試作では" in "".join(p.itertext()))
        return [
            (
                "".join(run.itertext()),
                etree.tostring(run.find(f"{W}rPr")) if run.find(f"{W}rPr") is not None else b"",
            )
            for run in paragraph.iter(f"{W}r")
        ]

    original, sanitized = runs(word), runs(result.data)
    assert [text for text, _ in original] == [
        "本試作では",
        "ガドリ",
        "ニウム",
        "錯体",
        "を用いる。",
    ]
    assert [text for text, _ in sanitized] == ["本試作では", "素材A", "", "", "を用いる。"]
    assert [fmt for _, fmt in sanitized] == [fmt for _, fmt in original]
    assert b"<w:b/>" in sanitized[1][1] and b"<w:i/>" in sanitized[2][1]


def test_the_sanitized_word_file_opens_and_reads_right(dictionary, word):
    import docx

    document = docx.Document(io.BytesIO(sanitize(word, "a.docx", dictionary).data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "本試作では素材Aを用いる。"
    assert "条件はとする。" in texts  # the deleted run's text is inside w:del
    assert document.sections[0].header.paragraphs[0].text == "供給元A 御中"
    assert document.core_properties.author == "人物A"
    assert document.core_properties.title == "供給元A向け 評価依頼"


def test_scan_lists_each_place_of_the_input_and_nothing_secret_in_the_output(dictionary, word):
    report = scan(word, "a.docx", dictionary)
    term_parts = {finding.location.part for finding in report.findings if finding.kind == "term"}
    assert term_parts >= {
        "word/document.xml",
        "word/header1.xml",
        "word/footer1.xml",
        "word/footnotes.xml",
        "word/comments.xml",
        "word/_rels/document.xml.rels",
        "docProps/core.xml",
        "docProps/app.xml",
    }
    body = [
        finding.location.describe("en")
        for finding in report.findings
        if finding.kind == "term" and finding.location.part == "word/document.xml"
    ]
    assert "Body · paragraph 1" in body
    links = {
        finding.text
        for finding in report.findings
        if finding.location.part == "word/_rels/document.xml.rels"
    }
    assert links == {PROCESS, SUPPLIER_SHORT}  # the plain and the percent-encoded address
    kinds = {finding.kind for finding in report.findings}
    assert {"comment", "revision", "property", "image"} <= kinds

    cleaned = scan(sanitize(word, "a.docx", dictionary).data, "a.docx", dictionary)
    assert cleaned.secrets == ()
    # What is left to review is structure, no longer a name: the comment and the deletion.
    assert {f.kind for f in cleaned.reviews} == {"comment", "revision", "property", "image"}
    assert all(name not in f.text + f.detail for f in cleaned.findings for name in REAL_NAMES)


# --- Excel ----------------------------------------------------------------------------------


def test_excel_sheet_names_cells_comments_and_properties_are_replaced(dictionary, excel):
    from openpyxl import load_workbook

    result = sanitize(excel, "集計.xlsx", dictionary)
    assert [name for name in REAL_NAMES if name in all_text(result.data)] == []
    workbook = load_workbook(io.BytesIO(result.data))
    assert workbook.sheetnames == ["顧客A向け", "集計", "メモ"]
    sheet = workbook["顧客A向け"]
    assert [sheet[ref].value for ref in ("B1", "B2", "B3", "C1")] == [
        "素材A",
        "供給元A（担当：人物A）",
        "条件A",
        "顧客A 様",  # a shared string split across a bold and an italic run
    ]
    assert sheet["B3"].comment.text == "条件Aは要確認"
    summary = workbook["集計"]
    assert summary["A1"].value == "='顧客A向け'!B1"  # the formula follows the sheet's new name
    assert summary["A2"].value == '=CONCATENATE("供給元A","-",A1)'
    assert workbook.custom_doc_props["取引先"].value == "供給元A"
    strings = parts(result.data)["xl/sharedStrings.xml"].decode()
    assert "<b/>" in strings and "<i/>" in strings  # the runs keep their formatting


def test_excel_scan_reports_hidden_content_and_comments(dictionary, excel):
    report = scan(excel, "a.xlsx", dictionary)
    reviews = {(f.kind, f.text) for f in report.reviews}
    assert ("hidden_sheet", "メモ") in reviews
    assert ("hidden_rows", "4") in reviews
    assert ("hidden_columns", "D") in reviews
    assert ("property", PERSON) in reviews
    assert any(kind == "comment" for kind, _ in reviews)
    places = {f.location.describe("en") for f in report.secrets}
    assert "Cell text · cell ソーラーテック向け!C1" in places
    assert "Workbook (sheet names, names) · sheet “ソーラーテック向け”" in places
    assert scan(sanitize(excel, "a.xlsx", dictionary).data, "a.xlsx", dictionary).secrets == ()


def test_formulas_keep_cell_references_and_follow_renamed_names():
    from openpyxl import Workbook, load_workbook
    from openpyxl.workbook.defined_name import DefinedName

    from mamori.engines.codenames import Category, Dictionary, Term

    workbook = Workbook()
    workbook.active["A1"] = "=PF200*2"  # PF200 is a cell here, not the product
    workbook.active["A2"] = '="PF200の値"'
    workbook.active["A3"] = "=SUM(ナノフィルム単価,B1)"
    workbook.defined_names["ナノフィルム単価"] = DefinedName("ナノフィルム単価", attr_text="1.5")
    buffer = io.BytesIO()
    workbook.save(buffer)
    dictionary = Dictionary(
        [
            Term("PF200", Category.PROCESS, "条件A"),
            Term("ナノフィルム", Category.SUPPLIER, "供給元A"),
        ]
    )
    result = load_workbook(io.BytesIO(sanitize(buffer.getvalue(), "a.xlsx", dictionary).data))
    sheet = result.active
    assert sheet["A1"].value == "=PF200*2"
    assert sheet["A2"].value == '="条件Aの値"'
    assert sheet["A3"].value == "=SUM(供給元A単価,B1)"
    assert list(result.defined_names) == ["供給元A単価"]


# --- PowerPoint ------------------------------------------------------------------------------


def test_powerpoint_slides_notes_and_charts_are_replaced(dictionary, powerpoint):
    from pptx import Presentation

    result = sanitize(powerpoint, "a.pptx", dictionary)
    assert [name for name in REAL_NAMES if name in all_text(result.data)] == []
    slide = Presentation(io.BytesIO(result.data)).slides[0]
    assert slide.shapes.title.text == "素材Aの評価"
    assert slide.notes_slide.notes_text_frame.text == "顧客Aには条件Aの話をしない"
    chart = next(shape.chart for shape in slide.shapes if shape.has_chart)
    assert chart.chart_title.text_frame.text == "条件Aの歩留まり"
    assert list(chart.plots[0].categories) == ["顧客A", "その他"]
    places = {r.location.part for r in result.replacements}
    assert "ppt/notesSlides/notesSlide1.xml" in places
    assert any(part.startswith("ppt/embeddings/") and "sharedStrings" in part for part in places)
    assert scan(result.data, "a.pptx", dictionary).secrets == ()


# --- unsafe and damaged files ----------------------------------------------------------------


def _repacked(data: bytes, changes: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as out:
        for info in source.infolist():
            out.writestr(info.filename, changes.pop(info.filename, source.read(info.filename)))
        for name, content in changes.items():
            out.writestr(name, content)
    return buffer.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""


def _cases(word: bytes) -> dict[str, bytes]:
    return {
        "bomb": _repacked(word, {"word/media/padding.bin": b"\0" * (8 * 1024 * 1024)}),
        "xml_entities": _repacked(word, {"word/document.xml": BILLION_LAUGHS}),
        "encrypted": (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 504
            + "EncryptionInfo".encode("utf-16-le")
            + b"\0" * 1024
        ),
        "corrupt": word[: len(word) // 2],
    }


@pytest.mark.parametrize("code", ["bomb", "xml_entities", "encrypted", "corrupt"])
@pytest.mark.parametrize("operation", [sanitize, scan], ids=["sanitize", "scan"])
def test_unsafe_or_damaged_files_get_a_clear_message(dictionary, word, code, operation):
    with pytest.raises(DocumentError) as error:
        operation(_cases(word)[code], "a.docx", dictionary)
    assert error.value.code == code
    assert str(error.value)  # an English message naming the problem


def test_limits_on_entries_and_unpacked_size(dictionary, word):
    with pytest.raises(DocumentError) as entries:
        sanitize(word, "a.docx", dictionary, limits=Limits(max_entries=5))
    assert entries.value.code == "too_many_entries"
    with pytest.raises(DocumentError) as size:
        sanitize(word, "a.docx", dictionary, limits=Limits(max_unpacked=10_000))
    assert size.value.code == "bomb"


def test_a_damaged_part_is_named(dictionary, word):
    broken = _repacked(word, {"word/footer1.xml": b"<w:ftr><w:p>"})
    with pytest.raises(DocumentError) as error:
        sanitize(broken, "a.docx", dictionary)
    assert error.value.code == "corrupt" and error.value.part == "word/footer1.xml"


@pytest.mark.parametrize("name", ["old.doc", "old.xls", "old.ppt"])
def test_old_binary_office_files_are_refused(dictionary, name):
    with pytest.raises(DocumentError) as error:
        sanitize(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048, name, dictionary)
    assert error.value.code == "legacy"


def test_a_zip_entry_encrypted_in_the_archive_is_refused(dictionary, word):
    data = bytearray(word)
    # Set the "encrypted" flag of the first entry in its local and central headers.
    data[6] |= 0x01
    central = bytes(data).find(b"PK\x01\x02")
    data[central + 8] |= 0x01
    with pytest.raises(DocumentError) as error:
        sanitize(bytes(data), "a.docx", dictionary)
    assert error.value.code == "encrypted"


def test_links_between_the_package_parts_are_never_renamed(word):
    import docx

    from mamori.engines.codenames import Category, Dictionary, Term

    dictionary = Dictionary([Term("settings", Category.OTHER, "項目A")])
    result = sanitize(word, "a.docx", dictionary)
    assert b'Target="settings.xml"' in parts(result.data)["word/_rels/document.xml.rels"]
    docx.Document(io.BytesIO(result.data))  # still a valid package


def test_a_name_among_many_numbers_is_found_and_replaced_and_nothing_else_changes():
    from openpyxl import Workbook

    from mamori.engines.codenames import Category, Dictionary, Term

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "一覧"
    for row in range(1, 301):
        sheet.append([row, f"部材{row}", row * 1.5])
    sheet.append([20260415, "ナノフィルムテック製", 0.25])
    buffer = io.BytesIO()
    workbook.save(buffer)
    dictionary = Dictionary([Term("ナノフィルムテック", Category.SUPPLIER, "供給元A")])

    report = scan(buffer.getvalue(), "a.xlsx", dictionary)
    assert {f.location.ref for f in report.findings if f.kind == "term"} == {"一覧!B301"}
    result = sanitize(buffer.getvalue(), "a.xlsx", dictionary)
    before, after = parts(buffer.getvalue()), parts(result.data)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"xl/worksheets/sheet1.xml"}
    sheet_xml = after["xl/worksheets/sheet1.xml"].decode()
    assert "供給元A製" in sheet_xml and "20260415" in sheet_xml and "ナノフィルム" not in sheet_xml
