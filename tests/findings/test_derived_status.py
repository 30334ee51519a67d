"""Derived checklist status: for each checked row, what the registers say, and that a row
cannot be marked done while they disagree unless the officer records an exception."""

from __future__ import annotations

import pytest

from mamori.assessment import services as assessment_services
from mamori.assessment.models import ChecklistAnswer, Status
from mamori.assets import services as asset_services
from mamori.core.errors import ApplicationError
from mamori.findings.registry import specs
from mamori.findings.selectors import derived_check
from mamori.lifecycle import services as lifecycle_services
from mamori.people import services as people_services
from mamori.people.models import DeclarationOccasion, PledgeKind, TrainingTier
from tests.contracts import derived_cases as contract_cases
from tests.disclosures import derived_cases as disclosure_cases
from tests.findings import factories as f
from tests.findings.cases import Case
from tests.governance import derived_cases as governance_cases
from tests.partners import derived_cases as partner_cases
from tests.rulebook import factories as rulebook
from tests.sites import derived_cases as site_cases

pytestmark = pytest.mark.django_db


# --- register states ---------------------------------------------------------------------


def _security_technology():
    return f.technology("高出力レーザー制御技術", category="security")


def identify_ok():
    technology = _security_technology()
    asset_services.classification_record(
        technology=technology,
        result="not_controlled",
        judged_by="輸出管理担当",
        judged_on=f.today(),
        basis="リスト規制の仕様値未満",
    )


def identify_not_yet():
    _security_technology()  # no 該非判定 recorded


def core_ok():
    f.asset("電解液の配合表")


def core_not_yet():
    f.asset("電解液の配合表", owner=None)


def access_ok():
    f.grant(f.person("中村 彩"), f.asset("電解液の配合表"))


def access_not_yet():
    person = f.person("中村 彩")
    f.grant(person, f.asset("電解液の配合表"))
    lifecycle_services.person_give_notice(person=person, notice_on=f.today())


def _long_serving(name: str = "小林 拓也"):
    return f.person(name, joined_on=f.days_ago(800))


def _declared(person) -> None:
    people_services.foreign_declare(
        person=person,
        occasion=DeclarationOccasion.YEARLY,
        declared_on=f.days_ago(30),
        type1_foreign_contract=False,
        type2_foreign_benefit=False,
        type3_foreign_instruction=False,
    )


def rules_ok():
    person = _long_serving()
    _declared(person)
    rulebook.acknowledge(rulebook.version(), person)
    people_services.pledge_request(
        person=person,
        kind=PledgeKind.JOINING,
        title="入社時誓約書",
        requested_on=f.days_ago(800),
        signed_on=f.days_ago(800),
    )


def rules_not_yet():
    _declared(_long_serving())  # no pledge


def _trained(days_ago: int) -> None:
    people_services.training_record(
        person=_long_serving(),
        course="営業秘密の管理（全社員向け）",
        tier=TrainingTier.ALL_STAFF,
        completed_on=f.days_ago(days_ago),
    )


def training_ok():
    _trained(30)


def training_not_yet():
    _trained(500)


def _process(people: int) -> None:
    technology = f.technology("薄膜の成膜プロセス", full_process_limit=1)
    steps = [
        asset_services.process_step_save(
            technology=technology, order=order, name=name, assets=[f.asset(f"{name}の手順書")]
        )
        for order, name in ((1, "前処理"), (2, "成膜"))
    ]
    for index in range(people):
        person = f.person(f"工程担当{index}")
        for step in steps:
            f.grant(person, step.assets.get())


def process_ok():
    _process(people=1)


def process_not_yet():
    _process(people=2)


def retention_ok():
    f.person("木村 亮", is_key_engineer=True)


def retention_not_yet():
    engineer = f.person("木村 亮", is_key_engineer=True)
    lifecycle_services.person_give_notice(person=engineer, notice_on=f.today())


