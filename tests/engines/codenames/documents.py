"""Office documents built by the tests, with dictionary terms in every place Office keeps
text: python-docx / openpyxl / python-pptx where they can, XML written directly where
they cannot (footnotes, tracked deletions, text boxes, application properties)."""

from __future__ import annotations

import io
import re
import zipfile

from mamori.engines.codenames import Category, Dictionary, Term

MATERIAL = "ガドリニウム錯体"
SUPPLIER = "株式会社ナノフィルムテック"
SUPPLIER_SHORT = "ナノフィルムテック"
PROCESS = "PF-200"
CUSTOMER = "ソーラーテック"
PERSON = "山本翔太"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def dictionary() -> Dictionary:
    return Dictionary(
        [
            Term(MATERIAL, Category.MATERIAL, "素材A"),
            Term(SUPPLIER, Category.SUPPLIER, "供給元A", ("NFT社",)),
            Term(PROCESS, Category.PROCESS, "条件A"),
            Term(CUSTOMER, Category.CUSTOMER, "顧客A"),
            Term(PERSON, Category.PERSON, "人物A", ("山本 翔太",)),
        ]
    )


def _rewrite_zip(data: bytes, changes: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, changes.pop(info.filename, None) or source.read(info.filename))
        for name, content in changes.items():
            out.writestr(name, content)
    return buffer.getvalue()


FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="{W_NS}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>
</w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>
</w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">出典：{CUSTOMER}の評価報告</w:t>
</w:r></w:p></w:footnote>
</w:footnotes>"""


def word_document() -> bytes:
    """A Word file with terms in: three differently formatted runs, a header, a footer,
    a footnote, a comment, a tracked deletion, a text box, a hyperlink target and the
    document properties."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.shared import RGBColor

    document = docx.Document()
    document.core_properties.title = f"{SUPPLIER}向け 評価依頼"
    document.core_properties.author = PERSON
    document.core_properties.keywords = f"{MATERIAL}, {PROCESS}"
    document.core_properties.comments = f"{CUSTOMER}の案件"
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{SUPPLIER} 御中"
    section.footer.paragraphs[0].text = f"{PROCESS} 試作"

    split = document.add_paragraph("本試作では")
    first = split.add_run("ガドリ")
    first.bold = True
    second = split.add_run("ニウム")
    second.italic = True
    third = split.add_run("錯体")
    third.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    split.add_run("を用いる。")

    commented = document.add_paragraph("調達先は別途ご相談ください。")
    document.add_comment(commented.runs, text=f"{SUPPLIER_SHORT}に確認済み", author=PERSON)

    deleted = document.add_paragraph("条件は")
    deleted._p.append(
        parse_xml(
            f'<w:del xmlns:w="{W_NS}" w:id="90" w:author="{PERSON}" '
            f'w:date="2026-01-05T00:00:00Z"><w:r><w:delText>{PROCESS}</w:delText></w:r></w:del>'
        )
    )
    deleted.add_run("とする。")

    boxed = document.add_paragraph()
    boxed._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml">'
            '<w:pict><v:shape id="box1" style="width:200pt;height:40pt">'
            f"<v:textbox><w:txbxContent><w:p><w:r><w:t>{CUSTOMER}向け</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )
    )

    linked = document.add_paragraph("仕様書：")
    plain = document.part.relate_to(
        "https://files.example.com/PF-200/spec.pdf", RT.HYPERLINK, is_external=True
    )
    encoded = document.part.relate_to(
        "https://files.example.com/%E3%83%8A%E3%83%8E%E3%83%95%E3%82%A3%E3%83%AB%E3%83%A0"
        "%E3%83%86%E3%83%83%E3%82%AF/",
        RT.HYPERLINK,
        is_external=True,
    )
    for rel in (plain, encoded):
        linked._p.append(
            parse_xml(
                f'<w:hyperlink xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/'
                f'officeDocument/2006/relationships" r:id="{rel}"><w:r><w:t>リンク</w:t></w:r>'
                "</w:hyperlink>"
            )
        )

    noted = document.add_paragraph("評価結果")
    footnotes = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        FOOTNOTES.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(footnotes, RT.FOOTNOTES)
    noted._p.append(
        parse_xml(
            f'<w:r xmlns:w="{W_NS}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            '<w:footnoteReference w:id="1"/></w:r>'
        )
    )
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    app = zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml").decode("utf-8")
    app = re.sub(r"</Properties>\s*$", f"<Company>{SUPPLIER}</Company></Properties>", app)
    return _rewrite_zip(data, {"docProps/app.xml": app.encode("utf-8")})


def excel_workbook() -> bytes:
    """An Excel file with terms in: a sheet name (and a formula that refers to it), cells
    (shared strings), a comment, a hidden sheet, hidden rows and columns, custom
    properties."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.packaging.custom import StringProperty

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{CUSTOMER}向け"
    sheet["A1"] = "原料"
    sheet["B1"] = MATERIAL
    sheet["A2"] = "調達先"
    sheet["B2"] = f"{SUPPLIER}（担当：{PERSON}）"
    sheet["A3"] = "工程"
    sheet["B3"] = PROCESS
    sheet["B3"].comment = Comment(f"{PROCESS}は要確認", PERSON)
    sheet.row_dimensions[4].hidden = True
    sheet["A4"] = "非表示の行"
    sheet.column_dimensions["D"].hidden = True
    summary = workbook.create_sheet("集計")
    summary["A1"] = f"='{CUSTOMER}向け'!B1"
    summary["A2"] = '=CONCATENATE("NFT社","-",A1)'
    hidden = workbook.create_sheet("メモ")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "社内メモ"
    workbook.custom_doc_props.append(StringProperty(name="取引先", value=SUPPLIER))
    workbook.properties.creator = PERSON
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _with_shared_string(buffer.getvalue())


S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{S_NS}" count="1" uniqueCount="1"><si><r><rPr><b/><sz val="11"/></rPr>
<t>ソーラー</t></r><r><rPr><i/><sz val="11"/></rPr><t xml:space="preserve">テック 様</t></r>
</si></sst>"""


def _with_shared_string(data: bytes) -> bytes:
    """Add a shared string (rich text: the customer's name split across a bold and an
    italic run) shown in C1 of the first sheet; openpyxl itself writes inline strings."""
    source = zipfile.ZipFile(io.BytesIO(data))
    types = source.read("[Content_Types].xml").decode()
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = source.read("xl/_rels/workbook.xml.rels").decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    sheet = source.read("xl/worksheets/sheet1.xml").decode()
    sheet = re.sub(r'(<c r="B1"[^>]*>.*?</c>)', r'\1<c r="C1" t="s"><v>0</v></c>', sheet, count=1)
    return _rewrite_zip(
        data,
        {
            "[Content_Types].xml": types.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "xl/worksheets/sheet1.xml": sheet.encode(),
            "xl/sharedStrings.xml": SHARED_STRINGS.encode(),
        },
    )


def powerpoint_presentation() -> bytes:
    """A PowerPoint file with terms in: a title, a text box, speaker notes and a chart
    title (with a category name)."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = f"{MATERIAL}の評価"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
    box.text_frame.text = f"供給：{SUPPLIER}"
    slide.notes_slide.notes_text_frame.text = f"{CUSTOMER}には{PROCESS}の話をしない"
    data = CategoryChartData()
    data.categories = [CUSTOMER, "その他"]
    data.add_series("比率", (0.6, 0.4))
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(3), Inches(6), Inches(3), data
    )
    chart = frame.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = f"{PROCESS}の歩留まり"
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()
