"""The demo company's codename dictionary: the raw materials, supplier, process
conditions and customer that its documents must not name when they leave.

ルミナス素材研究所 sends evaluation requests to its customer and to overseas plants with
the coating's ingredients, the supplier of its precursor and the film-forming conditions
replaced by codenames; each term is linked to the information asset it gives away, so
that a sanitized document sent to a counterparty is recorded as a disclosure of it. The
history holds one PDF, a specification sheet sanitized by 鈴木 from the command line.
"""

from __future__ import annotations

import datetime
import io

from mamori.accounts.models import User
from mamori.assets.models import InformationAsset
from mamori.blackbox import services
from mamori.core.actor import acting_as
from mamori.engines import codenames as engine

# (term, category, other spellings, linked information assets)
TERMS = (
    ("ポリシラザンPSZ-20", "material", ("PSZ-20", "PSZ20"), ("コーティング配合表 第3版",)),
    ("フッ素樹脂FR-300", "material", ("FR-300",), ("コーティング配合表 第3版",)),
    ("ヨウ化鉛前駆体LP-5", "material", ("LP-5",), ("材料評価レポート",)),
    ("東日本ケミカル株式会社", "supplier", ("東日本ケミカル", "EJC"), ("原料調達先リスト",)),
    ("成膜温度120℃", "process", ("120℃×30分", "低温成膜120℃"), ("成膜条件シート",)),
    ("UV硬化365nm", "process", ("365nm照射",), ("成膜条件シート",)),
    ("株式会社ソーラーテック", "customer", ("ソーラーテック社",), ()),
)


SPECIFICATION = (
    "評価用サンプル仕様書（耐候性コーティング）",
    "1. 主剤：ポリシラザンPSZ-20（東日本ケミカル株式会社より調達）",
    "2. 添加剤：フッ素樹脂FR-300 を 3 wt% 配合",
    "3. 成膜：成膜温度120℃ で 30 分、UV硬化365nm で仕上げ",
    "4. 評価項目：透過率、密着性、耐湿熱（85℃/85%RH、1000 h）",
)


def build_blackbox(users: dict[str, User], today: datetime.date) -> None:
    """Create the codename dictionary as the officer would, and sanitize one PDF."""
    assets = {asset.name: asset for asset in InformationAsset.objects.all()}
    with acting_as(users["sato"]):
        for text, category, variants, linked in TERMS:
            services.term_save(
                text=text,
                category=category,
                variants=variants,
                assets=[assets[name] for name in linked if name in assets],
            )
    with acting_as(users["suzuki"]):
        data = specification_pdf()
        dictionary = services.compiled_dictionary()
        result = services.run_engine(data, "評価用サンプル仕様書.pdf", dictionary)
        services.sanitization_record(
            user=users["suzuki"],
            file_name="評価用サンプル仕様書.pdf",
            output_name=services.sanitized_name("評価用サンプル仕様書.pdf", dictionary),
            data=data,
            result=result,
            report=engine.scan(result.data, "out.pdf", dictionary),
            purpose="評価依頼の準備",
        )


def specification_pdf() -> bytes:
    """Return the demo's specification sheet as a one-page PDF with a text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from mamori.reports.fonts import register_font

    font = register_font()
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4, invariant=True)
    sheet.setTitle("評価用サンプル仕様書")
    sheet.setAuthor("ルミナス素材研究所")
    y = A4[1] - 80
    for number, line in enumerate(SPECIFICATION):
        sheet.setFont(font, 16 if number == 0 else 11)
        sheet.drawString(60, y, line)
        y -= 32 if number == 0 else 22
    sheet.showPage()
    sheet.save()
    return out.getvalue()
