"""The demo's incident and concern reports.

The departure watch flagged 山本 翔太's USB copies; the officer opened an incident two days
ago, secured his PC and the USB stick the next morning (so no finding: contained within
the company's 3 days), preserved the USB log with its digest and asked INPIT's trade-secret
desk for advice; the response is still to be decided. 高橋 由美 (employee) reported from My
Page that a headhunter asked her for engineers who know the film-forming conditions; it
waits in the officer's queue.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.accounts.models import User
from mamori.assets.models import InformationAsset
from mamori.core.actor import acting_as
from mamori.incidents import services
from mamori.incidents.models import ConcernKind, ContainmentKind, IncidentKind
from mamori.people.models import Person

DOMAIN = "luminous-lab.example"
INPIT = "urn:mamori:contact:inpit"
USB_LOG = """\
日時,端末,利用者,操作,ファイル
(抜粋) 退職申出の前の週の夕方、成膜条件・配合表のフォルダから USB メモリへ 60 件のコピー
"""


def build_incidents(users: dict[str, User], today: datetime.date) -> None:
    officer, employee = users["sato"], users["takahashi"]
    days = datetime.timedelta
    yamamoto = Person.objects.get(email=f"yamamoto@{DOMAIN}")
    assets = InformationAsset.objects.filter(
        name__in=["成膜条件シート", "コーティング配合表 第3版"]
    )
    with acting_as(officer):
        incident = services.incident_save(
            title="退職予定者による極秘資料のUSBメモリへのコピーの疑い",
            kind=IncidentKind.SUSPECTED_LEAK,
            description=(
                "退職者モニタリングで、山本さんが退職申出の前の週に成膜条件と配合表の"
                "フォルダから USB メモリへ大量にコピーしていたことが分かった。"
                "業務上の必要は確認できていない。"
            ),
            found_on=today - days(2),
            found_by="佐藤 美咲（退職者モニタリング）",
            handled_by="佐藤 美咲",
            persons=[yamamoto],
            assets=list(assets),
        )
        services.containment_record(
            incident=incident,
            kind=ContainmentKind.DEVICES_SECURED,
            done_on=today - days(1),
            done_by="鈴木 大輔",
            note="業務PCとUSBメモリを本人立会いのもとで回収し、保管庫で保全。",
        )
        services.incident_evidence_add(
            incident=incident,
            upload=SimpleUploadedFile("USB操作ログ_抜粋.csv", USB_LOG.encode("utf-8")),
            title="USB操作ログ（抜粋）",
            preserved_on=today - days(1),
            preserved_by="鈴木 大輔",
        )
        services.consultation_record(
            incident=incident,
            contact_id=INPIT,
            consulted_on=today - days(1),
            consulted_by="佐藤 美咲",
            advice="証拠の保全を優先し、本人への聞取りは記録を残して行うよう助言を受けた。",
        )
    with acting_as(employee):
        services.concern_report(
            reported_by=employee,
            kind=ConcernKind.RECRUITER_OR_INVESTOR,
            occurred_on=today - days(2),
            who="人材紹介会社のコンサルタントを名乗る人物（SNS経由）",
            description="成膜条件を担当している技術者を紹介してほしい、条件次第で高待遇を約束すると言われた。",
        )
