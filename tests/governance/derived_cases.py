"""Derived-status cases for the officer appointment and the security posture rows."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mamori.governance.models import PostureMeasure
from tests.findings.cases import Case
from tests.governance import factories as make


def organisation_ok() -> None:
    make.appointment()


def organisation_not_yet() -> None:
    make.appointment(reviewed_on=None, reviewed_by="")  # not reviewed by the executives


def posture_ok() -> None:
    make.whole_posture()


def posture_not_yet() -> None:
    make.whole_posture()
    # Recorded 13 months ago and never reviewed since: the yearly review is overdue.
    PostureMeasure.objects.filter(area="cyber").update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )


CASES: list[Case] = [
    Case(
        "urn:mamori:row:common:organisation",
        organisation_ok,
        organisation_not_yet,
        "責任者の任命が記録され、経営層が確認している",
    ),
    Case(
        "urn:mamori:row:joint_research:security-posture",
        posture_ok,
        posture_not_yet,
        "セキュリティ体制の見直し期限切れ (1)",
    ),
]
