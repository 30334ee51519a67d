"""Rules about people leaving."""

from __future__ import annotations

from collections.abc import Iterator

from mamori.engines.rules import Hit, ObjectRef
from mamori.findings.registry import RuleContext, registry
from mamori.lifecycle.models import Departure, RetentionOption
from mamori.people.models import PersonStatus


@registry.rule("lifecycle.key_engineer_leaving_without_retention")
def key_engineer_leaving_without_retention(ctx: RuleContext) -> Iterator[Hit]:
    rows = (
        ctx.narrow(
            Departure.objects.filter(
                person__is_key_engineer=True,
                person__status=PersonStatus.NOTIFIED,
                retention_option=RetentionOption.NONE,
            ),
            "person_id",
        )
        .values_list("person_id", "person__name")
        .order_by("person__name")
    )
    for person_id, name in rows:
        yield Hit(objects=(ObjectRef("people.person", person_id, name),), params={"person": name})
