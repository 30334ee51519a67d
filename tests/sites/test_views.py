"""The overseas site and equipment pages: who may do what, forms that explain errors,
overdue audits highlighted, the handbook quoted, and flat query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mamori.accounts.roles import Role
from mamori.sites import rules, services
from mamori.sites.models import EquipmentDispatch, OverseasSite, SiteKind
from tests.sites import factories as make

pytestmark = pytest.mark.django_db

SITES, SITE_NEW = "/sites/", "/sites/new/"
EQUIPMENT, EQUIPMENT_NEW = "/sites/equipment/", "/sites/equipment/new/"


def _site_data(**changes) -> dict[str, str]:
    data = {
        "name": "ハノイ工場",
        "kind": SiteKind.PRODUCTION,
        "country": "VN",
        "operator": "",
        "opened_on": make.days_ago(30).isoformat(),
        "laws_checked_on": make.days_ago(60).isoformat(),
        "laws_note": "技術開示を強制する法令は確認されず",
        "labour_mobility_note": "技術者の転職率が高い",
        "advisor": "現地法律事務所",
        "access_restrictions": "製造エリアは入館証で制限",
        "audit_interval_months": "12",
    }
    data.update(changes)
    return data


def _equipment_data(maker, **changes) -> dict[str, str]:
    data = {
        "equipment": "スパッタ装置 SP-300",
        "sent_to": str(maker.pk),
        "purpose": "定期メンテナンス",
        "sent_on": make.days_ago(1).isoformat(),
        "has_customisations": "on",
        "customisations_reverted": "on",
        "checked_by": "製造部 田中",
        "note": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICER, Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR])
def test_programme_readers_see_sites_and_equipment(client_as, make_user, role):
    site, dispatch = make.site("蘇州工場"), make.dispatch()
    client = client_as(make_user(role))
    assert "蘇州工場" in client.get(SITES).content.decode()
    assert client.get(f"/sites/{site.pk}/").status_code == 200
    assert dispatch.equipment in client.get(EQUIPMENT).content.decode()
    assert client.get(f"/sites/equipment/{dispatch.pk}/").status_code == 200


def test_employee_sees_no_site_or_equipment(client_as, employee):
    site, dispatch = make.site(), make.dispatch()
    client = client_as(employee)
    for url in (
        SITES,
        SITE_NEW,
        f"/sites/{site.pk}/",
        f"/sites/{site.pk}/edit/",
        EQUIPMENT,
        EQUIPMENT_NEW,
        f"/sites/equipment/{dispatch.pk}/",
        f"/sites/equipment/{dispatch.pk}/edit/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/sites/{site.pk}/", {}).status_code == 403


def test_auditor_cannot_record_an_audit(client_as, auditor):
    site = make.site()
    response = client_as(auditor).post(
        f"/sites/{site.pk}/",
        {"audited_on": make.today().isoformat(), "auditor": "監査人", "result": "良好"},
    )
    assert response.status_code == 403 and not site.audits.exists()


# --- sites ------------------------------------------------------------------------------------


def test_editor_registers_a_site_run_by_a_partner(client_as, editor):
    operator = make.counterparty("越南精密", kind="manufacturer", country="VN")
    response = client_as(editor).post(SITE_NEW, _site_data(operator=str(operator.pk)))
    site = OverseasSite.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sites/{site.pk}/"
    assert site.operator == operator and site.country == "VN"
    page = client_as(editor).get(response["Location"]).content.decode()
    assert "越南精密" in page and "技術開示を強制する法令は確認されず" in page


def test_site_form_explains_a_check_without_what_the_laws_allow(client_as, editor):
    response = client_as(editor).post(SITE_NEW, _site_data(laws_note=""))
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert "ハノイ工場" in response.content.decode() and not OverseasSite.objects.exists()


def test_site_form_offers_the_company_itself_as_operator(client_as, editor):
    page = client_as(editor).get(SITE_NEW).content.decode()
    assert 'name="operator"' in page and 'value="research"' in page


def test_editor_edits_a_site(client_as, editor):
    site = make.site()
    response = client_as(editor).post(
        f"/sites/{site.pk}/edit/", _site_data(name="蘇州第二工場", country="CN")
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.name == "蘇州第二工場"


def test_site_page_shows_the_next_audit_and_records_one(client_as, editor):
    site = make.site(opened_on=make.days_ago(400), audit_interval_months=12)
    client = client_as(editor)
    page = client.get(f"/sites/{site.pk}/").content.decode()
    due = rules.add_months(make.days_ago(400), 12)
    assert f'data-audit-due="{due.isoformat()}"' in page and 'data-audit="overdue"' in page
    assert 'data-rule="sites.audit_overdue"' in page
    response = client.post(
        f"/sites/{site.pk}/",
        {"audited_on": make.today().isoformat(), "auditor": "内部監査室", "result": "良好"},
    )
    assert response.status_code == 302
    page = client.get(f"/sites/{site.pk}/").content.decode()
    next_due = rules.add_months(make.today(), 12)
    assert f'data-audit-due="{next_due.isoformat()}"' in page
    assert 'data-audit="overdue"' not in page and "内部監査室" in page


def test_an_audit_in_the_future_is_explained_on_the_page(client_as, editor):
    site = make.site()
    response = client_as(editor).post(
        f"/sites/{site.pk}/",
        {"audited_on": make.days_ahead(3).isoformat(), "auditor": "監査室", "result": "良好"},
    )
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert not site.audits.exists()


def test_site_list_highlights_overdue_and_filters(client_as, editor):
    make.site("期限切れ工場", opened_on=make.days_ago(400))
    make.site("新設工場", opened_on=make.days_ago(10))
    make.site("未確認販売所", kind=SiteKind.SALES, country="TH", laws_checked_on=None, laws_note="")
    client = client_as(editor)
    page = client.get(SITES).content.decode()
    row = re.search(r'<tr data-site="\d+" class="overdue">.*?</tr>', page, re.S)
    assert row and "期限切れ工場" in row.group(0)
    page = client.get(f"{SITES}?status=overdue").content.decode()
    assert "期限切れ工場" in page and "新設工場" not in page
    page = client.get(f"{SITES}?status=laws_not_checked").content.decode()
    assert "未確認販売所" in page and "新設工場" not in page
    page = client.get(f"{SITES}?country=TH").content.decode()
    assert "未確認販売所" in page and "期限切れ工場" not in page
    page = client.get(f"{SITES}?kind=sales").content.decode()
    assert "未確認販売所" in page and "期限切れ工場" not in page


def test_site_pages_quote_the_handbook(client_as, editor):
    site = make.site()
    for url in (SITES, SITE_NEW, f"/sites/{site.pk}/"):
        page = client_as(editor).get(url).content.decode()
        assert "転職率の高い国では現地スタッフの転職による技術流出" in page, url
        assert "重要技術を扱う部門には厳格な基準と継続的な監査" in page, url


def test_empty_site_list_says_what_to_do(client_as, editor):
    page = client_as(editor).get(SITES).content.decode()
    assert 'class="empty"' in page and SITE_NEW in page


# --- equipment ------------------------------------------------------------------------------


def test_editor_records_equipment_sent_out(client_as, editor):
    maker = make.counterparty("装置メーカー", kind="equipment_maker")
    response = client_as(editor).post(EQUIPMENT_NEW, _equipment_data(maker))
    dispatch = EquipmentDispatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/sites/equipment/{dispatch.pk}/"
    assert dispatch.customisations_reverted and dispatch.checked_by == "製造部 田中"


def test_equipment_form_wants_who_checked(client_as, editor):
    maker = make.counterparty()
    response = client_as(editor).post(EQUIPMENT_NEW, _equipment_data(maker, checked_by=""))
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not EquipmentDispatch.objects.exists()


def test_equipment_sent_unreverted_shows_the_finding_and_the_handbook(client_as, editor):
    maker = make.counterparty("装置メーカー", kind="equipment_maker")
    client = client_as(editor)
    client.post(EQUIPMENT_NEW, _equipment_data(maker, customisations_reverted=None, checked_by=""))
    dispatch = EquipmentDispatch.objects.get()
    page = client.get(f"/sites/equipment/{dispatch.pk}/").content.decode()
    assert 'data-rule="sites.equipment_not_reverted"' in page and 'data-reverted="no"' in page
    assert "購入時の状態に戻す等の対策も大切です" in page  # the handbook's advice
    listing = client.get(f"{EQUIPMENT}?status=not_reverted").content.decode()
    assert dispatch.equipment in listing and 'class="overdue"' in listing


def test_equipment_return_through_the_page(client_as, editor):
    dispatch = make.dispatch(sent_on=make.days_ago(10))
    client = client_as(editor)
    response = client.post(
        f"/sites/equipment/{dispatch.pk}/", {"returned_on": make.days_ago(11).isoformat()}
    )
    assert response.status_code == 400
    response = client.post(
        f"/sites/equipment/{dispatch.pk}/", {"returned_on": make.days_ago(1).isoformat()}
    )
    assert response.status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.returned_on == make.days_ago(1)
    page = client.get(f"{EQUIPMENT}?status=out").content.decode()
    assert dispatch.equipment not in page
    page = client.get(f"{EQUIPMENT}?status=returned").content.decode()
    assert dispatch.equipment in page


def test_editing_equipment_corrects_the_record(client_as, editor):
    dispatch = make.dispatch(customisations_reverted=False, checked_by="")
    response = client_as(editor).post(
        f"/sites/equipment/{dispatch.pk}/edit/", _equipment_data(dispatch.sent_to)
    )
    assert response.status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.customisations_reverted


def test_empty_equipment_list_says_what_to_do(client_as, editor):
    page = client_as(editor).get(EQUIPMENT).content.decode()
    assert 'class="empty"' in page and EQUIPMENT_NEW in page


def test_unknown_site_and_equipment_are_404(client_as, editor):
    client = client_as(editor)
    assert client.get("/sites/999/").status_code == 404
    assert client.get("/sites/equipment/999/").status_code == 404


# --- query counts -----------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_site_list_query_count_does_not_grow(client_as, editor):
    client = client_as(editor)
    make.site("拠点0", operator=make.counterparty())
    few = _queries(client, SITES)
    for index in range(1, 12):
        site = make.site(f"拠点{index}", operator=make.counterparty(), country="VN")
        services.site_audit_record(
            site=site,
            audited_on=make.days_ago(5),
            auditor="監査室",
            result="良好",
            issues_open=True,
        )
    assert _queries(client, SITES) == few
    assert _queries(client, f"{SITES}?status=overdue") == few


def test_equipment_list_query_count_does_not_grow(client_as, editor):
    client = client_as(editor)
    make.dispatch()
    few = _queries(client, EQUIPMENT)
    for _ in range(12):
        make.dispatch(make.counterparty(), customisations_reverted=False, checked_by="")
    assert _queries(client, EQUIPMENT) == few


def test_the_edit_forms_show_what_is_recorded(client_as, editor):
    site = make.site("蘇州工場", advisor="現地法律事務所")
    page = client_as(editor).get(f"/sites/{site.pk}/edit/").content.decode()
    assert 'value="蘇州工場"' in page and 'value="現地法律事務所"' in page
    dispatch = make.dispatch(equipment="焼成炉 K-2")
    page = client_as(editor).get(f"/sites/equipment/{dispatch.pk}/edit/").content.decode()
    assert 'value="焼成炉 K-2"' in page
    assert f'<option value="{dispatch.sent_to_id}" selected>' in page
