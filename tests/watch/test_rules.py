"""The watch's rule: a finding for each watched person at or above the threshold."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamori.core.actor import acting_as
from mamori.findings.registry import RuleContext, registry, specs
from mamori.findings.selectors import finding_views, open_findings
from mamori.findings.templatetags.findings import object_url
from mamori.watch import services
from tests.watch.conftest import TODAY

pytestmark = pytest.mark.django_db


def run():
    return registry.run(specs(), RuleContext(today=TODAY), only=["watch.departure_risk"])


def test_departure_risk__fires_for_a_leaver_above_the_threshold(analysed):
    [finding] = run()
    ref = finding.objects[0]
    assert (ref.type, ref.id, ref.label) == ("watch.person", analysed.leaver.pk, "山本 翔太")
    assert "USBメモリなど外部記録媒体へのコピー" in finding.message("ja")
    assert "removable media" in finding.message("en")
    assert object_url(ref.as_dict()) == reverse("watch:person", kwargs={"pk": analysed.leaver.pk})


def test_departure_risk__not_below_the_threshold_nor_before_any_run(world, officer):
    assert run() == []
    with acting_as(officer):
        services.log_import(path=world.log, fmt="generic", user=officer)
        services.settings_save(
            before_days=90, after_days=30, work_start_hour=8, work_end_hour=20, threshold=100
        )
        services.analysis_run(user=officer, today=TODAY)
    assert run() == []


def test_departure_risk__appears_among_the_open_findings_after_a_run(analysed):
    views = finding_views(open_findings(rule="watch.departure_risk"))
    assert len(views) == 1 and "山本 翔太" in views[0].message
