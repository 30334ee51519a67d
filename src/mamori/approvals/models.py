"""An approval request: what someone asked, about which object, and who decided it."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.core.models import BaseModel, PageModel, user_field


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApprovalRequest(PageModel, BaseModel):
    # The registered kind (``mamori.approvals.registry``); a stable key, not shown.
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    # The object the request is about, named as the audit log names objects (model label
    # and key), so that any app's object can be the subject and a backup restores it.
    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=100)
    subject_repr = models.CharField(_("about"), max_length=200)
    data = models.JSONField(default=dict, blank=True)
    request_reason = models.CharField(_("why it is needed"), max_length=500, blank=True)
    requested_by = user_field(_("requested by"), required=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.PENDING,
        db_index=True,
    )
    decided_by = user_field(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)
    # What approving made (the grant), named like the subject.
    result_type = models.CharField(max_length=100, blank=True)
    result_id = models.CharField(max_length=100, blank=True)

    page_url = "approvals:request"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject_repr}"

    def audit_label(self) -> str:
        return self.subject_repr

    @classmethod
    def audit_value_label(cls, name: str, value: Any) -> str | None:
        if name != "kind":
            return None
        from mamori.approvals.registry import kind_get

        try:
            return str(kind_get(value).label)
        except KeyError:
            return None

    @property
    def is_pending(self) -> bool:
        return self.status == ApprovalStatus.PENDING

    def subject(self) -> Any:
        """Return the subject object, or ``None`` when it no longer exists."""
        try:
            model = apps.get_model(self.subject_type)
        except (LookupError, ValueError):
            return None
        return model._default_manager.filter(pk=self.subject_id).first()
