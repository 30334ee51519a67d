"""The demo records the officer's appointment (so its done organisation row holds) and
three of the four areas of the security posture."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from mamori.findings.selectors import derived_check
from mamori.governance import selectors
from tests.governance import factories as make

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_appointment_and_three_areas():
    call_command("demo")
    current = selectors.appointment_current()
    assert current.person.name == "佐藤 美咲" and current.reviewed_on is not None
    assert derived_check("urn:mamori:row:common:organisation").satisfied
    recorded = [row.area for row in selectors.posture(make.today()) if row.measure]
    assert recorded == ["access_rights", "physical", "security_person"]
    assert not derived_check("urn:mamori:row:joint_research:security-posture").satisfied
