"""Rules of the departure watch (set-based: one query over the latest run's results)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F

from mamori.engines.rules import Hit, ObjectRef
from mamori.findings.registry import RuleContext, object_alias, registry
from mamori.watch.models import PersonRisk
from mamori.watch.selectors import behaviours, latest_run

WATCH_PERSON = "watch.person"  # a person's page in the departure watch

# A person's page lists their departure-watch finding too (to those who may see the watch).
object_alias("people.person", WATCH_PERSON)


@registry.rule("watch.departure_risk")
def departure_risk(ctx: RuleContext) -> Iterator[Hit]:
    run = latest_run()
    if run is None:
        return
    rows = (
        PersonRisk.objects.filter(run=run, score__gte=F("run__threshold"))
        .select_related("person")
        .only("person__name", "score", "reasons", "person_id", "run_id")
        .order_by("-score", "person__name")
    )
    for row in rows:
        yield Hit(
            objects=(ObjectRef(WATCH_PERSON, row.person_id, row.person.name),),
            params={
                "person": row.person.name,
                "score": row.score,
                "behaviours": {"ja": behaviours(row, "ja"), "en": behaviours(row, "en")},
            },
        )
