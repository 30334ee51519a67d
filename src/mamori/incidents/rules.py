"""Rules about incidents and the concerns reported."""

from __future__ import annotations

from collections.abc import Iterator

from mamori.core.bilingual import bilingual_date
from mamori.engines.rules import Hit, ObjectRef
from mamori.findings.registry import RuleContext, registry
from mamori.incidents.models import ConcernReport
from mamori.incidents.selectors import containment_due, incidents_not_contained
from mamori.incidents.services import containment_days

INCIDENT = "incidents.incident"
CONCERN_REVIEW_DAYS = 7  # mamori's own: a week for the officer to look at a concern


@registry.rule("incidents.not_contained")
def not_contained(ctx: RuleContext) -> Iterator[Hit]:
    days = containment_days()
    rows = ctx.narrow(incidents_not_contained(today=ctx.today, days=days))
    for incident in rows.only("pk", "found_on"):
        # The finding names the incident by number: its title may itself be sensitive.
        yield Hit(
            objects=(ObjectRef(INCIDENT, incident.pk, f"#{incident.pk}"),),
            params={
                "number": incident.pk,
                "found": bilingual_date(incident.found_on),
                "due": bilingual_date(containment_due(incident, days)),
                "days": days,
            },
        )


@registry.rule("incidents.concern_not_reviewed")
def concern_not_reviewed(ctx: RuleContext) -> Iterator[Hit]:
    rows = ConcernReport.objects.filter(reviewed_on__isnull=True, incident__isnull=True)
    for pk, occurred_on in rows.order_by("created_at", "pk").values_list("pk", "occurred_on"):
        if (ctx.today - occurred_on).days > CONCERN_REVIEW_DAYS:
            yield Hit(
                objects=(ObjectRef("incidents.concernreport", pk, f"#{pk}"),),
                params={"number": pk, "date": bilingual_date(occurred_on)},
            )
