"""The register lists make the same number of queries whatever the size of the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mamori.assets import services
from tests.assets import factories as make

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # warm up: findings are evaluated on the first read after a change
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _add_assets(count: int, technology, owners) -> None:
    for index in range(count):
        asset = make.asset(owner=owners[index % len(owners)], technologies=[technology])
        for person in owners[: 1 + index % 3]:
            make.grant(person, asset)


def test_asset_list_query_count_does_not_grow(client_as, editor):
    technology = make.technology()
    owners = [make.person() for _ in range(3)]
    client = client_as(editor)
    _add_assets(3, technology, owners)
    few = _queries(client, "/assets/")
    _add_assets(30, technology, [*owners, make.person(), make.person()])
    many = _queries(client, "/assets/")
    assert many == few
    assert _queries(client, f"/assets/?technology={technology.pk}&page=1") == few


def test_technology_list_query_count_does_not_grow(client_as, editor):
    client = client_as(editor)
    owner = make.person()
    make.technology("技術0", owner=owner)
    few = _queries(client, "/assets/technologies/")
    for index in range(1, 25):
        technology = make.technology(f"技術{index}", owner=make.person())
        make.asset(technologies=[technology])
        services.classification_record(
            technology=technology,
            result="not_controlled",
            judged_by="担当",
            judged_on=technology.created_at.date(),
        )
    assert _queries(client, "/assets/technologies/") == few


def test_review_page_query_count_does_not_grow(client_as, officer):
    client = client_as(officer)
    asset = make.asset()
    make.grant(make.person(), asset)
    review = services.review_open_periodic(title="見直し")
    few = _queries(client, f"/assets/reviews/{review.pk}/")
    for _ in range(20):
        make.grant(make.person(), asset)
    bigger = services.review_open_periodic(title="見直し2")
    assert _queries(client, f"/assets/reviews/{bigger.pk}/") == few
