"""What goes into whose digest: owners, the officer, need-to-know, and the due sources."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mamori.accounts.roles import Role
from mamori.assessment.models import ChecklistAnswer
from mamori.assets import services as asset_services
from mamori.assets.models import SecrecyClass
from mamori.findings.services import findings_refresh
from mamori.notify.digest import digest_build
from mamori.notify.selectors import digest_collect
from mamori.notify.services import digests_send
from mamori.partners.models import Counterparty, DueDiligence
from mamori.people import services as people_services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAYS = datetime.timedelta


def _titles(user, key: str) -> list[str]:
    digest = digest_build(user, digest_collect())
    return [item.title for item in digest.items(key)]


def _unmarked_secret(owner_user, name: str = "焼成条件表"):
    # Joined today: their own trainings and declarations are not due yet.
    person = people_services.person_create(name="担当者", user=owner_user, joined_on=TODAY)
    # No marking and no separation: secrets.secret_without_marking fires on it.
    return asset_services.asset_save(
        name=name,
        kind="document",
        secrecy_class=SecrecyClass.objects.get(rank=1),
        owner=person,
    )


def test_the_owner_of_an_asset_gets_its_findings_with_message_and_fix(editor):
    _unmarked_secret(editor)
    digest = digest_build(editor, digest_collect())
    items = digest.items("findings")
    assert [item.title for item in items] == ["秘密であることの表示・区分がない"]
    assert "焼成条件表" in items[0].detail and items[0].fix
    assert "/assets/" in items[0].url


def test_an_employee_owner_gets_the_title_and_their_object_not_the_message(employee):
    _unmarked_secret(employee, "試験手順書")
    item = digest_build(employee, digest_collect()).items("findings")[0]
    assert item.title == "秘密であることの表示・区分がない"
    assert item.detail == "試験手順書"  # the object's name, not the rule's message
    assert item.url.endswith("/people/me/")  # the register is not theirs to open


def test_an_officer_sees_everything_and_is_not_told_twice(officer, editor):
    _unmarked_secret(editor)
    digest = digest_build(officer, digest_collect())
    assert digest.summary is not None and digest.summary.open_total >= 1
    assert "秘密であることの表示・区分がない" in [i.title for i in digest.items("top")]
    assert digest.items("findings") == ()  # already in the top list


def test_nobody_with_nothing_to_say(auditor):
    assert digest_build(auditor, digest_collect()).is_empty


def test_checklist_rows_go_to_their_owner_and_unowned_ones_to_the_officer(officer, editor):
    ChecklistAnswer.objects.create(
        row_id="urn:mamori:row:people:access-control",
        status="in_progress",
        owner=editor,
        due_date=TODAY + DAYS(3),
    )
    ChecklistAnswer.objects.create(
        row_id="urn:mamori:row:common:organisation", status="not_started", due_date=TODAY
    )
    ChecklistAnswer.objects.create(
        row_id="urn:mamori:row:people:information-rules",
        status="done",
        owner=editor,
        due_date=TODAY,
    )
    # Nothing in the registers supports the "done" row: it needs review (要再確認) and is
    # due again, for its owner.
    assert _titles(editor, "due") == [
        "情報管理に関するルールを整備し、運用する",
        "重要な情報へのアクセスコントロールを実施する",
    ]
    officer_due = _titles(officer, "due")
    assert "重要な情報へのアクセスコントロールを実施する" not in officer_due
    assert len(officer_due) == 1  # the unowned row; the others are their owner's


def test_a_row_of_an_inactive_owner_goes_to_the_officer(officer, editor):
    ChecklistAnswer.objects.create(
        row_id="urn:mamori:row:people:access-control",
        status="in_progress",
        owner=editor,
        due_date=TODAY + DAYS(1),
    )
    editor.is_active = False
    editor.save()
    assert _titles(officer, "due") == ["重要な情報へのアクセスコントロールを実施する"]


def test_only_the_newest_due_diligence_counts(officer):
    partner = Counterparty.objects.create(name="株式会社テスト材料", kind="supplier")
    DueDiligence.objects.create(
        counterparty=partner,
        questionnaire="q",
        performed_on=TODAY - DAYS(700),
        performed_by="x",
        valid_until=TODAY + DAYS(5),
    )
    assert _titles(officer, "due") == ["株式会社テスト材料"]
    DueDiligence.objects.create(
        counterparty=partner,
        questionnaire="q",
        performed_on=TODAY - DAYS(10),
        performed_by="x",
        valid_until=TODAY + DAYS(355),
    )
    assert _titles(officer, "due") == []


def test_dates_beyond_the_horizon_or_past_stay_out(officer):
    partner = Counterparty.objects.create(name="株式会社遠い先", kind="supplier")
    for days in (-1, 15):
        DueDiligence.objects.create(
            counterparty=Counterparty.objects.create(name=f"先{days}", kind="supplier"),
            questionnaire="q",
            performed_on=TODAY - DAYS(300),
            performed_by="x",
            valid_until=TODAY + DAYS(days),
        )
    DueDiligence.objects.create(
        counterparty=partner,
        questionnaire="q",
        performed_on=TODAY - DAYS(300),
        performed_by="x",
        valid_until=TODAY + DAYS(14),
    )
    assert _titles(officer, "due") == ["株式会社遠い先"]


def test_a_pledge_waiting_goes_to_the_person(employee):
    person = people_services.person_create(name="社員", user=employee, joined_on=TODAY)
    people_services.pledge_request(
        person=person, kind="project", title="プロジェクト誓約書", requested_on=TODAY
    )
    digest = digest_build(employee, digest_collect())
    assert [i.title for i in digest.items("waiting")] == [
        "確認・同意が必要な誓約書：プロジェクト誓約書"
    ]


def test_the_number_of_queries_does_not_grow_with_the_number_of_users(make_user, officer):
    def run() -> int:
        findings_refresh()  # evaluating the rules is measured elsewhere
        with CaptureQueriesContext(connection) as queries:
            digests_send(dry_run=True)
        return len(queries)

    for _ in range(3):
        user = make_user(Role.EMPLOYEE, email="a@example.jp")
        people_services.person_create(name="社員", user=user, joined_on=TODAY)
    few = run()
    for _ in range(12):
        user = make_user(Role.EMPLOYEE, email="b@example.jp")
        person = people_services.person_create(name="社員", user=user, joined_on=TODAY)
        people_services.pledge_request(
            person=person, kind="project", title="誓約書", requested_on=TODAY
        )
    assert run() == few
