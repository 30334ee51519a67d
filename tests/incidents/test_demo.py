"""The demo tells the incident story: one incident contained in time (no finding), its
evidence intact, a consultation with INPIT taken from the catalog, and an employee's concern
waiting in the officer's queue."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from mamori.accounts.models import User
from mamori.findings.registry import RuleContext, registry, specs
from mamori.incidents import services
from mamori.incidents.models import ConcernReport, Incident
from tests.incidents import factories as make

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_contained_incident_and_a_waiting_concern(client_as):
    call_command("demo")
    incident = Incident.objects.get()
    assert incident.containment.exists() and services.evidence_intact(incident.evidence.get())
    assert incident.consultations.get().contact_id == "urn:mamori:contact:inpit"
    concern = ConcernReport.objects.get()
    assert concern.reported_by.username == "takahashi" and concern.reviewed_on is None
    context = RuleContext(today=make.today())
    assert registry.run(specs(), context, only=["incidents.not_contained"]) == []
    officer = User.objects.get(username="sato")
    assert (
        f'data-concern="{concern.pk}"'
        in client_as(officer).get("/incidents/concerns/").content.decode()
    )
