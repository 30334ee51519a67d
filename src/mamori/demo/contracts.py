"""The demo company's contract check: the draft NDA its customer sent, checked before
signing, so that the result page shows what is missing and weak and offers the
negotiation draft (the Word file with the missing clauses as tracked changes).

株式会社ソーラーテック sent its own NDA for the coating evaluation: it has no ban on reverse
engineering and no limit on copies, and the confidentiality duty is only an effort duty.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.accounts.models import User
from mamori.contracts import checker
from mamori.core.actor import acting_as

FILE_NAME = "ソーラーテック提示_秘密保持契約書（案）.docx"
TITLE = "秘密保持契約書（案）"
PREAMBLE = (
    "株式会社ルミナス素材研究所（以下「甲」という。）と株式会社ソーラーテック（以下「乙」という。）は、"
    "甲の開発する低温成膜コーティングの評価（以下「本目的」という。）のために甲が乙に開示する情報の"
    "取扱いについて、次のとおり契約を締結する。"
)
ARTICLES = (
    (
        "第1条（秘密情報）",
        [
            "本契約において「秘密情報」とは、本目的のために甲が乙に開示する技術上又は営業上の情報で"
            "あって、秘密である旨が表示されたものをいう。ただし、次の各号のいずれかに該当するものを除く。",
            "（1）開示の時点で既に公知であったもの",
            "（2）開示後に乙の責めによらずに公知となったもの",
            "（3）開示の時点で既に乙が保有していたもの",
        ],
    ),
    (
        "第2条（秘密保持）",
        [
            "乙は、秘密情報を秘密として保持するよう努めるものとし、甲の事前の書面による承諾を得ることなく、"
            "秘密情報を第三者に開示し、又は漏えいしてはならない。",
            "2　乙は、本目的のために秘密情報を知る必要のある自己の役員及び従業員に限り"
            "秘密情報を開示することができる。この場合、乙は、当該役員及び従業員に対し、退職後も含め本契約と同等の義務を"
            "負わせるものとする。",
        ],
    ),
    ("第3条（目的外使用の禁止）", ["乙は、秘密情報を本目的以外の目的に使用してはならない。"]),
    (
        "第4条（返還及び破棄）",
        [
            "乙は、本契約が終了したとき、又は甲の請求があったときは、甲の指示に従い、秘密情報及び"
            "その複製物を速やかに返還又は破棄しなければならない。"
        ],
    ),
    (
        "第5条（損害賠償）",
        [
            "乙が本契約に違反したときは、乙は甲に生じた損害を賠償しなければならない。また、甲は、"
            "乙の違反行為の差止めを請求することができる。"
        ],
    ),
    (
        "第6条（有効期間）",
        [
            "本契約の有効期間は、本契約締結日から2年間とする。ただし、第2条から第5条までの規定は、"
            "本契約終了後も5年間有効に存続する。"
        ],
    ),
    (
        "第7条（協議）",
        [
            "本契約に定めのない事項又は本契約の解釈に疑義が生じた事項については、甲乙誠実に協議の上"
            "解決する。"
        ],
    ),
    (
        "第8条（合意管轄）",
        ["本契約に関する紛争については、東京地方裁判所を第一審の専属的合意管轄裁判所とする。"],
    ),
)
SIGNATURE = (
    "本契約締結の証として、本書2通を作成し、甲乙記名押印の上、各1通を保有する。",
    "年　　月　　日",
    "甲　株式会社ルミナス素材研究所",
    "乙　株式会社ソーラーテック",
)


def demo_nda_docx() -> bytes:
    """Return the customer's draft NDA as a Word file (typed article numbers, 甲 and 乙)."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "MS Mincho"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "MS Mincho")
    document.add_heading(TITLE, level=1)
    document.add_paragraph(PREAMBLE)
    for heading, paragraphs in ARTICLES:
        document.add_paragraph(heading).runs[0].bold = True
        for text in paragraphs:
            document.add_paragraph(text)
    for text in SIGNATURE:
        document.add_paragraph(text)
    document.core_properties.author = "株式会社ソーラーテック"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_contract_check(users: dict[str, User], today: datetime.date) -> None:
    """Check the customer's draft NDA as the editor would, from the tools page."""
    editor = users["suzuki"]
    upload = SimpleUploadedFile(FILE_NAME, demo_nda_docx())
    with acting_as(editor):
        checker.contract_check_file(upload=upload, user=editor, kind="nda")
