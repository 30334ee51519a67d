"""Overseas sites (production, R&D) with the checks the handbook asks for, and equipment
sent out for maintenance."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.core.models import BaseModel, PageModel, optional_ref, part_of
from mamori.partners.models import Counterparty


class SiteKind(models.TextChoices):
    PRODUCTION = "production", _("Production")
    RESEARCH = "research", _("Research and development")
    SALES = "sales", _("Sales office")
    OTHER = "other", _("Other")


class OverseasSite(PageModel, BaseModel):
    name = models.CharField(_("site"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    country = models.CharField(_("country"), max_length=2)
    operator = optional_ref(
        Counterparty,
        _("operated by"),
        related_name="sites",
        help_text=_("empty when the company runs the site itself"),
    )
    laws_checked_on = models.DateField(
        _("local laws checked on"),
        null=True,
        blank=True,
        help_text=_("laws that can force disclosure of technology"),
    )
    laws_note = models.TextField(_("what the laws allow"), blank=True)
    labour_mobility_note = models.TextField(_("labour mobility and practices"), blank=True)
    advisor = models.CharField(_("local advisor"), max_length=200, blank=True)
    access_restrictions = models.TextField(_("access restrictions in place"), blank=True)
    handles_core_technology = models.BooleanField(_("handles core technology"), default=False)
    audit_interval_months = models.PositiveSmallIntegerField(_("audit every (months)"), default=12)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)

    page_url = "sites:site"
    name_field = "name"

    class Meta:
        ordering = ["country", "name", "pk"]
        verbose_name = _("overseas site")
        verbose_name_plural = _("overseas sites")


class SiteAudit(BaseModel):
    site = part_of(OverseasSite, _("site"), related_name="audits")
    audited_on = models.DateField(_("audited on"))
    auditor = models.CharField(_("auditor"), max_length=120)
    result = models.TextField(_("result"))
    issues_open = models.BooleanField(_("issues left open"), default=False)

    audit_parent_field = "site"

    class Meta:
        ordering = ["-audited_on", "-pk"]
        verbose_name = _("site audit")
        verbose_name_plural = _("site audits")

    def __str__(self) -> str:
        return f"{self.site} {self.audited_on}"


class EquipmentDispatch(PageModel, BaseModel):
    """Equipment sent out for maintenance or repair: customisations reverted first?"""

    equipment = models.CharField(_("equipment"), max_length=200)
    sent_to = models.ForeignKey(
        Counterparty,
        verbose_name=_("sent to"),
        on_delete=models.PROTECT,
        related_name="equipment_received",
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    sent_on = models.DateField(_("sent on"))
    has_customisations = models.BooleanField(_("customised by us"), default=True)
    customisations_reverted = models.BooleanField(
        _("customisations reverted before sending"), default=False
    )
    checked_by = models.CharField(_("checked by"), max_length=120, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    page_url = "sites:equipment"
    name_field = "equipment"

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("equipment sent out")
        verbose_name_plural = _("equipment sent out")
