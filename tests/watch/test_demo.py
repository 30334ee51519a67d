"""The demo company comes with logs: 山本 翔太 copied process conditions to USB before his
notice, and the departure watch says so."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamori.demo.builder import build_demo
from mamori.watch.models import LogImport, PersonRisk

pytestmark = pytest.mark.django_db


def test_the_demo_shows_yamamotos_usb_copies(client_as):
    users = build_demo()
    risk = PersonRisk.objects.select_related("person", "run").get(person__name="山本 翔太")
    assert risk.score >= risk.run.threshold
    assert "removable" in [reason["code"] for reason in risk.reasons[:3]]
    assert any("成膜条件" in event["object"] for event in risk.top_events)
    assert LogImport.objects.filter(status="imported").count() == 3
    assert sum(LogImport.objects.values_list("added", flat=True)) < 5000
    page = client_as(users["sato"]).get(reverse("watch:index")).content.decode()
    assert "山本 翔太" in page
    assert client_as(users["suzuki"]).get(reverse("watch:index")).status_code == 403
