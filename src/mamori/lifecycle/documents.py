"""The exit pledge (退職時の秘密保持誓約書) as a Word document, in formal Japanese.

The handbook asks that a leaver's pledge name the information concretely; the document
lists every information asset recorded on the pledge when it was drawn up, with its
secrecy class, so that the leaver signs for specific secrets rather than "all secrets".
The text is Japanese whatever the user's language: it is signed by the leaver.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from mamori.people.models import Pledge

FONT = "游明朝"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "秘密保持誓約書（退職時）"
NO_COMPANY = "（会社名）"

LEAD = (
    "私は、このたび貴社を退職するにあたり、在職中に知り得た貴社の秘密情報の取扱いについて、"
    "下記の事項を遵守することを誓約いたします。"
)
ARTICLE_1 = (
    "第1条（秘密情報の確認）",
    "私は、在職中、次に掲げる貴社の秘密情報（以下「本秘密情報」といいます。）に接し、"
    "又はこれを取得したことを確認いたします。",
)
NO_ASSETS = "（本誓約書の作成時点で、アクセス権の記録がある情報資産はありません。）"
ARTICLES = (
    (
        "第2条（秘密保持）",
        "私は、本秘密情報その他在職中に知り得た貴社の技術上又は営業上の秘密情報を、退職後に"
        "おいても、貴社の事前の書面による承諾なく、第三者に開示し、若しくは漏えいし、又は自己"
        "若しくは第三者のために使用いたしません。",
    ),
    (
        "第3条（資料等の返還）",
        "私は、本秘密情報が記載又は記録された文書、図面、電子データ、記録媒体、試料その他一切の"
        "資料、並びに貴社から貸与された機器等を、退職日までに貴社にすべて返還いたします。",
    ),
    (
        "第4条（複製物の不保持）",
        "私は、本秘密情報の複製物（電子データの複製を含みます。）を、私物の端末、記録媒体、"
        "外部のクラウドサービスその他いかなる方法によっても保有しておらず、今後も作成いたしません。",
    ),
    (
        "第5条（退職後の義務の存続）",
        "本誓約書に基づく私の義務は、退職後も存続するものといたします。ただし、本秘密情報が"
        "私の責めによらずに公知となったときは、この限りではありません。",
    ),
    (
        "第6条（違反した場合の責任）",
        "私は、本誓約書に違反した場合には、不正競争防止法その他の法令に基づく責任を負うことが"
        "あることを理解し、これにより貴社に生じた損害を賠償いたします。",
    ),
)


def _set_font(run_or_style, size: float | None = None, bold: bool = False) -> None:
    font = run_or_style.font
    font.name = FONT
    if size:
        font.size = Pt(size)
    font.bold = bold or None
    # Word picks the East Asian font from its own attribute, not from ``font.name``.
    element = run_or_style.element
    r_pr = element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    r_fonts.set(qn("w:eastAsia"), FONT)


def _paragraph(document, text: str = "", *, align=None, size: float | None = None, bold=False):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        _set_font(paragraph.add_run(text), size=size, bold=bold)
    return paragraph


def _asset_table(document, assets: Sequence[dict]) -> None:
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("番号", "情報資産の名称", "秘密区分"), strict=True):
        cell.text = ""
        _set_font(cell.paragraphs[0].add_run(text), bold=True)
    for number, asset in enumerate(assets, start=1):
        cells = table.add_row().cells
        values = (str(number), str(asset.get("name", "")), str(asset.get("secrecy_class") or "—"))
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _set_font(cell.paragraphs[0].add_run(text))
    widths = (Mm(15), Mm(115), Mm(30))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def exit_pledge_document(*, pledge: Pledge, company_name: str) -> bytes:
    """Return the exit pledge as a .docx file (A4, formal Japanese), ready to print and sign."""
    person = pledge.person
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(20)
    _set_font(document.styles["Normal"], size=10.5)

    properties = document.core_properties
    properties.title = f"{TITLE} {person.name}"
    properties.author = company_name or "mamori"
    properties.subject = TITLE

    _paragraph(document, TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, size=16, bold=True)
    _paragraph(document, f"{company_name or NO_COMPANY}　御中", size=12)
    _paragraph(document, LEAD)
    _paragraph(document, "記", align=WD_ALIGN_PARAGRAPH.CENTER)

    heading, body = ARTICLE_1
    _paragraph(document, heading, bold=True)
    _paragraph(document, body)
    if pledge.listed_assets:
        _asset_table(document, pledge.listed_assets)
    else:
        _paragraph(document, NO_ASSETS)
    for heading, body in ARTICLES:
        _paragraph(document, heading, bold=True)
        _paragraph(document, body)
    _paragraph(document, "以上", align=WD_ALIGN_PARAGRAPH.RIGHT)

    _paragraph(document)
    _paragraph(document, "　　　　年　　　月　　　日", align=WD_ALIGN_PARAGRAPH.RIGHT)
    if person.department_id:
        _paragraph(document, f"所属：{person.department.name}")
    if person.employee_number:
        _paragraph(document, f"社員番号：{person.employee_number}")
    _paragraph(document, "住所：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿")
    _paragraph(document, f"氏名：{person.name}")
    _paragraph(document, "署名：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿　㊞")
    _paragraph(document)
    _paragraph(
        document,
        f"（作成日：{pledge.requested_on:%Y年%m月%d日}　管理番号：{pledge.pk}）",
        size=8,
    )

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def exit_pledge_filename(pledge: Pledge) -> str:
    """Return the download's file name (characters that file systems refuse replaced)."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", pledge.person.name).strip("_") or str(pledge.person_id)
    return f"退職時誓約書_{name}_{pledge.requested_on:%Y%m%d}.docx"
