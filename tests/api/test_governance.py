"""The officer appointment and security posture API: programme readers read them."""

from __future__ import annotations

import pytest

from mamori.governance.models import PostureArea
from tests.governance import factories as make

pytestmark = pytest.mark.django_db


def test_programme_readers_read_the_appointment_and_the_posture(api, auditor, employee):
    appointment = make.appointment()
    make.measure(PostureArea.CYBER)
    client = api(auditor)
    [row] = client.get("/api/officer-appointments/").json()["results"]
    assert row["id"] == appointment.pk and row["reviewed_by"] == "取締役会"
    [area] = client.get("/api/security-posture/?area=cyber").json()["results"]
    assert area["area"] == "cyber" and area["reviews"] == []
    assert api(employee).get("/api/security-posture/").status_code == 403
