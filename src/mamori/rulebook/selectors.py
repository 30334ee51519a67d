"""Reads of the information-management rules: the version in force, who acknowledged it
and who has not."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from mamori.people.models import Person, PersonStatus
from mamori.rulebook.models import RuleAcknowledgement, RuleDocument, RuleVersion


def in_force_ids(today: datetime.date) -> QuerySet:
    """Return the ids of the versions in force on ``today``: per document, the latest whose
    date has come (one query, usable as a subquery)."""
    latest = RuleVersion.objects.filter(
        document=OuterRef("document"), effective_from__lte=today
    ).order_by("-effective_from", "-pk")
    return RuleVersion.objects.filter(
        effective_from__lte=today, pk=Subquery(latest.values("pk")[:1])
    ).values("pk")


def versions_in_force(today: datetime.date | None = None) -> QuerySet[RuleVersion]:
    today = today or timezone.localdate()
    return (
        RuleVersion.objects.filter(pk__in=in_force_ids(today))
        .select_related("document")
        .order_by("document__title", "pk")
    )


def people_in_service() -> QuerySet[Person]:
    """Everyone who must know the rules: every person who has not left."""
    return Person.objects.exclude(status=PersonStatus.DEPARTED)


@dataclass(frozen=True)
class DocumentRow:
    document: RuleDocument
    in_force: RuleVersion | None
    upcoming: RuleVersion | None
    acknowledged: int
    pending: int


def document_register(*, query: str = "", today: datetime.date | None = None) -> list[DocumentRow]:
    """Return every set of rules with its version in force, the next one, and how many
    people in service have acknowledged the version in force (a fixed number of queries)."""
    today = today or timezone.localdate()
    documents = list(
        RuleDocument.objects.filter(Q(title__icontains=query) if query else Q()).order_by(
            "title", "pk"
        )
    )
    current = {v.document_id: v for v in versions_in_force(today)}
    upcoming: dict[int, RuleVersion] = {}
    for version in RuleVersion.objects.filter(effective_from__gt=today).order_by(
        "effective_from", "pk"
    ):
        upcoming.setdefault(version.document_id, version)
    counts = dict(
        RuleAcknowledgement.objects.filter(
            version_id__in=[v.pk for v in current.values()],
            person__in=people_in_service(),
        )
        .values("version_id")
        .annotate(n=Count("pk"))
        .values_list("version_id", "n")
    )
    total = people_in_service().count()
    rows = []
    for document in documents:
        version = current.get(document.pk)
        done = counts.get(version.pk, 0) if version else 0
        rows.append(
            DocumentRow(
                document, version, upcoming.get(document.pk), done, total - done if version else 0
            )
        )
    return rows


def document_detail(pk: Any) -> RuleDocument | None:
    return RuleDocument.objects.filter(pk=pk).first()


def document_versions(document: RuleDocument) -> QuerySet[RuleVersion]:
    return (
        document.versions.select_related("published_by")
        .annotate(acknowledged=Count("acknowledgements"))
        .order_by("-effective_from", "-pk")
    )


def version_in_force(document: RuleDocument, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return (
        document.versions.filter(effective_from__lte=today)
        .order_by("-effective_from", "-pk")
        .first()
    )


def version_detail(pk: Any) -> RuleVersion | None:
    return RuleVersion.objects.select_related("document", "published_by").filter(pk=pk).first()


def pending_people(version: RuleVersion) -> QuerySet[Person]:
    """People in service who have not acknowledged ``version``."""
    return (
        people_in_service()
        .exclude(rule_acknowledgements__version=version)
        .select_related("department")
        .order_by("name", "pk")
    )


def acknowledgements_of(version: RuleVersion) -> QuerySet[RuleAcknowledgement]:
    return version.acknowledgements.select_related("person", "recorded_by").order_by(
        "-acknowledged_on", "person__name", "pk"
    )


def my_rules(person: Person, today: datetime.date | None = None) -> list[tuple[RuleVersion, Any]]:
    """Return the versions in force, each with ``person``'s acknowledgement or ``None``."""
    versions = list(versions_in_force(today))
    acknowledged = {
        a.version_id: a
        for a in RuleAcknowledgement.objects.filter(
            person=person, version_id__in=[v.pk for v in versions]
        )
    }
    return [(version, acknowledged.get(version.pk)) for version in versions]


def my_rules_panel(person: Person) -> dict[str, Any]:
    """The context of the My Page panel (``rulebook/_my_rules.html``)."""
    return {"my_rules": my_rules(person)}


def pending_rows(user: Any = None) -> Iterator[dict[str, Any]]:
    """The rows of the export sheet of who has not acknowledged the versions in force."""
    for version in versions_in_force():
        for person in pending_people(version).iterator(chunk_size=2000):
            yield {
                "rules": version.document.title,
                "version": version.label,
                "effective_from": version.effective_from,
                "person": person.name,
                "employee_number": person.employee_number,
                "department": person.department.name if person.department else "",
            }
