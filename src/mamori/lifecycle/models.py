"""The departure checklist opened when a person gives notice."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.core.models import BaseModel
from mamori.people.models import Person


class RetentionOption(models.TextChoices):
    # The options the handbook names for engineers with know-how (later stage).
    NONE = "none", _("None considered yet")
    BETTER_TERMS = "better_terms", _("Better pay or conditions offered")
    AWARD = "award", _("Recognised (internal award, incentive pay)")
    ADVISOR = "advisor", _("Relationship kept as an advisor")
    ALUMNI = "alumni", _("Kept in touch through the alumni network")
    NOT_NEEDED = "not_needed", _("Not needed")


class Departure(BaseModel):
    """What must happen between a departure notice and the last day."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="departure"
    )
    notice_on = models.DateField(_("notice given on"))
    last_day = models.DateField(_("last day"), null=True, blank=True)
    exit_briefing_on = models.DateField(_("exit briefing held on"), null=True, blank=True)
    devices_returned_on = models.DateField(_("devices returned on"), null=True, blank=True)
    documents_returned_on = models.DateField(
        _("documents and data returned on"), null=True, blank=True
    )
    samples_returned_on = models.DateField(_("samples returned on"), null=True, blank=True)
    retention_option = models.CharField(
        _("retention or follow-up"),
        max_length=20,
        choices=RetentionOption.choices,
        default=RetentionOption.NONE,
    )
    retention_note = models.TextField(_("note on retention"), blank=True)
    note = models.TextField(_("note"), blank=True)

    audit_parent_field = "person"

    class Meta:
        ordering = ["-notice_on", "-pk"]
        verbose_name = _("departure")
        verbose_name_plural = _("departures")

    def __str__(self) -> str:
        return f"{self.person} ({self.notice_on})"
