"""The people rules, each firing and not firing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mamori.findings.registry import RuleContext, registry, specs
from mamori.findings.selectors import open_findings
from mamori.findings.services import findings_refresh
from mamori.people import services
from mamori.people.models import Person, SideJobDeclaration

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def _hits(rule: str, today: datetime.date = TODAY) -> set[str]:
    """Return the names of the people a rule names today."""
    findings = registry.run(specs(), RuleContext(today=today), only=[rule])
    return {
        ref.label for finding in findings for ref in finding.objects if ref.type == "people.person"
    }


def _depart(person: Person) -> None:
    Person.objects.filter(pk=person.pk).update(status="departed", departed_on=TODAY)


# --- people.training_overdue -------------------------------------------------------------


def test_training_overdue_fires_for_no_or_old_training(make_person):
    make_person("未受講")
    old = make_person("昨年度以前")
    services.training_record(
        person=old, course="研修", tier="all_staff", completed_on=datetime.date(2025, 5, 31)
    )
    assert _hits("people.training_overdue") == {"未受講", "昨年度以前"}


def test_training_overdue_does_not_fire_for_recent_training_new_joiners_or_leavers(make_person):
    recent = make_person("受講済み")
    services.training_record(
        person=recent, course="研修", tier="all_staff", completed_on=datetime.date(2025, 6, 2)
    )
    make_person("新入社員", joined_on=TODAY - datetime.timedelta(days=30))
    _depart(make_person("退職者"))
    assert _hits("people.training_overdue") == set()


# --- people.declaration_overdue ----------------------------------------------------------


def test_declaration_overdue_fires_without_a_declaration_this_year(make_person):
    make_person("未申告")
    old = make_person("前年申告")
    services.foreign_declare(
        person=old,
        occasion="yearly",
        declared_on=datetime.date(2025, 1, 15),
        type1_foreign_contract=False,
        type2_foreign_benefit=False,
        type3_foreign_instruction=False,
    )
    assert _hits("people.declaration_overdue") == {"未申告", "前年申告"}


def test_declaration_overdue_does_not_fire_after_a_yearly_declaration(make_person):
    person = make_person("申告済み")
    services.foreign_declare(
        person=person,
        occasion="yearly",
        declared_on=datetime.date(2026, 1, 15),
        type1_foreign_contract=False,
        type2_foreign_benefit=False,
        type3_foreign_instruction=False,
    )
    make_person("入社直後", joined_on=TODAY - datetime.timedelta(days=10))
    assert _hits("people.declaration_overdue") == set()


# --- people.pledge_missing ---------------------------------------------------------------


def test_pledge_missing_fires_without_a_signed_joining_pledge(make_person):
    make_person("誓約なし")
    asked = make_person("依頼のみ")
    services.pledge_request(
        person=asked, kind="joining", title="誓約書", requested_on=datetime.date(2026, 1, 1)
    )
    assert _hits("people.pledge_missing") == {"誓約なし", "依頼のみ"}


def test_pledge_missing_fires_for_a_leaver_without_an_exit_pledge(make_person):
    leaver = make_person("退職者")
    services.pledge_request(
        person=leaver,
        kind="joining",
        title="誓約書",
        requested_on=datetime.date(2020, 4, 1),
        signed_on=datetime.date(2020, 4, 1),
    )
    _depart(leaver)
    assert _hits("people.pledge_missing") == {"退職者"}


def test_pledge_missing_does_not_fire_once_signed_or_acknowledged(make_person, make_user):
    signed = make_person("署名済み")
    services.pledge_request(
        person=signed,
        kind="joining",
        title="誓約書",
        requested_on=datetime.date(2026, 1, 1),
        signed_on=datetime.date(2026, 1, 2),
    )
    account = make_user("employee", "ack")
    acknowledged = make_person("画面で確認", user=account)
    pledge = services.pledge_request(
        person=acknowledged, kind="joining", title="誓約書", requested_on=datetime.date(2026, 1, 1)
    )
    services.pledge_acknowledge(pledge=pledge, user=account)
    make_person("入社直後", joined_on=TODAY - datetime.timedelta(days=5))
    assert _hits("people.pledge_missing") == set()


# --- people.side_job_not_reviewed --------------------------------------------------------


def _side_job(person: Person, overlaps: bool) -> SideJobDeclaration:
    return services.side_job_declare(
        person=person,
        organisation=f"{person.name}の副業先",
        activity="技術支援",
        overlaps_our_technology=overlaps,
        overlap_note="同じ材料系" if overlaps else "",
        declared_on=datetime.date(2026, 1, 10),
    )


def test_side_job_not_reviewed_fires_for_an_overlapping_side_job_awaiting_review(make_person):
    _side_job(make_person("重なる副業"), overlaps=True)
    assert _hits("people.side_job_not_reviewed") == {"重なる副業"}


def test_side_job_not_reviewed_does_not_fire_once_reviewed_or_without_overlap(make_person):
    reviewed = _side_job(make_person("確認済み"), overlaps=True)
    services.side_job_review(declaration=reviewed, status="accepted", review_note="問題なし")
    _side_job(make_person("重ならない"), overlaps=False)
    leaver = make_person("退職者")
    _side_job(leaver, overlaps=True)
    _depart(leaver)
    assert _hits("people.side_job_not_reviewed") == set()


# --- through the stored findings ---------------------------------------------------------


def test_stored_findings_open_and_resolve_with_the_register(make_person):
    person = make_person("山田 太郎")
    findings_refresh()
    assert open_findings(rule="people.training_overdue").filter(params__person="山田 太郎").exists()
    services.training_record(
        person=person, course="情報管理研修", tier="all_staff", completed_on=timezone.localdate()
    )
    # The change is picked up lazily on the next read.
    assert not open_findings(rule="people.training_overdue").exists()
