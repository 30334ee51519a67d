"""Overseas sites, their audits, and equipment sent out: what is saved and what is refused."""

from __future__ import annotations

import pytest

from mamori.audit.models import AuditEntry
from mamori.core.errors import ApplicationError
from mamori.sites import services
from mamori.sites.models import EquipmentDispatch, OverseasSite, SiteKind
from tests.sites import factories as make

pytestmark = pytest.mark.django_db


def test_a_site_run_by_a_partner_is_saved_with_its_checks():
    operator = make.counterparty("越南精密有限公司", kind="manufacturer", country="VN")
    site = services.site_save(
        name=" ハノイ委託工場 ",
        kind=SiteKind.PRODUCTION,
        country="vn",
        operator=operator,
        laws_checked_on=make.days_ago(30),
        laws_note="当局による技術開示要求の規定は確認されず",
        labour_mobility_note="技術者の転職率が高い",
        advisor="現地法律事務所",
        access_restrictions="製造エリアは入館証で制限",
        handles_core_technology=True,
        audit_interval_months=6,
    )
    site.refresh_from_db()
    assert (site.name, site.country, site.operator) == ("ハノイ委託工場", "VN", operator)
    assert site.audit_interval_months == 6 and site.handles_core_technology
    assert AuditEntry.objects.filter(object_type="overseas_sites.overseassite").exists()


def test_a_site_run_by_the_company_has_no_operator():
    site = services.site_save(name="シリコンバレー研究所", kind=SiteKind.RESEARCH, country="US")
    assert site.operator is None and site.laws_checked_on is None


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"country": "USA"}, services.COUNTRY_INVALID, "country"),
        ({"audit_interval_months": 0}, None, "audit_interval_months"),
        ({"audit_interval_months": 61}, None, "audit_interval_months"),
        (
            {"laws_checked_on": "future", "laws_note": "確認済み"},
            services.LAWS_CHECKED_IN_FUTURE,
            "laws_checked_on",
        ),
        ({"laws_checked_on": "past", "laws_note": " "}, services.LAWS_NEED_NOTE, "laws_note"),
    ],
)
def test_bad_site_input_is_refused(changes, message, field):
    values = {"name": "拠点", "kind": SiteKind.SALES, "country": "DE"}
    for key, value in changes.items():
        if value == "future":
            value = make.days_ahead(1)
        elif value == "past":
            value = make.days_ago(1)
        values[key] = value
    with pytest.raises(ApplicationError) as error:
        services.site_save(**values)
    assert error.value.field == field
    if message is not None:
        assert error.value.message == message
    assert not OverseasSite.objects.exists()


def test_editing_a_site_keeps_its_audits():
    site = make.site()
    services.site_audit_record(
        site=site, audited_on=make.days_ago(1), auditor="内部監査室", result="良好"
    )
    services.site_save(site=site, name="蘇州第二工場", kind=SiteKind.PRODUCTION, country="CN")
    site.refresh_from_db()
    assert site.name == "蘇州第二工場" and site.audits.count() == 1


def test_an_audit_is_recorded():
    site = make.site()
    audit = services.site_audit_record(
        site=site,
        audited_on=make.days_ago(2),
        auditor=" 内部監査室 ",
        result="入退室記録に不備",
        issues_open=True,
    )
    assert audit.auditor == "内部監査室" and audit.issues_open


def test_an_audit_in_the_future_or_without_result_is_refused():
    site = make.site()
    with pytest.raises(ApplicationError) as error:
        services.site_audit_record(
            site=site, audited_on=make.days_ahead(1), auditor="監査室", result="良好"
        )
    assert error.value.message == services.AUDITED_IN_FUTURE
    with pytest.raises(ApplicationError) as error:
        services.site_audit_record(
            site=site, audited_on=make.today(), auditor="監査室", result="  "
        )
    assert error.value.field == "result"
    assert not site.audits.exists()


def test_equipment_sent_with_customisations_reverted_names_who_checked():
    maker = make.counterparty("装置メーカー", kind="equipment_maker")
    dispatch = services.equipment_dispatch_save(
        equipment="成膜装置",
        sent_to=maker,
        purpose="修理",
        sent_on=make.days_ago(1),
        has_customisations=True,
        customisations_reverted=True,
        checked_by=" 製造部 田中 ",
    )
    assert dispatch.checked_by == "製造部 田中" and dispatch.sent_to == maker


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"checked_by": ""}, services.REVERTED_NEEDS_CHECKER, "checked_by"),
        ({"has_customisations": False}, services.NOTHING_TO_REVERT, "customisations_reverted"),
        ({"sent_on": "future"}, services.SENT_IN_FUTURE, "sent_on"),
    ],
)
def test_bad_equipment_input_is_refused(changes, message, field):
    values = {
        "equipment": "成膜装置",
        "sent_to": make.counterparty(),
        "purpose": "修理",
        "sent_on": make.days_ago(1),
        "has_customisations": True,
        "customisations_reverted": True,
        "checked_by": "田中",
    }
    values.update(changes)
    if values["sent_on"] == "future":
        values["sent_on"] = make.days_ahead(1)
    with pytest.raises(ApplicationError) as error:
        services.equipment_dispatch_save(**values)
    assert error.value.message == message and error.value.field == field
    assert not EquipmentDispatch.objects.exists()


def test_equipment_not_customised_needs_no_check():
    dispatch = make.dispatch(has_customisations=False, customisations_reverted=False, checked_by="")
    assert not dispatch.customisations_reverted


def test_equipment_return_is_recorded_after_sending():
    dispatch = make.dispatch(sent_on=make.days_ago(10))
    with pytest.raises(ApplicationError) as error:
        services.equipment_record_return(dispatch=dispatch, returned_on=make.days_ago(11))
    assert error.value.message == services.RETURNED_BEFORE_SENT
    with pytest.raises(ApplicationError) as error:
        services.equipment_record_return(dispatch=dispatch, returned_on=make.days_ahead(1))
    assert error.value.message == services.RETURNED_IN_FUTURE
    services.equipment_record_return(dispatch=dispatch, returned_on=make.days_ago(2))
    dispatch.refresh_from_db()
    assert dispatch.returned_on == make.days_ago(2)


def test_a_correction_cannot_send_it_after_its_return():
    dispatch = make.dispatch(sent_on=make.days_ago(10))
    services.equipment_record_return(dispatch=dispatch, returned_on=make.days_ago(5))
    with pytest.raises(ApplicationError) as error:
        services.equipment_dispatch_save(
            dispatch=dispatch,
            equipment=dispatch.equipment,
            sent_to=dispatch.sent_to,
            purpose=dispatch.purpose,
            sent_on=make.days_ago(4),
            has_customisations=False,
        )
    assert error.value.field == "sent_on"
