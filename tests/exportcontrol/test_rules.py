"""Every export-control rule, firing and not firing."""

from __future__ import annotations

import datetime

import pytest

from mamori.disclosures.models import Disclosure
from mamori.exportcontrol.models import HitStatus, ScreeningHit
from mamori.exportcontrol.services import authorizations, investment, screening
from mamori.findings.registry import RuleContext, registry, specs
from mamori.people import services as people_services
from tests.assets import factories as assets
from tests.exportcontrol import factories as f

pytestmark = pytest.mark.django_db


def _hits(rule: str) -> list:
    return registry.run(specs(), RuleContext(today=f.today()), only=[rule])


def _disclosure(counterparty, asset, day=None) -> Disclosure:
    # Written directly: a disclosure recorded before export control existed, or elsewhere.
    disclosure = Disclosure.objects.create(
        counterparty=counterparty,
        disclosed_on=day or f.days_ago(5),
        purpose="評価",
        method="email",
    )
    disclosure.assets.set([asset])
    return disclosure


def test_rejudge_overdue_fires_for_the_classification_in_force_only():
    rule = "exportcontrol.classification_rejudge_overdue"
    f.controlled_technology("期限切れの技術", rejudge_due=f.days_ago(1))
    f.controlled_technology("期限内の技術", rejudge_due=f.today() + datetime.timedelta(days=30))
    [finding] = _hits(rule)
    assert finding.params["technology"] == "期限切れの技術"
    assert "再判定" in finding.message("ja")


def test_rejudge_overdue_does_not_fire_once_re_judged():
    from mamori.assets import services as asset_services

    technology = f.controlled_technology("再判定済み", rejudge_due=f.days_ago(1))
    asset_services.classification_record(
        technology=technology,
        result="controlled",
        list_item="10項",
        judged_by="担当",
        judged_on=f.today(),
        rejudge_due=f.today() + datetime.timedelta(days=365),
    )
    assert _hits("exportcontrol.classification_rejudge_overdue") == []


def test_unclassified_fires_for_security_technology_and_technology_given_abroad():
    rule = "exportcontrol.technology_unclassified"
    assets.technology("軍事転用懸念技術", category="security")
    core = assets.technology("海外に出したコア技術", category="core")
    _disclosure(f.counterparty(), assets.asset(technologies=[core]))
    found = {h.params["technology"]: h.params["reason"]["en"] for h in _hits(rule)}
    assert set(found) == {"軍事転用懸念技術", "海外に出したコア技術"}
    assert "foreign counterparty" in found["海外に出したコア技術"]
    # Re-evaluated for that technology alone (after a change), the same reason.
    targeted = RuleContext(today=f.today(), subjects=frozenset({str(core.pk)}))
    [hit] = registry.run(specs(), targeted, only=[rule])
    assert hit.params["reason"]["en"] == found["海外に出したコア技術"]


def test_unclassified_fires_for_technology_open_to_a_person_under_a_type():
    person = assets.person("外国籍 研究員")
    people_services.foreign_declare(
        person=person,
        occasion="joining",
        declared_on=f.days_ago(3),
        details="海外企業との顧問契約",
        type1_foreign_contract=True,
        type2_foreign_benefit=False,
        type3_foreign_instruction=False,
    )
    technology = assets.technology("未判定の技術", category="core")
    assets.grant(person, assets.asset(technologies=[technology]))
    [finding] = _hits("exportcontrol.technology_unclassified")
    assert "特定類型" in finding.params["reason"]["ja"]


def test_unclassified_does_not_fire_for_classified_or_domestic_only_technology():
    f.controlled_technology()
    core = assets.technology("国内だけのコア技術", category="core")
    _disclosure(f.counterparty("国内株式会社", country="JP"), assets.asset(technologies=[core]))
    assert _hits("exportcontrol.technology_unclassified") == []


def test_controlled_disclosure_without_licence_fires_and_a_later_record_resolves_it(officer):
    rule = "exportcontrol.controlled_disclosure_without_licence"
    technology = f.controlled_technology()
    partner = f.counterparty()
    disclosure = _disclosure(partner, assets.asset(technologies=[technology]))
    [finding] = _hits(rule)
    assert finding.objects[0].id == disclosure.pk and finding.params["country"] == "DE"
    authorizations.authorization_record(
        technology=technology,
        disclosure=disclosure,
        kind="not_required",
        basis="技術提供は公知情報のみ",
        decided_by="輸出管理担当",
        decided_on=f.today(),
        user=officer,
    )
    assert _hits(rule) == []


