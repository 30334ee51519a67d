"""The demo company's codename dictionary: the raw materials, supplier, process
conditions and customer that its documents must not name when they leave.

ルミナス素材研究所 sends evaluation requests to its customer and to overseas plants with
the coating's ingredients, the supplier of its precursor and the film-forming conditions
replaced by codenames; each term is linked to the information asset it gives away, so
that a sanitized document sent to a counterparty is recorded as a disclosure of it.
"""

from __future__ import annotations

import datetime

from mamori.accounts.models import User
from mamori.assets.models import InformationAsset
from mamori.blackbox import services
from mamori.core.actor import acting_as

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


def build_blackbox(users: dict[str, User], today: datetime.date) -> None:
    """Create the codename dictionary as the officer would."""
    assets = {asset.name: asset for asset in InformationAsset.objects.all()}
    with acting_as(users["sato"]):
        for text, category, variants, linked in TERMS:
            services.term_save(
                text=text,
                category=category,
                variants=variants,
                assets=[assets[name] for name in linked if name in assets],
            )
