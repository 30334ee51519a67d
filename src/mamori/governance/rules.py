"""Rules about the officer appointment and the security posture."""

from __future__ import annotations

from collections.abc import Iterator

from mamori.company.models import Company
from mamori.core.bilingual import bilingual_choice, bilingual_date
from mamori.engines.rules import Hit, ObjectRef
from mamori.findings.registry import RuleContext, registry
from mamori.governance.models import PostureArea, PostureMeasure
from mamori.governance.selectors import (
    appointments_in_force,
    overdue_measures,
)


@registry.rule("governance.officer_not_appointed")
def officer_not_appointed(ctx: RuleContext) -> Iterator[Hit]:
    # Once the company profile exists, i.e. the programme has started: a fresh install
    # walks the officer through the profile first.
    if Company.objects.exists() and not appointments_in_force(ctx.today).exists():
        yield Hit(objects=())


@registry.rule("governance.posture_review_overdue")
def posture_review_overdue(ctx: RuleContext) -> Iterator[Hit]:
    for measure, due in overdue_measures(ctx.today):
        area = bilingual_choice(PostureArea(measure.area))
        yield Hit(
            objects=(ObjectRef("governance.posturemeasure", measure.pk, area["ja"]),),
            params={
                "area": area,
                "due": bilingual_date(due),
            },
        )


@registry.requirement("governance.officer_appointed")
def officer_appointed(ctx: RuleContext) -> bool:
    current = appointments_in_force(ctx.today).first()
    return current is not None and current.reviewed_on is not None


@registry.requirement("governance.posture_recorded")
def posture_recorded(ctx: RuleContext) -> bool:
    recorded = set(PostureMeasure.objects.values_list("area", flat=True))
    return recorded >= set(PostureArea.values)
