"""The company's answers to the handbook's checklist rows, with evidence and comments.

A row is identified by its catalog id; a row nobody has touched yet has no answer and
counts as not started.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.core.models import BaseModel, optional_ref, part_of, user_field


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    # Set by mamori, never chosen: a done row whose register check stopped passing. It
    # does not count as done until the check passes again or the officer records an
    # exception (``services.checklist_recheck``).
    NEEDS_REVIEW = "needs_review", _("Needs review")


class ChecklistAnswer(BaseModel):
    row_id = models.CharField(_("checklist row"), max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    not_applicable_reason = models.TextField(_("reason it does not apply"), blank=True)
    owner = optional_ref(
        settings.AUTH_USER_MODEL,
        _("owner"),
        on_delete=models.SET_NULL,
        related_name="checklist_answers",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # The officer may let a row count as done although the registers disagree, with a
    # reason (e.g. the measure is proven by a document outside mamori).
    exception_reason = models.TextField(_("exception to the derived check"), blank=True)
    exception_by = user_field(_("exception recorded by"))
    exception_on = models.DateField(_("exception recorded on"), null=True, blank=True)
    # Why and since when a done row needs review (empty otherwise).
    review_reason = models.TextField(_("why the row needs review"), blank=True)
    review_since = models.DateTimeField(_("needs review since"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="not_applicable") | ~models.Q(not_applicable_reason=""),
                name="answer_not_applicable_has_reason",
            )
        ]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        from mamori.catalog.selectors import get_catalog

        catalog = get_catalog()
        if not catalog.has_row(self.row_id):
            return self.row_id
        return catalog.row(self.row_id).title.get(get_language() or "ja")

    def audit_label(self) -> str:
        from mamori.catalog.selectors import get_catalog

        catalog = get_catalog()
        return catalog.row(self.row_id).title.ja if catalog.has_row(self.row_id) else self.row_id


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # The stored name is generated; the user's file name is kept in ``original_name``
    # only, so a crafted name can never choose where the file lands.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}"


class Evidence(BaseModel):
    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    answer = part_of(ChecklistAnswer, _("checklist row"), related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    effective_date = models.DateField(_("effective date"))
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("file type"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    added_by = user_field(_("added by"), required=True)

    name_field = "title"
    audit_parent_field = "answer"

    class Meta:
        ordering = ["-effective_date", "-pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class Comment(BaseModel):
    answer = part_of(ChecklistAnswer, _("checklist row"), related_name="comments")
    author = user_field(_("author"), required=True)
    body = models.TextField(_("comment"))

    audit_parent_field = "answer"

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


class StatusChange(BaseModel):
    """A change of a row's status made because of the register check: done → needs review
    when the check stops passing, back to done when it passes again or the officer records
    an exception. ``changed_by`` is empty when mamori's check made the change."""

    answer = part_of(ChecklistAnswer, _("checklist row"), related_name="status_changes")
    from_status = models.CharField(_("status before"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("status after"), max_length=20, choices=Status.choices)
    reason = models.TextField(_("reason for the change"))
    changed_by = user_field(_("changed by"))

    audit_parent_field = "answer"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}: {self.reason}"
