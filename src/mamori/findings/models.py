"""Findings as last evaluated: derived data, rebuilt by ``findings_refresh``.

Findings are not audited (they change when the registers change, which is audited).
A finding keeps its identity (``key``) while the same problem persists, so that it can
show since when a problem has been open.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Finding(models.Model):
    key = models.CharField(max_length=40, unique=True)
    rule = models.CharField(_("rule"), max_length=80, db_index=True)
    severity = models.PositiveSmallIntegerField(_("severity"), db_index=True)
    params = models.JSONField(default=dict)
    refs_data = models.JSONField(default=list)  # [{type, id, label}], subject first
    first_seen = models.DateTimeField(_("first seen"))
    changed_at = models.DateTimeField(_("changed at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-severity", "rule", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.rule} {self.key}"


class FindingObject(models.Model):
    """An object a finding concerns, for listing findings on that object's page."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="refs")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"


class FindingsState(models.Model):
    """When findings were last evaluated (single row, ``pk=1``)."""

    audit_seq = models.PositiveBigIntegerField(default=0)
    evaluated_on = models.DateField(null=True)
    evaluated_at = models.DateTimeField(null=True)
    duration_ms = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"evaluated at {self.evaluated_at}"
