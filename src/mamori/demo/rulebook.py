"""The demo's information-management rules: 情報管理規程 (第2版 in force for a month, read
and acknowledged by everyone) and the new 情報機器・ソフトウェア利用細則 (in force since a
few days ago, so some have not acknowledged it yet: the officer sees who on its page;
no finding until mamori's 14 days have passed)."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.accounts.models import User
from mamori.core.actor import acting_as
from mamori.rulebook import selectors
from mamori.rulebook import services as rule_services

RULES_V1 = """第1条（目的）本規程は、当社の秘密情報の取扱いを定める。
第2条（秘密区分）秘密情報は、極秘・秘・社外秘に区分し、表示する。
第3条（アクセス）秘密情報には、業務上必要な者だけがアクセスできる。"""

RULES_V2 = (
    RULES_V1
    + """
第4条（持出し）極秘情報の社外への持出し・送付は、責任者の承認を得る。
第5条（副業・兼業）副業・兼業は事前に届け出て、会社の確認を受ける。
第6条（退職時）退職時は、秘密情報と貸与物を返却し、誓約書を提出する。"""
)

DEVICE_RULES = """情報機器・ソフトウェア利用細則（第1版）
1. 業務には会社が貸与した端末だけを使う。私物端末での業務データの保存は禁止する。
2. クラウドストレージ・チャットは、会社が承認したサービスだけを使う。
3. USBメモリ等の外部記憶媒体は、申請・承認のうえ会社支給品だけを使う。
4. 生成AIサービスに秘密情報（配合・成膜条件・顧客名等）を入力しない。
5. ソフトウェアのインストールは、情報システム担当の承認を得る。
"""


def build_rulebook(users: dict[str, User], today: datetime.date) -> None:
    officer = users["sato"]
    days = datetime.timedelta
    with acting_as(officer):
        rules = rule_services.rule_document_save(
            user=officer,
            title="情報管理規程",
            covers="秘密情報の区分・表示・アクセス・持出し、副業・兼業、退職時の手続。",
        )
        rule_services.rule_version_publish(
            document=rules,
            user=officer,
            label="第1版",
            effective_from=datetime.date(2024, 4, 1),
            text=RULES_V1,
        )
        current = rule_services.rule_version_publish(
            document=rules,
            user=officer,
            label="第2版",
            effective_from=today - days(30),
            text=RULES_V2,
            changes="持出しの承認、副業・兼業の届出、退職時の手続を追加。",
        )
        devices = rule_services.rule_document_save(
            user=officer,
            title="情報機器・ソフトウェア利用細則",
            covers="業務で利用するデバイス・ソフトウェア・クラウドサービスの利用方法。",
        )
        new = rule_services.rule_version_publish(
            document=devices,
            user=officer,
            label="第1版",
            effective_from=today - days(5),
            upload=SimpleUploadedFile(
                "情報機器・ソフトウェア利用細則_第1版.txt", DEVICE_RULES.encode("utf-8")
            ),
            changes="新規制定。",
        )
    people = list(selectors.people_in_service().select_related("user").order_by("pk"))
    for index, person in enumerate(people):
        user = person.user or officer
        with acting_as(user):
            rule_services.rule_acknowledge(
                version=current,
                person=person,
                user=user,
                acknowledged_on=today - days(29 - index % 10),
            )
            if index % 3 == 0:  # a third have read the new device rules already
                rule_services.rule_acknowledge(
                    version=new, person=person, user=user, acknowledged_on=today - days(2)
                )
