"""Every partners rule fires on the problem it names, and stops once it is dealt with; every
partners requirement holds only when the registers show it."""

from __future__ import annotations

import pytest

from mamori.contracts import rules as contract_rules
from mamori.contracts.models import Renewal
from mamori.findings.registry import RuleContext, registry, specs
from mamori.partners import rules, services
from mamori.partners.models import CounterpartyKind, ThemeDecision
from tests.partners import factories as make

pytestmark = pytest.mark.django_db

PARTNER_RULES = [rule_id for rule_id in specs().rules if rule_id.startswith("partners.")]
PARTNER_REQUIREMENTS = [r for r in specs().requirements if r.startswith("partners.")]


def run(rule_id: str, today=None):
    return registry.run(specs(), RuleContext(today=today or make.today()), only=[rule_id])


def holds(requirement: str) -> bool:
    # Requirements that read contracts are registered by the contracts app (it is above this one).
    name = requirement.split(".", 1)[1]
    function = getattr(rules, name, None) or getattr(contract_rules, name)
    return function(RuleContext(today=make.today()))


def labels(findings) -> list[list[str]]:
    return [[ref.label for ref in finding.objects] for finding in findings]


def test_every_partner_rule_and_requirement_has_tests_here():
    tested = {name.removeprefix("test_").split("__")[0] for name in globals()}
    for rule_id in [*PARTNER_RULES, *PARTNER_REQUIREMENTS]:
        assert rule_id.split(".", 1)[1] in tested, f"{rule_id} has no test"


# --- partners.without_dd ------------------------------------------------------------------


def test_without_dd__fires_for_kinds_with_a_questionnaire_until_one_is_approved(officer):
    university = make.university("東都工業大学")
    manufacturer = make.manufacturer("台北精密")
    make.counterparty("Lumen Inc.", kind=CounterpartyKind.CUSTOMER)  # no questionnaire
    findings = run("partners.without_dd")
    assert labels(findings) == [["台北精密"], ["東都工業大学"]]
    assert findings[1].params["counterparty"] == "東都工業大学"

    review = make.started_dd(university)  # in progress: still no approved review
    assert labels(run("partners.without_dd")) == [["台北精密"], ["東都工業大学"]]
    make.answer_all(review)
    services.dd_rate(due_diligence=review, risk="low", reasoning="懸念なし")
    services.dd_approve(due_diligence=review, user=officer)
    assert labels(run("partners.without_dd")) == [["台北精密"]]
    make.approved_dd(manufacturer, officer, make.MANUFACTURER)
    assert run("partners.without_dd") == []


# --- partners.dd_expired ------------------------------------------------------------------


def test_dd_expired__fires_past_valid_until_and_stops_with_a_new_review(officer):
    partner = make.university("東都工業大学")
    review = make.approved_dd(partner, officer, performed_on=make.days_ago(400))
    assert review.valid_until < make.today()
    findings = run("partners.dd_expired")
    assert labels(findings) == [["東都工業大学"]]
    assert findings[0].params["until"]["ja"].endswith("日")

    make.approved_dd(partner, officer, performed_on=make.days_ago(3))
    assert run("partners.dd_expired") == []


def test_dd_expired__not_before_the_day_nor_for_unapproved_reviews(officer):
    partner = make.university()
    review = make.approved_dd(partner, officer, performed_on=make.days_ago(365))
    assert run("partners.dd_expired", today=review.valid_until) == []
    other = make.university()
    make.started_dd(other, performed_on=make.days_ago(800))
    assert run("partners.dd_expired") == []


# --- partners.capital_change_not_reviewed -------------------------------------------------


def test_capital_change_not_reviewed__fires_until_an_approved_review_on_or_after_it(officer):
    partner = make.university("東都工業大学")
    make.approved_dd(partner, officer, performed_on=make.days_ago(90))
    assert run("partners.capital_change_not_reviewed") == []

    services.capital_change_record(
        counterparty=partner, occurred_on=make.days_ago(30), description="海外企業が買収"
    )
    findings = run("partners.capital_change_not_reviewed")
    assert labels(findings) == [["東都工業大学"]]

    # A review in progress does not stop it; an approved one performed before the change neither.
    review = make.started_dd(partner, performed_on=make.days_ago(10))
    make.approved_dd(partner, officer, performed_on=make.days_ago(31))
    assert labels(run("partners.capital_change_not_reviewed")) == [["東都工業大学"]]

    make.answer_all(review)
    services.dd_rate(due_diligence=review, risk="medium", reasoning="買収後の体制を確認")
    services.dd_approve(due_diligence=review, user=officer)
    assert run("partners.capital_change_not_reviewed") == []


