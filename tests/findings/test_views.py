"""The findings list: filters, bad filter values, and who may see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamori.accounts.roles import Role
from mamori.lifecycle import services as lifecycle_services
from tests.findings import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("findings:finding_list")


@pytest.fixture
def findings():
    """A critical finding (a leaver with access) and a medium one (a secret without owner)."""
    person = f.person("高橋 健")
    f.grant(person, f.asset("電解液の配合表"))
    lifecycle_services.person_give_notice(person=person, notice_on=f.today())
    f.asset("持ち主のない図面", owner=None)


def _rules(client, query: str = "") -> list[str]:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return [view.finding.rule for view in response.context["findings"]]


def test_list_shows_every_open_finding_worst_first(client_as, editor, findings):
    rules = _rules(client_as(editor))
    assert "assets.leaver_holds_access" in rules and "assets.secret_without_owner" in rules
    assert rules[0] == "assets.leaver_holds_access"


def test_list_filters_by_rule_and_by_severity(client_as, editor, findings):
    client = client_as(editor)
    assert set(_rules(client, "?rule=assets.secret_without_owner")) == {
        "assets.secret_without_owner"
    }
    assert set(_rules(client, "?severity=4")) == {"assets.leaver_holds_access"}
    assert "assets.secret_without_owner" in _rules(client, "?severity=2")
    assert _rules(client, "?rule=assets.secret_without_owner&severity=4") == []


@pytest.mark.parametrize(
    "query",
    ["?rule=no.such.rule", "?severity=abc", "?severity=9", "?rule=&severity=-1", "?page=zz"],
)
def test_bad_filter_values_are_ignored(client_as, editor, findings, query):
    client = client_as(editor)
    response = client.get(LIST + query)
    assert response.status_code == 200
    assert response.context["selected_rule"] == "" and response.context["selected_severity"] == 0
    assert sorted(_rules(client, query)) == sorted(_rules(client))


@pytest.mark.parametrize("role", list(Role))
def test_only_programme_readers_see_findings(client_as, make_user, findings, role):
    status = client_as(make_user(role)).get(LIST).status_code
    assert status == (403 if role == Role.EMPLOYEE else 200)


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_findings_of_a_restricted_rule_are_shown_only_to_users_with_its_capability(
    client_as, officer, editor, auditor, company_at_stage
):
    """The departure watch's findings need WATCH_VIEW: editors must not read them anywhere."""
    from django.utils import timezone

    company_at_stage("seed_early")

    from mamori.findings.models import Finding
    from mamori.findings.services import findings_refresh

    findings_refresh()
    Finding.objects.create(
        key="restricted-test",
        rule="watch.departure_risk",
        severity=3,
        params={"person": "山本 翔太", "score": 91, "behaviours": "USB"},
        refs_data=[{"type": "watch.person", "id": 1, "label": "山本 翔太"}],
        first_seen=timezone.now(),
        changed_at=timezone.now(),
    )
    for user, visible in ((officer, True), (auditor, True), (editor, False)):
        client = client_as(user)
        for url in ("/findings/", "/", "/findings/findings.json", "/api/findings/"):
            page = client.get(url).content.decode()
            assert ("山本 翔太" in page) is visible, (user.username, url)
