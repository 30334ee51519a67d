"""The number of queries of a list does not grow with the rows it answers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mamori.demo.builder import build_demo
from tests.api.test_access import LISTS
from tests.assets import factories as make
from tests.contracts import factories as contracts

pytestmark = pytest.mark.django_db


def queries(client, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200, path
    return len(captured)


def test_every_list_costs_the_same_for_one_row_or_a_page(client_as, settings, tmp_path):
    settings.WATCH_DIR = tmp_path / "watch"  # the demo's log store, one per test
    users = build_demo()
    client = client_as(users["sato"])
    for path in LISTS:
        client.get(path)  # findings are evaluated on the first read
    paged = [path for path in LISTS if path != "/api/checklist/"]
    for path in paged:
        rows = client.get(path, {"limit": 100}).json()["count"]
        one, page = queries(client, path, limit=1), queries(client, path, limit=100)
        assert one == page, f"{path}: {one} queries for one row, {page} for {rows}"


@pytest.mark.parametrize("rows", [3, 15])
def test_people_and_contracts_lists_have_a_fixed_number_of_queries(
    client_as, officer, django_assert_max_num_queries, rows
):
    party = contracts.counterparty()
    for index in range(rows):
        person = make.person(f"社員{index}")
        asset = make.asset(f"資料{index}", owner=person)
        make.grant(person, asset)
        contracts.contract(party, scope=[asset])
    client = client_as(officer)
    with django_assert_max_num_queries(8):
        assert client.get("/api/people/").json()["count"] == rows
    with django_assert_max_num_queries(8):
        assert client.get("/api/contracts/").json()["count"] == rows
    with django_assert_max_num_queries(8):
        assert client.get("/api/grants/").json()["count"] == rows