def test_capital_change_not_reviewed__a_review_on_the_day_of_the_change_counts(officer):
    partner = make.university()
    services.capital_change_record(
        counterparty=partner, occurred_on=make.days_ago(5), description="増資"
    )
    make.approved_dd(partner, officer, performed_on=make.days_ago(5))
    assert run("partners.capital_change_not_reviewed") == []
    # A later change makes it due again.
    services.capital_change_record(
        counterparty=partner, occurred_on=make.days_ago(2), description="筆頭株主の変更"
    )
    assert len(run("partners.capital_change_not_reviewed")) == 1


# --- partners.member_after_project --------------------------------------------------------


def test_member_after_project__fires_when_members_outlive_the_joint_research(officer):
    partner = make.university("東都工業大学")
    professor = services.partner_member_add(
        counterparty=partner, name="高橋 教授", since=make.days_ago(400)
    )
    student = services.partner_member_add(
        counterparty=partner, name="伊藤 学生", since=make.days_ago(400)
    )
    make.joint_research_contract(partner, ends_on=make.days_ago(30))
    findings = run("partners.member_after_project")
    assert labels(findings) == [["東都工業大学"]]
    assert findings[0].params["count"] == 2

    services.partner_member_end(member=professor, until=make.days_ago(30))  # the last day
    assert run("partners.member_after_project")[0].params["count"] == 1
    services.partner_member_end(member=student, until=make.days_ago(40))
    assert run("partners.member_after_project") == []


def test_member_after_project__not_while_a_joint_research_contract_runs():
    partner = make.university()
    services.partner_member_add(counterparty=partner, name="高橋 教授")
    assert run("partners.member_after_project") == []  # no contract at all
    make.joint_research_contract(partner, ends_on=make.days_ago(30))
    make.joint_research_contract(partner, ends_on=make.days_ago(-100), title="第2期")
    assert run("partners.member_after_project") == []


def test_member_after_project__not_for_a_contract_that_renews_automatically():
    partner = make.university()
    services.partner_member_add(counterparty=partner, name="高橋 教授")
    make.joint_research_contract(partner, ends_on=make.days_ago(30), renewal=Renewal.AUTOMATIC)
    assert run("partners.member_after_project") == []


# --- requirements -------------------------------------------------------------------------


def test_themes_decided__needs_a_decision_for_every_joint_research_partner():
    assert not holds("partners.themes_decided")
    first, second = make.university("東都大学"), make.university("西都大学")
    theme = services.theme_save(counterparty=first, title="電解質の共同研究")
    assert not holds("partners.themes_decided")  # undecided
    services.theme_decide(theme=theme, decision=ThemeDecision.GO, conditions="リスク低")
    assert holds("partners.themes_decided")

    make.joint_research_contract(second)  # research with a partner whose theme is not decided
    assert not holds("partners.themes_decided")
    other = services.theme_save(counterparty=second, title="評価手法の共同研究")
    services.theme_decide(theme=other, decision=ThemeDecision.NO_GO, conditions="コア技術に近い")
    assert holds("partners.themes_decided")


def test_has_approved_dd__needs_one_approved_review(officer):
    partner = make.university()
    review = make.started_dd(partner)
    assert not holds("partners.has_approved_dd")
    make.answer_all(review)
    services.dd_rate(due_diligence=review, risk="low", reasoning="懸念なし")
    services.dd_approve(due_diligence=review, user=officer)
    assert holds("partners.has_approved_dd")


def test_joint_research_perspectives__every_research_partner_reviewed_from_all_perspectives(
    officer,
):
    assert not holds("partners.joint_research_perspectives")  # no research partner
    university = make.university()
    company = make.counterparty("共同研究パートナー株式会社", kind=CounterpartyKind.JOINT_RESEARCH)
    make.manufacturer()  # not a research partner: does not count
    make.approved_dd(university, officer, make.PUBLIC)
    assert not holds("partners.joint_research_perspectives")
    make.approved_dd(university, officer, make.PERSPECTIVES)
    assert not holds("partners.joint_research_perspectives")  # the company is not covered
    make.started_dd(company, make.PERSPECTIVES)
    assert not holds("partners.joint_research_perspectives")
    make.approved_dd(company, officer, make.PERSPECTIVES)
    assert holds("partners.joint_research_perspectives")
