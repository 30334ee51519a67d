"""The demo's officer appointment and security posture.

佐藤 美咲 (CTO) was appointed officer sixty days ago and the board reviewed it the same
week. Three areas of the security posture are recorded (access rights, physical security,
the security person); cyber defence is not yet, which the later stage's row points out.
"""

from __future__ import annotations

import datetime

from mamori.governance import services
from mamori.governance.models import PostureArea
from mamori.people.models import Person

DOMAIN = "luminous-lab.example"


def build_governance(today: datetime.date) -> None:
    """Record the appointment and the posture (called as the officer, after the people)."""
    days = datetime.timedelta
    sato = Person.objects.get(email=f"sato@{DOMAIN}")
    suzuki = Person.objects.get(email=f"suzuki@{DOMAIN}")
    services.appointment_save(
        person=sato,
        appointed_on=today - days(60),
        mandate=(
            "取締役CTOとして技術流出対策を部署横断で統括する。重点技術の特定・評価、営業秘密管理、"
            "アクセス権限の見直し、取引先への情報提供の管理を決定し、四半期ごとに取締役会へ報告する。"
        ),
        reviewed_on=today - days(56),
        reviewed_by="取締役会（第12回）",
    )
    for area, measures, owner in (
        (
            PostureArea.ACCESS_RIGHTS,
            "極秘・社外秘の情報資産へのアクセスは所有者の承認で付与し、四半期ごとに棚卸しする。",
            suzuki,
        ),
        (
            PostureArea.PHYSICAL,
            "研究棟はICカードで入退室を管理し、試料・図面の保管庫は施錠して鍵の貸出しを記録する。",
            suzuki,
        ),
        (
            PostureArea.SECURITY_PERSON,
            "鈴木 大輔をセキュリティ担当者とし、インシデント時の初動と社内への周知を担う。",
            sato,
        ),
    ):
        measure = services.posture_measure_save(area=area, measures=measures, owner=owner)
        services.posture_review_record(
            measure=measure,
            reviewed_on=today - days(30),
            reviewed_by="佐藤 美咲",
            result="運用どおり。変更なし。",
        )
