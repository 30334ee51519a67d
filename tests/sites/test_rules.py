"""The site rules and requirements fire and stop as the registers change; the audit
schedule's month arithmetic holds at month ends and in leap years."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mamori.findings.registry import RuleContext, registry, specs
from mamori.sites import rules, services
from mamori.sites.models import OverseasSite, SiteKind
from tests.sites import factories as make

D = datetime.date
SITE_RULES = [rule_id for rule_id in specs().rules if rule_id.startswith("sites.")]


def run(rule_id: str, today: datetime.date | None = None):
    return registry.run(specs(), RuleContext(today=today or make.today()), only=[rule_id])


def labels(findings) -> list[list[str]]:
    return [[ref.label for ref in finding.objects] for finding in findings]


def test_every_site_rule_has_tests_here():
    tested = {name.removeprefix("test_").split("__")[0] for name in globals()}
    for rule_id in SITE_RULES:
        assert rule_id.split(".", 1)[1] in tested, f"{rule_id} has no test"


# --- add_months and audit_due ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # shorter month: its last day
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2028, 2, 29), 12, D(2029, 2, 28)),  # from a leap day to a common year
        (D(2028, 2, 29), 48, D(2032, 2, 29)),  # leap day to leap day
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 1, 15), 1, D(2026, 2, 15)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # across the year end
        (D(2026, 12, 31), 12, D(2027, 12, 31)),
        (D(2026, 6, 10), 0, D(2026, 6, 10)),
        (D(2026, 1, 31), 25, D(2028, 2, 29)),
        (D(2100, 1, 31), 1, D(2100, 2, 28)),  # 2100 is not a leap year
    ],
)
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


def _site(**fields) -> OverseasSite:
    fields.setdefault("audit_interval_months", 12)
    return OverseasSite(name="拠点", kind=SiteKind.PRODUCTION, country="CN", **fields)


def test_audit_due_counts_from_the_last_audit_then_the_opening_then_registration():
    site = _site(
        opened_on=D(2025, 4, 1),
        created_at=timezone.make_aware(datetime.datetime(2025, 5, 1, 12, 0)),
    )
    assert rules.audit_due(site, D(2026, 1, 31)) == D(2027, 1, 31)
    assert rules.audit_due(site, None) == D(2026, 4, 1)
    site.opened_on = None
    assert rules.audit_due(site, None) == D(2026, 5, 1)


def test_audit_due_counts_registration_in_the_company_time_zone():
    # Stored times come back in UTC: 29 February 2028, 20:00 UTC is 1 March in Tokyo.
    registered = datetime.datetime(2028, 2, 29, 20, 0, tzinfo=datetime.UTC)
    site = _site(created_at=registered, audit_interval_months=1)
    assert rules.audit_due(site, None) == D(2028, 4, 1)


def test_audit_due_with_a_month_end_audit_and_a_one_month_interval():
    site = _site(audit_interval_months=1)
    assert rules.audit_due(site, D(2027, 1, 31)) == D(2027, 2, 28)
    assert rules.audit_due(site, D(2028, 1, 31)) == D(2028, 2, 29)


# --- sites.audit_overdue -------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_overdue__fires_after_the_interval_and_stops_with_an_audit():
    site = make.site("蘇州工場", opened_on=make.days_ago(200), audit_interval_months=6)
    due = rules.add_months(make.days_ago(200), 6)
    assert due < make.today()
    findings = run("sites.audit_overdue")
    assert labels(findings) == [["蘇州工場"]]
    assert findings[0].objects[0].type == "overseas_sites.overseassite"
    assert findings[0].params["country"] == "CN"
    services.site_audit_record(
        site=site, audited_on=make.days_ago(1), auditor="監査室", result="良好"
    )
    assert run("sites.audit_overdue") == []


@pytest.mark.django_db
def test_audit_overdue__not_on_the_due_day_itself():
    site = make.site(opened_on=make.days_ago(10), audit_interval_months=1)
    due = rules.audit_due(site, None)
    assert run("sites.audit_overdue", due) == []
    assert len(run("sites.audit_overdue", due + datetime.timedelta(days=1))) == 1


@pytest.mark.django_db
def test_audit_overdue__a_longer_interval_postpones_it():
    site = make.site(opened_on=make.days_ago(400), audit_interval_months=12)
    assert len(run("sites.audit_overdue")) == 1
    services.site_save(
        site=site,
        name=site.name,
        kind=site.kind,
        country=site.country,
        opened_on=site.opened_on,
        audit_interval_months=24,
    )
    assert run("sites.audit_overdue") == []


# --- sites.laws_not_checked ----------------------------------------------------------------


@pytest.mark.django_db
def test_laws_not_checked__fires_until_the_check_is_recorded():
    site = make.site("ホーチミン販売所", country="VN", laws_checked_on=None, laws_note="")
    make.site("蘇州工場")  # checked
    assert labels(run("sites.laws_not_checked")) == [["ホーチミン販売所"]]
    services.site_save(
        site=site,
        name=site.name,
        kind=site.kind,
        country=site.country,
        laws_checked_on=make.today(),
        laws_note="技術開示を強制する法令は確認されず（現地弁護士に確認）",
    )
    assert run("sites.laws_not_checked") == []


# --- sites.equipment_not_reverted ----------------------------------------------------------


@pytest.mark.django_db
def test_equipment_not_reverted__fires_for_customised_equipment_sent_as_is():
    maker = make.counterparty("装置メーカー", kind="equipment_maker")
    dispatch = make.dispatch(
        maker, equipment="焼成炉", customisations_reverted=False, checked_by=""
    )
    make.dispatch(maker, equipment="検査装置")  # reverted and checked
    make.dispatch(  # not customised: nothing to revert
        maker, equipment="汎用オーブン", has_customisations=False, customisations_reverted=False
    )
    findings = run("sites.equipment_not_reverted")
    assert labels(findings) == [["焼成炉", "装置メーカー"]]
    assert findings[0].objects[0].type == "overseas_sites.equipmentdispatch"
    services.equipment_dispatch_save(
        dispatch=dispatch,
        equipment=dispatch.equipment,
        sent_to=maker,
        purpose=dispatch.purpose,
        sent_on=dispatch.sent_on,
        has_customisations=True,
        customisations_reverted=True,
        checked_by="製造部 田中",
    )
    assert run("sites.equipment_not_reverted") == []


# --- requirements ----------------------------------------------------------------------------


def _context() -> RuleContext:
    return RuleContext(today=make.today())


@pytest.mark.django_db
def test_requirement_registered():
    assert not rules.registered(_context())
    make.site()
    assert rules.registered(_context())


@pytest.mark.django_db
def test_requirement_research_sites_restricted():
    assert not rules.research_sites_restricted(_context())  # no R&D site yet
    make.site("上海工場")  # production sites do not count
    assert not rules.research_sites_restricted(_context())
    lab = make.site("上海研究所", kind=SiteKind.RESEARCH, access_restrictions="")
    assert not rules.research_sites_restricted(_context())
    services.site_save(
        site=lab,
        name=lab.name,
        kind=lab.kind,
        country=lab.country,
        access_restrictions="研究棟は登録者のみ入館、データは本社サーバーのみ",
    )
    assert rules.research_sites_restricted(_context())
    make.site("深圳研究所", kind=SiteKind.RESEARCH)  # another without restrictions
    assert not rules.research_sites_restricted(_context())
