"""Every asset rule fires on the problem it names, and stops firing once it is fixed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mamori.assets import rules, services
from mamori.assets.models import Decision, ExportResult, TechnologyCategory
from mamori.findings.registry import RuleContext, registry, specs
from mamori.lifecycle import services as lifecycle_services
from mamori.people import services as people_services
from tests.assets import factories as make

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
ASSET_RULES = [rule_id for rule_id in specs().rules if rule_id.startswith("assets.")]


def run(rule_id: str, today: datetime.date = TODAY):
    return registry.run(specs(), RuleContext(today=today), only=[rule_id])


def labels(findings) -> list[list[str]]:
    return [[ref.label for ref in finding.objects] for finding in findings]


def test_every_asset_rule_has_tests_here():
    tested = {name.removeprefix("test_").split("__")[0] for name in globals()}
    for rule_id in ASSET_RULES:
        assert rule_id.split(".", 1)[1] in tested, f"{rule_id} has no test"


# --- assets.leaver_holds_access -----------------------------------------------------------


def test_leaver_holds_access__fires_after_notice_and_stops_when_revoked(officer):
    leaver, asset = make.person("田中 一郎"), make.asset("電解質配合表")
    make.grant(leaver, asset)
    assert run("assets.leaver_holds_access") == []

    lifecycle_services.person_give_notice(person=leaver, notice_on=TODAY)
    findings = run("assets.leaver_holds_access")
    assert labels(findings) == [["田中 一郎", "電解質配合表"]]
    assert findings[0].params["count"] == 1

    services.grants_revoke_for_person(person=leaver, revoked_by=officer, reason="退職")
    assert run("assets.leaver_holds_access") == []


def test_leaver_holds_access__ignores_active_people_and_revoked_grants(officer):
    stays, leaver = make.person(), make.person()
    asset = make.asset()
    make.grant(stays, asset)
    old = make.grant(leaver, asset)
    services.grant_revoke(grant=old, revoked_by=officer, reason="異動")
    lifecycle_services.person_give_notice(person=leaver, notice_on=TODAY)
    assert run("assets.leaver_holds_access") == []


# --- assets.grant_expired -----------------------------------------------------------------


def test_grant_expired__fires_past_the_end_date_and_stops_when_revoked(officer):
    holder = make.person("佐々木 花子")
    grant = make.grant(
        holder,
        make.asset(),
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2026, 5, 31),
    )
    findings = run("assets.grant_expired")
    assert labels(findings) == [["佐々木 花子"]]
    assert findings[0].params["oldest"]["ja"] == "2026年5月31日"

    services.grant_revoke(grant=grant, revoked_by=officer, reason="期限切れ")
    assert run("assets.grant_expired") == []


def test_grant_expired__does_not_fire_on_the_last_day_or_without_end_date():
    holder = make.person()
    make.grant(holder, make.asset(), valid_from=TODAY, valid_until=TODAY)
    make.grant(holder, make.asset(), valid_from=TODAY)
    assert run("assets.grant_expired") == []
    assert len(run("assets.grant_expired", today=TODAY + datetime.timedelta(days=1))) == 1


# --- assets.transfer_not_reviewed ---------------------------------------------------------


def test_transfer_not_reviewed__fires_until_the_review_is_decided(officer):
    lab = people_services.department_get_or_create(name="研究開発部")
    sales = people_services.department_get_or_create(name="営業部")
    mover = make.person("山本 健", department=lab)
    make.grant(mover, make.asset())
    lifecycle_services.person_transfer(person=mover, to_department=sales, date=TODAY)

    review = mover.access_reviews.get()
    (finding,) = run("assets.transfer_not_reviewed")
    # The person, and the review the transfer opened: where the fix is made.
    assert [(ref.type, ref.id) for ref in finding.objects] == [
        ("people.person", mover.pk),
        ("assets.accessreview", review.pk),
    ]
    assert finding.objects[0].label == "山本 健"

    for item in review.items.all():
        services.review_decide(item=item, decision=Decision.CONFIRMED, user=officer)
    assert run("assets.transfer_not_reviewed") == []


def test_transfer_not_reviewed__does_not_fire_without_a_transfer():
    make.grant(make.person(), make.asset())
    assert run("assets.transfer_not_reviewed") == []


# --- assets.secret_without_owner ----------------------------------------------------------


def test_secret_without_owner__fires_and_stops_once_an_owner_is_named():
    asset = make.asset("顧客別仕様一覧", owner=None)
    assert labels(run("assets.secret_without_owner")) == [["顧客別仕様一覧"]]
    services.asset_save(asset=asset, owner=make.person())
    assert run("assets.secret_without_owner") == []


def test_secret_without_owner__ignores_assets_without_a_class():
    make.asset(secrecy_class=None, owner=None)
    assert run("assets.secret_without_owner") == []


# --- assets.secret_without_marking --------------------------------------------------------


@pytest.mark.parametrize(
    "missing", [{"marking": ""}, {"separation": ""}, {"marking": "", "separation": ""}]
)
def test_secret_without_marking__fires_without_marking_or_separation(missing):
    asset = make.asset("試作レシピ", **missing)
    assert labels(run("assets.secret_without_marking")) == [["試作レシピ"]]
    services.asset_save(asset=asset, marking="「極秘」スタンプ", separation="施錠キャビネット")
    assert run("assets.secret_without_marking") == []


def test_secret_without_marking__ignores_assets_without_a_class():
    make.asset(secrecy_class=None, marking="", separation="")
    assert run("assets.secret_without_marking") == []


# --- assets.core_technology_unmanaged -----------------------------------------------------


def test_core_technology_unmanaged__fires_until_a_classified_asset_carries_it():
    core = make.technology("全固体電池の界面制御")
    assert labels(run("assets.core_technology_unmanaged")) == [["全固体電池の界面制御"]]

    unclassified = make.asset(secrecy_class=None, technologies=[core])
    assert len(run("assets.core_technology_unmanaged")) == 1

    services.asset_save(asset=unclassified, secrecy_class=make.secrecy("秘"))
    assert run("assets.core_technology_unmanaged") == []


def test_core_technology_unmanaged__ignores_other_categories():
    make.technology("調達したい測定技術", category=TechnologyCategory.TO_ACQUIRE)
    assert run("assets.core_technology_unmanaged") == []


# --- assets.controlled_technology_to_specified_person -------------------------------------


def _controlled_setup():
    technology = make.technology("高出力レーザー制御", category=TechnologyCategory.SECURITY)
    services.classification_record(
        technology=technology,
        result=ExportResult.CONTROLLED,
        list_item="別表第1 10項",
        judged_by="輸出管理担当",
        judged_on=datetime.date(2026, 1, 10),
    )
    person = make.person("李 明")
    declaration = people_services.foreign_declare(
        person=person,
        occasion="joining",
        declared_on=datetime.date(2026, 2, 1),
        type1_foreign_contract=True,
        type2_foreign_benefit=False,
        type3_foreign_instruction=False,
        details="外国企業との雇用契約あり",
    )
    make.grant(person, make.asset(technologies=[technology]))
    return technology, person, declaration


def test_controlled_technology_to_specified_person__fires_and_stops_with_an_approval():
    technology, person, _ = _controlled_setup()
    assert labels(run("assets.controlled_technology_to_specified_person")) == [
        ["李 明", "高出力レーザー制御"]
    ]
    services.deemed_export_approval_record(
        person=person,
        technology=technology,
        reference="経済産業省 許可番号 2026-001",
        approved_on=datetime.date(2026, 3, 1),
    )
    assert run("assets.controlled_technology_to_specified_person") == []


def test_controlled_technology_to_specified_person__fires_again_after_approval_expires():
    technology, person, _ = _controlled_setup()
    services.deemed_export_approval_record(
        person=person,
        technology=technology,
        reference="社内承認 A-12",
        approved_on=datetime.date(2026, 3, 1),
        valid_until=datetime.date(2026, 5, 1),
    )
    assert len(run("assets.controlled_technology_to_specified_person")) == 1


def test_controlled_technology_to_specified_person__not_when_rejudged_not_controlled():
    technology, _, _ = _controlled_setup()
    services.classification_record(
        technology=technology,
        result=ExportResult.NOT_CONTROLLED,
        judged_by="輸出管理担当",
        judged_on=datetime.date(2026, 4, 1),
    )
    assert run("assets.controlled_technology_to_specified_person") == []


def test_controlled_technology_to_specified_person__not_when_declaration_is_closed():
    _, _, declaration = _controlled_setup()
    people_services.foreign_declaration_close(
        declaration=declaration, closed_on=TODAY, closing_note="契約終了を確認"
    )
    assert run("assets.controlled_technology_to_specified_person") == []


# --- assets.whole_process_limit_exceeded --------------------------------------------------


def _process_with_two_steps():
    technology = make.technology("正極材の連続焼成")
    first, second = make.asset("原料配合"), make.asset("焼成条件")
    services.process_step_save(technology=technology, order=1, name="配合", assets=[first])
    services.process_step_save(technology=technology, order=2, name="焼成", assets=[second])
    return technology, first, second


def test_whole_process_limit_exceeded__fires_above_the_limit_and_stops_within_it(officer):
    technology, first, second = _process_with_two_steps()
    for name in ("職長A", "職長B"):
        holder = make.person(name)
        make.grant(holder, first)
        make.grant(holder, second)
    make.grant(make.person("配合担当"), first)  # knows one step only

    services.technology_set_process_limit(technology=technology, limit=1, user=officer)
    findings = run("assets.whole_process_limit_exceeded")
    assert labels(findings) == [["正極材の連続焼成"]]
    assert findings[0].params == {"technology": "正極材の連続焼成", "count": 2, "limit": 1}

    services.technology_set_process_limit(technology=technology, limit=2, user=officer)
    assert run("assets.whole_process_limit_exceeded") == []


def test_whole_process_limit_exceeded__not_without_a_limit():
    _, first, second = _process_with_two_steps()
    holder = make.person()
    make.grant(holder, first)
    make.grant(holder, second)
    assert run("assets.whole_process_limit_exceeded") == []


# --- requirements -------------------------------------------------------------------------


def context() -> RuleContext:
    return RuleContext(today=timezone.localdate())


def test_requirement_has_technologies():
    assert not rules.has_technologies(context())
    make.technology()
    assert rules.has_technologies(context())


def test_requirement_security_technologies_classified():
    security = make.technology("暗号モジュール", category=TechnologyCategory.SECURITY)
    assert not rules.security_technologies_classified(context())
    services.classification_record(
        technology=security,
        result=ExportResult.NOT_CONTROLLED,
        judged_by="輸出管理担当",
        judged_on=TODAY,
    )
    assert rules.security_technologies_classified(context())


def test_requirement_has_managed_assets():
    make.asset(secrecy_class=None)
    assert not rules.has_managed_assets(context())
    make.asset(secrecy_class="社外秘")
    assert rules.has_managed_assets(context())


def test_requirement_has_grants(officer):
    grant = make.grant(make.person(), make.asset())
    assert rules.has_grants(context())
    services.grant_revoke(grant=grant, revoked_by=officer, reason="不要")
    assert not rules.has_grants(context())


def test_requirement_process_steps_limited(officer):
    technology, _, _ = _process_with_two_steps()
    assert not rules.process_steps_limited(context())
    services.technology_set_process_limit(technology=technology, limit=3, user=officer)
    assert rules.process_steps_limited(context())
