"""Reads of the audit log."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.audit.models import Action, AuditEntry
from mamori.audit.services import object_type_of
from mamori.core import access
from mamori.core.selectors import filter_given

# What a masked value reads as on the page and in the CSV.
HIDDEN = gettext_lazy("Hidden (need-to-know)")


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
    entries = filter_given(entries, action=action, actor_label=actor, object_type=object_type)
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


def entry_facets() -> dict[str, list[Any]]:
    """Return the object types present, grouped by register and named as people read them,
    and the actors present as (username, full name), for the filter drop-downs."""
    from mamori.audit.reading import ACTOR_NAMES, object_type_groups

    types = (
        AuditEntry.objects.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
    labels = list(
        AuditEntry.objects.order_by("actor_label").values_list("actor_label", flat=True).distinct()
    )
    users = {
        user.get_username(): (user.display_name or user.get_username())
        for user in get_user_model()._base_manager.filter(username__in=labels)
    }
    actors = [(label, users.get(label) or str(ACTOR_NAMES.get(label, label))) for label in labels]
    return {
        "object_types": object_type_groups(types),
        "actors": sorted(actors, key=lambda actor: actor[1]),
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


class SecretMask:
    """Hide the values of secret fields (``TrackedModel.audit_secret``) in the entries of
    objects whose details ``user`` may not see (need-to-know, ``mamori.core.access``).

    The log keeps every value, so the chain of hashes is untouched and those entitled
    read the full history; the mask applies where entries are shown or exported. A
    ``user`` of ``None`` is the command line, which sees everything (like the officer).
    """

    def __init__(self, user: Any):
        self.user = user
        self.hidden = str(HIDDEN)  # in the language of the request, even when streaming
        self._visible: dict[str, set[str] | None] = {}

    def _secret_fields(self, label: str) -> frozenset[str]:
        if not label or not access.protected_label(label):
            return frozenset()
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            return frozenset()
        return getattr(model, "audit_secret", frozenset())

    def _may_see(self, label: str, pk: str) -> bool:
        if self.user is None:
            return True
        if label not in self._visible:
            self._visible[label] = access.visible_pks(self.user, label)
        visible = self._visible[label]
        return visible is None or pk in visible

    def apply(self, entry: AuditEntry) -> AuditEntry:
        """Return ``entry`` with its secret values replaced by ``HIDDEN`` when the user
        may not see them (the entry is changed in memory only, never saved)."""
        secret = self._secret_fields(entry.object_type)
        if not secret or not isinstance(entry.changes, dict):
            return entry
        if not secret.intersection(entry.changes) or self._may_see(
            entry.object_type, entry.object_id
        ):
            return entry
        entry.changes = {
            name: self.hidden if name in secret else change
            for name, change in entry.changes.items()
        }
        entry.masked = True
        return entry

    def entries(self, entries: Iterable[AuditEntry]) -> Iterator[AuditEntry]:
        for entry in entries:
            yield self.apply(entry)
