"""The dashboard and the registers page make the same number of queries at any size."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mamori.assets import services as asset_services
from mamori.assets.models import SecrecyClass
from mamori.core.actor import acting_as
from mamori.lifecycle import services as lifecycle_services
from mamori.people import services as people_services

pytestmark = pytest.mark.django_db


def _add_registers(officer, count: int, offset: int) -> None:
    secret = SecrecyClass.objects.get(name="秘")
    with acting_as(officer):
        for index in range(offset, offset + count):
            person = people_services.person_create(name=f"社員{index}")
            asset = asset_services.asset_save(
                name=f"資料{index}", kind="document", secrecy_class=secret, marking=""
            )
            asset_services.grant_create(
                person=person, asset=asset, reason="業務", granted_by=officer
            )
            if index % 2:
                lifecycle_services.person_give_notice(
                    person=person, notice_on=datetime.date(2026, 11, 1)
                )


def _queries(client, url: str) -> int:
    client.get(url)  # findings are evaluated on the first read after a change
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("url", ["/", "/registers/", "/findings/"])
def test_query_count_is_flat(client_as, officer, company_at_stage, url):
    company_at_stage("seed_early")
    client = client_as(officer)
    _add_registers(officer, 3, 0)
    few = _queries(client, url)
    _add_registers(officer, 30, 3)
    assert _queries(client, url) == few
