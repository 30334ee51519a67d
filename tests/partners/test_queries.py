"""The partners pages make the same number of queries whatever the size of the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mamori.partners import services
from tests.partners import factories as make

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # warm up: findings are evaluated on the first read after a change
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _add_counterparties(count: int, officer) -> list:
    made = []
    for _ in range(count):
        partner = make.university()
        services.shareholder_add(counterparty=partner, name="国内VC", share=40)
        services.shareholder_add(counterparty=partner, name="Fund", share=30, country="SG")
        make.approved_dd(partner, officer, performed_on=make.days_ago(40))
        make.started_dd(partner)
        services.capital_change_record(
            counterparty=partner, occurred_on=make.days_ago(10), description="増資"
        )
        made.append(partner)
    return made


def test_counterparty_list_query_count_does_not_grow(client_as, officer):
    client = client_as(officer)
    _add_counterparties(2, officer)
    few = _queries(client, "/partners/")
    _add_counterparties(25, officer)
    make.manufacturer()
    assert _queries(client, "/partners/") == few
    assert _queries(client, "/partners/?dd=capital_change&country=JP&page=1") == few


def test_counterparty_page_query_count_does_not_grow(client_as, officer):
    client = client_as(officer)
    partner = _add_counterparties(1, officer)[0]
    make.joint_research_contract(partner)
    services.partner_member_add(counterparty=partner, name="高橋 教授")
    services.theme_save(counterparty=partner, title="テーマ0")
    few = _queries(client, f"/partners/{partner.pk}/")
    for index in range(10):
        services.partner_member_add(counterparty=partner, name=f"学生{index}")
        make.approved_dd(partner, officer, performed_on=make.days_ago(5))
        make.joint_research_contract(partner, title=f"契約{index}")
        services.theme_save(counterparty=partner, title=f"テーマ{index + 1}")
    assert _queries(client, f"/partners/{partner.pk}/") == few


def test_theme_list_query_count_does_not_grow(client_as, officer):
    client = client_as(officer)
    partner = make.university()
    technology = make.technology()
    services.theme_save(counterparty=partner, title="テーマ", technologies=[technology])
    few = _queries(client, "/partners/themes/")
    for index in range(20):
        services.theme_save(
            counterparty=make.university(),
            title=f"テーマ{index}",
            technologies=[make.technology(f"技術{index}"), technology],
        )
    assert _queries(client, "/partners/themes/") == few