def test_controlled_disclosure_is_covered_by_a_licence_in_force_that_day(officer):
    technology = f.controlled_technology()
    partner = f.counterparty()
    _disclosure(partner, assets.asset(technologies=[technology]), day=f.days_ago(5))
    f.licence(technology, partner, officer, decided_on=f.days_ago(20))
    assert _hits("exportcontrol.controlled_disclosure_without_licence") == []


def test_catch_all_fires_for_non_controlled_technology_abroad_until_checked():
    rule = "exportcontrol.catch_all_not_checked"
    disclosure = _disclosure(
        f.counterparty(), assets.asset(technologies=[f.not_controlled_technology()])
    )
    _disclosure(
        f.counterparty("国内", country="JP"),
        assets.asset(technologies=[f.not_controlled_technology("別の技術")]),
    )
    [finding] = _hits(rule)
    assert finding.objects[0].id == disclosure.pk
    authorizations.catch_all_record(
        disclosure=disclosure,
        end_use="太陽電池の評価",
        end_user="Westfield Optics GmbH",
        conclusion="no_concern",
        checked_by="輸出管理担当",
        checked_on=f.today(),
    )
    assert _hits(rule) == []


def test_screening_rules_fire_until_the_officer_decides(officer):
    pending, unscreened = (
        "exportcontrol.screening_hit_unresolved",
        "exportcontrol.counterparty_not_screened",
    )
    partner = f.counterparty("Delmaro Aerospace Industries Co., Ltd.", country="IR")
    assert _hits(unscreened) == [] and _hits(pending) == []  # no list yet
    f.imported_list(officer)
    [finding] = _hits(pending)
    assert finding.params["counterparty"] == partner.name
    assert _hits(unscreened) == []
    hit = ScreeningHit.objects.get(counterparty=partner)
    screening.hit_decide(hit=hit, status=HitStatus.CLEARED, note="別会社", user=officer)
    assert _hits(pending) == []
    partner.name = "Delmaro Aerospace Holdings"  # renamed outside the services
    partner.save()
    [stale] = _hits(unscreened)
    assert stale.params["counterparty"] == "Delmaro Aerospace Holdings"


def test_funding_round_with_a_foreign_investor_in_a_designated_sector_is_flagged(officer):
    rule = "exportcontrol.funding_round_needs_notification"
    _, participation = f.foreign_round(officer)
    [finding] = _hits(rule)
    assert (
        "unlisted" in finding.params["reason"]["en"]
        and "事前届出" in finding.params["reason"]["ja"]
    )
    assert finding.objects[0].type == "exportcontrol.fundinground"
    investment.participation_record_notification(
        participation=participation, filed_on=f.today(), reference="日銀受付 123"
    )
    assert _hits(rule) == []


def test_funding_round_is_not_flagged_outside_designated_sectors_or_for_domestic_investors(officer):
    f.foreign_round(officer, sectors=())
    assert _hits("exportcontrol.funding_round_needs_notification") == []


def test_listed_company_is_flagged_from_the_threshold_only(officer):
    f.foreign_round(officer, stake="0.5", listed=True)
    assert _hits("exportcontrol.funding_round_needs_notification") == []
    participation = investment.participation_save(
        funding_round=f.FundingRound.objects.get(),
        investor=f.investor("Big Fund", "US"),
        stake=2,
    )
    investment.investor_profile_save(
        counterparty=participation.investor, category="foreign_company", checked_on=f.today()
    )
    [finding] = _hits("exportcontrol.funding_round_needs_notification")
    assert finding.params["investor"] == "Big Fund"


def test_investor_status_unknown_fires_until_determined(officer):
    rule = "exportcontrol.investor_status_unknown"
    fund = f.investor("Unknown Capital")
    funding_round = investment.round_save(name="シード", status="planned")
    investment.participation_save(funding_round=funding_round, investor=fund, stake=5)
    [finding] = _hits(rule)
    assert finding.params["investor"] == "Unknown Capital"
    investment.investor_profile_save(counterparty=fund, category="domestic", checked_on=f.today())
    assert _hits(rule) == []


def test_sector_not_declared_fires_only_with_a_foreign_investor_and_no_declaration(officer):
    rule = "exportcontrol.sector_not_declared"
    f.foreign_round(officer, sectors=None)
    [finding] = _hits(rule)
    assert "Pacific Frontier Fund" in finding.params["investors"]
    investment.sector_declare(sectors=[], is_listed=False, user=officer)
    assert _hits(rule) == []
