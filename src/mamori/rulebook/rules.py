"""Rules about the information-management rules: everyone in service has acknowledged the
version in force."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q

from mamori.core.bilingual import bilingual_date
from mamori.engines.rules import Hit, ObjectRef
from mamori.findings.registry import RuleContext, registry
from mamori.rulebook.models import RuleAcknowledgement
from mamori.rulebook.selectors import people_in_service, versions_in_force

# mamori's default, not the handbook's: the time a person has to read a new version (or
# the rules in force when they join) before it counts as not acknowledged.
GRACE_DAYS = 14


@registry.rule("rulebook.not_acknowledged")
def not_acknowledged(ctx: RuleContext) -> Iterator[Hit]:
    cutoff = ctx.today - datetime.timedelta(days=GRACE_DAYS)
    for version in versions_in_force(ctx.today).filter(effective_from__lte=cutoff):
        done = RuleAcknowledgement.objects.filter(version=version).values("person_id")
        people = (
            ctx.narrow(people_in_service())
            .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=cutoff))
            .exclude(pk__in=done)
            .values_list("pk", "name")
            .order_by("name", "pk")
        )
        for pk, name in people:
            yield Hit(
                objects=(
                    ObjectRef("people.person", pk, name),
                    ObjectRef("rulebook.ruledocument", version.document_id, version.document.title),
                ),
                params={
                    "person": name,
                    "rules": version.document.title,
                    "version": version.label,
                    "since": bilingual_date(version.effective_from),
                },
            )


@registry.requirement("rulebook.rules_in_force")
def rules_in_force(ctx: RuleContext) -> bool:
    return versions_in_force(ctx.today).exists()
