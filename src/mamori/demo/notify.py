"""The demo's e-mail digest: something waiting for the employee, a date coming due.

高橋 由美 was asked yesterday to sign the pledge for the flexible-sealing joint research,
and the contractor 吉田 陽介 may read her evaluation protocol only until his analysis
contract ends in ten days — so `mamori notify` has something to tell her, besides what it
tells the officer and the row owners.
"""

from __future__ import annotations

import datetime

from mamori.accounts.models import User
from mamori.assets import services as asset_services
from mamori.assets.models import InformationAsset
from mamori.core.actor import acting_as
from mamori.people import services as people_services
from mamori.people.models import Person, PledgeKind

DOMAIN = "luminous-lab.example"


def build_notify(users: dict[str, User], today: datetime.date) -> None:
    officer = users["sato"]
    takahashi = Person.objects.get(email=f"takahashi@{DOMAIN}")
    yoshida = Person.objects.get(email=f"yoshida@{DOMAIN}")
    protocol = InformationAsset.objects.get(name="共同研究 評価プロトコル")
    with acting_as(officer):
        people_services.pledge_request(
            person=takahashi,
            kind=PledgeKind.PROJECT,
            title="共同研究（フレキシブル基板封止）参加に関する秘密保持誓約書",
            requested_on=today - datetime.timedelta(days=1),
            text="共同研究で知り得た当社及び共同研究先の秘密情報を、研究目的以外に使用せず、"
            "第三者に開示しないことを誓約します。",
        )
        asset_services.grant_create(
            person=yoshida,
            asset=protocol,
            reason="評価データの解析を委託（委託契約の期間中のみ）",
            granted_by=officer,
            valid_from=today - datetime.timedelta(days=20),
            valid_until=today + datetime.timedelta(days=10),
        )
    # 鈴木 (an editor) asks for 中村's access to a 極秘 report: it waits for its owner, the
    # officer, on /approvals/ and in her digest.
    editor = users["suzuki"]
    nakamura = Person.objects.get(email=f"nakamura@{DOMAIN}")
    report = InformationAsset.objects.get(name="材料評価レポート")
    with acting_as(editor):
        asset_services.grant_give(
            person=nakamura,
            asset=report,
            reason="封止材の選定を引き継ぐため",
            granted_by=editor,
            valid_from=today,
            valid_until=today + datetime.timedelta(days=90),
        )
