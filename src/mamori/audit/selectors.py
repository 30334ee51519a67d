"""Reads of the audit log."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from mamori.audit.models import Action, AuditEntry
from mamori.audit.services import object_type_of


def entry_list(
    *,
    query: str = "",
    action: str = "",
    actor: str = "",
    object_type: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Return entries matching the filters, newest first."""
    entries = AuditEntry.objects.all()
    if query:
        entries = entries.filter(
            Q(object_repr__icontains=query) | Q(object_id=query) | Q(actor_label__icontains=query)
        )
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_label=actor)
    if object_type:
        entries = entries.filter(object_type=object_type)
    tz = timezone.get_current_timezone()
    if date_from:
        start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
        entries = entries.filter(at__gte=start)
    if date_to:
        end = datetime.datetime.combine(
            date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        entries = entries.filter(at__lt=end)
    return entries.order_by("-seq")


def entry_facets() -> dict[str, list[str]]:
    """Return the object types and actors present, for the filter drop-downs."""
    return {
        "object_types": list(
            AuditEntry.objects.exclude(object_type="")
            .order_by("object_type")
            .values_list("object_type", flat=True)
            .distinct()
        ),
        "actors": list(
            AuditEntry.objects.order_by("actor_label")
            .values_list("actor_label", flat=True)
            .distinct()
        ),
    }


def history_for(obj) -> QuerySet[AuditEntry]:
    """Return the entries about ``obj`` and about its parts (evidence of an answer...)."""
    object_type, object_id = object_type_of(obj), str(obj.pk)
    return AuditEntry.objects.filter(
        Q(object_type=object_type, object_id=object_id)
        | Q(parent_type=object_type, parent_id=object_id)
    ).order_by("-seq")


def recent_entries(limit: int = 10) -> QuerySet[AuditEntry]:
    """Return the newest changes (creations, updates, deletions), newest first."""
    changes = [Action.CREATE, Action.UPDATE, Action.DELETE]
    return AuditEntry.objects.filter(action__in=changes).order_by("-seq")[:limit]
