"""Findings as last evaluated, and the work on them.

The rules decide whether a problem exists: the engine opens a finding, keeps it while the
problem persists (its ``key`` stays the same) and resolves it when the problem goes away;
those changes are written to the finding's history, not to the audit log (they follow from
changes of the registers, which are audited). People work a finding: its owner, status,
a risk acceptance until a date with the officer's reason, and comments — those changes are
audited (``Finding`` is tracked for its work fields only) and written to the history too.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mamori.core.models import BaseModel, PageModel, TrackedModel, optional_ref


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTED = "accepted", _("Risk accepted")
    RESOLVED = "resolved", _("Resolved")


# Statuses of a problem that still exists (the rules still find it).
UNRESOLVED = (FindingStatus.OPEN, FindingStatus.IN_PROGRESS, FindingStatus.ACCEPTED)
# Statuses that ask for work now.
ACTIVE = (FindingStatus.OPEN, FindingStatus.IN_PROGRESS)


class Finding(PageModel, TrackedModel):
    key = models.CharField(max_length=40, unique=True)
    rule = models.CharField(_("rule"), max_length=80, db_index=True)
    severity = models.PositiveSmallIntegerField(_("severity"), db_index=True)
    params = models.JSONField(default=dict)
    refs_data = models.JSONField(default=list)  # [{type, id, label}], subject first
    subject_type = models.CharField(max_length=60, blank=True, default="")
    subject_id = models.CharField(max_length=60, blank=True, default="")
    first_seen = models.DateTimeField(_("first seen"))
    changed_at = models.DateTimeField(_("changed at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FindingStatus.choices,
        default=FindingStatus.OPEN,
        db_index=True,
    )
    owner = optional_ref(
        settings.AUTH_USER_MODEL, _("owner"), on_delete=models.SET_NULL, related_name="findings"
    )
    # Chosen by hand on the finding's page: the rule's owner no longer applies.
    owner_by_hand = models.BooleanField(default=False)
    accepted_until = models.DateField(_("risk accepted until"), null=True, blank=True)
    accepted_reason = models.TextField(_("reason for accepting the risk"), blank=True)
    accepted_by = optional_ref(
        settings.AUTH_USER_MODEL, _("risk accepted by"), on_delete=models.SET_NULL, related_name="+"
    )

    # The engine's fields change with the registers; only the work on a finding is audited.
    audit_exclude: ClassVar[frozenset[str]] = frozenset(
        {"params", "refs_data", "first_seen", "changed_at", "severity", "key"}
    )

    page_url = "findings:finding"

    class Meta:
        ordering = ["-severity", "rule", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        indexes = [models.Index(fields=["rule", "subject_id"])]

    def __str__(self) -> str:
        return self._named(translation.get_language() or "ja")

    def audit_label(self) -> str:
        """Return the rule's title in Japanese (the log keeps one name) and the subject."""
        return self._named("ja")[:200]

    def _named(self, language: str) -> str:
        from mamori.findings.registry import specs

        label = self.refs_data[0].get("label", "") if self.refs_data else ""
        spec = specs().rules.get(self.rule)
        title = spec.title.get(language) if spec is not None else self.rule
        return f"{title}：{label}".strip("：")


class FindingObject(models.Model):
    """An object a finding concerns, for listing findings on that object's page."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="refs")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"


class EventKind(models.TextChoices):
    OPENED = "opened", pgettext_lazy("finding event", "Found")
    REOPENED = "reopened", _("Found again")
    RESOLVED = "resolved", _("No longer found")
    STATUS = "status", _("Status changed")
    ACCEPTED = "accepted", _("Risk accepted")
    EXPIRED = "expired", _("Risk acceptance expired")
    OWNER = "owner", _("Owner changed")


class FindingEvent(models.Model):
    """One line of a finding's history (who, when, what)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=FindingStatus.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at}"


class FindingComment(BaseModel):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))

    audit_parent_field = "finding"

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")

    def __str__(self) -> str:
        return self.text[:60]


class FindingsState(models.Model):
    """How far the findings are evaluated (single row, ``pk=1``).

    ``audit_seq`` is the last audit entry whose change has been taken into account;
    ``evaluated_at`` the last full run, ``updated_at`` the last evaluation of any kind;
    ``pending_rules`` the rules queued for a whole re-evaluation in the background.
    """

    audit_seq = models.PositiveBigIntegerField(default=0)
    evaluated_on = models.DateField(null=True)
    evaluated_at = models.DateTimeField(null=True)
    duration_ms = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True)
    pending_rules = models.JSONField(default=list)
    full_requested_on = models.DateField(null=True)

    def __str__(self) -> str:
        return f"evaluated at {self.evaluated_at}"