PEOPLE_CASES = [
    Case(
        "urn:mamori:row:common:identify-technologies",
        identify_ok,
        identify_not_yet,
        "安全保障上の重要技術のすべてに該非判定が記録されている",
    ),
    Case(
        "urn:mamori:row:common:core-technology-management",
        core_ok,
        core_not_yet,
        "管理責任者のいない秘密情報 (1)",
    ),
    Case(
        "urn:mamori:row:people:access-control",
        access_ok,
        access_not_yet,
        "退職者・退職予定者にアクセス権が残っている (1)",
    ),
    Case(
        "urn:mamori:row:people:information-rules",
        rules_ok,
        rules_not_yet,
        "誓約書の取得記録がある",
    ),
    Case(
        "urn:mamori:row:people:training",
        training_ok,
        training_not_yet,
        "情報管理研修の受講期限切れ (1)",
    ),
    Case(
        "urn:mamori:row:people:process-segmentation",
        process_ok,
        process_not_yet,
        "全体工程を知る社員が上限を超えている (1)",
    ),
    Case(
        "urn:mamori:row:people:key-engineer-retention",
        retention_ok,
        retention_not_yet,
        "ノウハウを持つ技術者の退職に対する取組が未検討 (1)",
    ),
]
CASES = [
    *PEOPLE_CASES,
    *contract_cases.CASES,
    *disclosure_cases.CASES,
    *partner_cases.CASES,
    *site_cases.CASES,
    *governance_cases.CASES,
]
IDS = [case.row.rsplit(":", 1)[-1] for case in CASES]


def test_every_checked_row_has_a_case():
    assert {case.row for case in CASES} == set(specs().checks)


def _reasons(row: str) -> list[str]:
    return derived_check(row).reasons(specs().rules, "ja")


# --- services ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_nothing_registered_is_not_satisfied(case):
    check = derived_check(case.row)
    assert check is not None and not check.satisfied and check.unmet


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_satisfied_registers_let_the_row_be_marked_done(case):
    case.satisfied()
    check = derived_check(case.row)
    assert check.satisfied, _reasons(case.row)
    assert _reasons(case.row) == []
    answer = assessment_services.answer_update(row_id=case.row, status=Status.DONE)
    assert answer.status == Status.DONE


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_not_satisfied_says_why_and_refuses_done(case):
    case.not_satisfied()
    assert not derived_check(case.row).satisfied
    assert case.reason in _reasons(case.row)
    with pytest.raises(ApplicationError) as error:
        assessment_services.answer_update(row_id=case.row, status=Status.DONE)
    assert error.value.field == "status" and case.reason in str(error.value)
    assert not ChecklistAnswer.objects.filter(row_id=case.row, status=Status.DONE).exists()
    # Other statuses are not blocked.
    answer = assessment_services.answer_update(row_id=case.row, status=Status.IN_PROGRESS)
    assert answer.status == Status.IN_PROGRESS


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_an_officers_exception_lets_the_row_be_done(case, officer):
    case.not_satisfied()
    assessment_services.answer_record_exception(
        row_id=case.row, reason="代替策で管理している（取締役会で承認）", recorded_by=officer
    )
    answer = assessment_services.answer_update(row_id=case.row, status=Status.DONE)
    assert answer.status == Status.DONE and answer.exception_by == officer
    assert not derived_check(case.row).satisfied  # the registers still say so
    # Removing the exception blocks marking done again.
    assessment_services.answer_record_exception(row_id=case.row, reason="", recorded_by=officer)
    with pytest.raises(ApplicationError):
        assessment_services.answer_update(row_id=case.row, status=Status.DONE)


# --- the row page --------------------------------------------------------------------------


def _row_url(row: str) -> str:
    return f"/checklist/rows/{row}/"


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_row_page_shows_the_derived_status(case, client_as, auditor):
    case.not_satisfied()
    page = client_as(auditor).get(_row_url(case.row)).content.decode()
    assert 'data-derived-status="not-yet"' in page and case.reason.split(" (")[0] in page


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_an_editor_cannot_record_an_exception_but_the_officer_can(case, client_as, editor, officer):
    case.not_satisfied()
    url = _row_url(case.row)
    editor_client = client_as(editor)
    refused = editor_client.post(url, {"action": "exception", "reason": "自分で例外にする"})
    assert refused.status_code == 403
    assert not ChecklistAnswer.objects.filter(row_id=case.row).exclude(exception_reason="").exists()
    blocked = editor_client.post(url, {"action": "answer", "status": Status.DONE})
    assert blocked.status_code == 400
    assert (
        client_as(officer).post(url, {"action": "exception", "reason": "承認済み"}).status_code
        == 302
    )
    assert editor_client.post(url, {"action": "answer", "status": Status.DONE}).status_code == 302
    assert ChecklistAnswer.objects.get(row_id=case.row).status == Status.DONE
