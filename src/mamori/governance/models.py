"""The company's own organisation for leakage prevention: the officer's appointment as a
record (STEP 1 「責任者の設置」), and its security posture (the later stage's joint-research
row 「組織的なセキュリティ管理と防御態勢の強化」) with the reviews of each area."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mamori.core.models import BaseModel, PageModel, part_of
from mamori.people.models import Person


class OfficerAppointment(BaseModel):
    """Who is the responsible officer, since when, with what mandate, and when the
    executives reviewed the appointment."""

    person = models.ForeignKey(
        Person, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )
    appointed_on = models.DateField(_("appointed on"))
    mandate = models.TextField(_("mandate"))
    reviewed_on = models.DateField(_("reviewed by the executives on"), null=True, blank=True)
    reviewed_by = models.CharField(
        _("reviewed by"),
        max_length=200,
        blank=True,
        help_text=_("The board meeting or the executives who reviewed it."),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["-appointed_on", "-pk"]
        verbose_name = _("officer appointment")
        verbose_name_plural = _("officer appointments")

    def __str__(self) -> str:
        return f"{self.person} ({self.appointed_on})"

    def get_absolute_url(self) -> str:
        return reverse("governance:appointments")


class PostureArea(models.TextChoices):
    ACCESS_RIGHTS = "access_rights", _("Management of access rights to information")
    PHYSICAL = "physical", _("Physical security where technical information is kept")
    SECURITY_PERSON = "security_person", _("A named person responsible for security")
    CYBER = "cyber", _("Cyber defence")


class PostureMeasure(PageModel, BaseModel):
    """What the company does in one area of its security posture, and who owns it."""

    area = models.CharField(_("area"), max_length=20, choices=PostureArea.choices, unique=True)
    measures = models.TextField(_("measures in place"))
    owner = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("review every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )

    page_url = "governance:posture_measure"

    class Meta:
        ordering = ["area"]
        verbose_name = _("security posture measure")
        verbose_name_plural = _("security posture measures")

    def __str__(self) -> str:
        return self.get_area_display()


class PostureReview(BaseModel):
    measure = part_of(PostureMeasure, _("area"), related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.CharField(_("reviewed by"), max_length=200)
    result = models.TextField(_("result"))

    audit_parent_field = "measure"

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("security posture review")
        verbose_name_plural = _("security posture reviews")

    def __str__(self) -> str:
        return f"{self.measure} {self.reviewed_on}"
