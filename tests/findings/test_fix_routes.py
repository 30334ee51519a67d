"""Every finding the demo produces has a fix button, and the page it leads to answers
200 for the officer; every rule names its fix as a route."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from mamori.accounts.models import User
from mamori.findings.models import Finding, FindingStatus
from mamori.findings.registry import specs
from mamori.findings.selectors import finding_views


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_every_rule_names_its_fix_as_a_route():
    assert [rule.id for rule in specs().rules.values() if rule.route is None] == []


@pytest.mark.django_db
def test_every_demo_finding_has_a_fix_button_that_answers_200_for_the_officer(demo):
    client = Client()
    client.force_login(User.objects.get(username="sato"))
    views = finding_views(Finding.objects.exclude(status=FindingStatus.RESOLVED))
    assert len(views) >= 10
    answers = {}
    for view in views:
        url = view.fix_url
        answers[view.finding.rule] = client.get(url).status_code if url else "no button"
    assert {rule: answer for rule, answer in answers.items() if answer != 200} == {}


@pytest.mark.django_db
def test_the_demo_shows_owners_an_accepted_and_a_resolved_finding(demo):
    statuses = set(Finding.objects.values_list("status", flat=True))
    assert {"open", "in_progress", "accepted", "resolved"} <= statuses
    owners = set(Finding.objects.values_list("owner__username", flat=True))
    assert {"sato", "suzuki"} <= owners
    suzuki = Client()
    suzuki.force_login(User.objects.get(username="suzuki"))
    dashboard = suzuki.get("/").content.decode()
    assert 'id="my-findings"' in dashboard and "山本 翔太" in dashboard
