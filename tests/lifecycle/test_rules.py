"""The rule about key engineers who leave with no retention step considered."""

from __future__ import annotations

import pytest

from mamori.findings.registry import RuleContext, registry, specs
from mamori.lifecycle import services
from mamori.lifecycle.models import RetentionOption
from tests.findings import factories as f

pytestmark = pytest.mark.django_db

RULE = "lifecycle.key_engineer_leaving_without_retention"


def _hits() -> list:
    return registry.run(specs(), RuleContext(today=f.today()), only=[RULE])


def test_fires_for_a_key_engineer_who_gave_notice_with_nothing_considered():
    engineer = f.person("木村 亮", is_key_engineer=True)
    services.person_give_notice(person=engineer, notice_on=f.today())
    [finding] = _hits()
    assert finding.objects[0].type == "people.person" and finding.objects[0].id == engineer.pk
    assert "木村 亮" in finding.message("ja") and "木村 亮" in finding.message("en")


@pytest.mark.parametrize(
    "option", [RetentionOption.ADVISOR, RetentionOption.ALUMNI, RetentionOption.NOT_NEEDED]
)
def test_silent_once_a_retention_step_is_recorded(option):
    engineer = f.person("木村 亮", is_key_engineer=True)
    departure = services.person_give_notice(person=engineer, notice_on=f.today())
    services.departure_update(departure=departure, retention_option=option, retention_note="検討済")
    assert _hits() == []


def test_silent_for_other_leavers_for_staying_key_engineers_and_after_departure():
    f.person("在籍 技術者", is_key_engineer=True)
    ordinary = f.person("一般 社員")
    services.person_give_notice(person=ordinary, notice_on=f.today())
    assert _hits() == []
    engineer = f.person("木村 亮", is_key_engineer=True)
    services.person_give_notice(person=engineer, notice_on=f.today())
    assert len(_hits()) == 1
    services.person_depart(person=engineer, departed_on=f.today())
    assert _hits() == []
