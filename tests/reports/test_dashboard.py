"""The dashboard shows the stage and the progress by channel."""

from __future__ import annotations

import re

import pytest

from mamori.assessment import services

pytestmark = pytest.mark.django_db


def _channel_counts(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-channel="([a-z_]+)">([^<]+)<', page))


def test_dashboard_shows_stage_and_progress_by_channel(
    client_as, officer, company_at_stage, officer_appointed
):
    company_at_stage("seed_early")
    client = client_as(officer)
    page = client.get("/").content.decode()
    assert "シード～アーリー期" in page
    assert _channel_counts(page)["common"] == "0/3 (0%)"

    services.answer_update(row_id="urn:mamori:row:common:organisation", status="done")
    page = client.get("/").content.decode()
    assert _channel_counts(page)["common"] == "1/3 (33%)"
    assert _channel_counts(page)["people"] == "0/2 (0%)"


def test_a_channel_where_nothing_applies_says_so(client_as, officer, company_at_stage):
    company_at_stage("seed_early")
    for row in ("overseas_production:contract-scope", "overseas_production:partner-dd"):
        services.answer_update(
            row_id=f"urn:mamori:row:{row}",
            status="not_applicable",
            not_applicable_reason="予定なし",
        )
    page = client_as(officer).get("/").content.decode()
    assert _channel_counts(page)["overseas_production"] == "該当なし"


def test_before_any_stage_the_dashboard_says_what_to_do_next(client_as, officer):
    page = client_as(officer).get("/").content.decode()
    assert "会社情報を入力する" in page


def test_employees_are_sent_to_their_own_page(client_as, employee):
    response = client_as(employee).get("/")
    assert response.status_code == 302 and response["Location"] == "/people/me/"
