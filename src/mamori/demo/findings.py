"""The demo's findings as work: owners, one being worked, one accepted, one resolved.

Managers own the findings about their people (鈴木 大輔 manages 山本 翔太 and 井上: the
leaver's access and the unreviewed transfer are on his dashboard as "my findings"); the
officer owns the rest. 小林's access to the evaluation data ended three days ago while its
extension waits for approval: 佐藤 accepted that risk for two weeks, with her reason; the
secret drawing that had no marking got it and its finding is resolved (behind the list's
status filter); a finding is in progress with a comment.
"""

from __future__ import annotations

import datetime

from mamori.accounts.models import User
from mamori.assets import services as asset_services
from mamori.assets.models import InformationAsset, SecrecyClass
from mamori.core.actor import acting_as
from mamori.findings import services as findings_services
from mamori.findings.models import Finding, FindingStatus
from mamori.people import services as people_services
from mamori.people.models import Person

DOMAIN = "luminous-lab.example"
# Who manages whom (the manager works the findings about the people under them).
MANAGERS = {
    "suzuki": ("yamamoto", "inoue", "kato"),
    "sato": ("suzuki", "takahashi", "nakamura", "kobayashi", "yoshida", "kimura", "hayashi"),
}
# Rules whose first finding the demo works on, in order of preference.
ACCEPTED_RULES = ("assets.grant_expired",)
IN_PROGRESS_RULES = ("contracts.missing_clause", "assets.transfer_not_reviewed")


def _person(key: str) -> Person | None:
    return Person.objects.filter(email=f"{key}@{DOMAIN}").first()


def _first(rules: tuple[str, ...], excluding: set[int]) -> Finding | None:
    for rule in rules:
        found = (
            Finding.objects.filter(rule=rule, status=FindingStatus.OPEN)
            .exclude(pk__in=excluding)
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    return None


def build_findings(users: dict[str, User], today: datetime.date) -> None:
    officer, editor = users["sato"], users["suzuki"]
    with acting_as(officer):
        for manager_key, reports in MANAGERS.items():
            manager = _person(manager_key)
            for key in reports:
                person = _person(key)
                if person is not None and manager is not None:
                    people_services.person_update(person=person, manager=manager)
        # A secret drawing registered without its marking: found, then fixed.
        drawing = asset_services.asset_save(
            name="量産ライン 配置図（旧版）",
            kind="document",
            secrecy_class=None,
            owner=_person("kato"),
            marking="",
            separation="",
        )
        # Access that ended three days ago; its extension is being approved.
        kobayashi = _person("kobayashi")
        data = InformationAsset.objects.filter(secrecy_class__isnull=False).order_by("pk").first()
        if kobayashi is not None and data is not None:
            asset_services.grant_create(
                person=kobayashi,
                asset=data,
                reason="評価データの確認（期間限定）",
                granted_by=officer,
                valid_from=today - datetime.timedelta(days=60),
                valid_until=today - datetime.timedelta(days=3),
            )
        findings_services.findings_refresh()
        asset_services.asset_save(
            asset=drawing, secrecy_class=SecrecyClass.objects.order_by("-rank").first()
        )
        findings_services.findings_refresh()
        asset_services.asset_save(
            asset=drawing, marking="図枠に「社外秘」", separation="製造技術部の共有フォルダ"
        )
        findings_services.findings_refresh()
        worked: set[int] = set()
        accepted = _first(ACCEPTED_RULES, worked)
        if accepted is not None:
            worked.add(accepted.pk)
            findings_services.finding_accept(
                finding=accepted,
                until=today + datetime.timedelta(days=14),
                reason="アクセス期間の延長を決裁中（来週の経営会議）。"
                "それまでは閲覧のみで、持出しがないことをログで確認する。",
                actor=officer,
            )
    in_progress = _first(IN_PROGRESS_RULES, worked)
    if in_progress is not None:
        with acting_as(editor):
            findings_services.finding_status_set(
                finding=in_progress, status=FindingStatus.IN_PROGRESS, actor=editor
            )
            findings_services.finding_comment_add(
                finding=in_progress,
                text="相手方に条項の追加を申し入れ済み。来週中に回答予定です。",
                author=editor,
            )
