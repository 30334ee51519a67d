from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.core.models import BaseModel, user_field


class Stage(models.TextChoices):
    SEED_EARLY = "seed_early", _("Seed–early stage")
    MIDDLE = "middle", _("Middle stage")
    LATER = "later", _("Later stage")


class Company(BaseModel):
    """The company mamori protects (one per installation), with its responsible officer."""

    name = models.CharField(_("company name"), max_length=200)
    name_en = models.CharField(_("company name in English"), max_length=200, blank=True)
    corporate_number = models.CharField(
        _("corporate number"),
        max_length=13,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{13}$", _("A corporate number has 13 digits."))],
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    industry = models.CharField(_("industry"), max_length=200, blank=True)
    business = models.TextField(_("business and core technology"), blank=True)
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    officer = user_field(_("responsible officer"))
    officer_appointed_on = models.DateField(_("officer appointed on"), null=True, blank=True)
    officer_mandate = models.TextField(_("officer's mandate"), blank=True)
    # The law does not ask for a catch-all check (end use, end user) of technology going
    # to a 輸出令別表第3 country; a company may still want one. This is its own policy.
    catch_all_all_foreign = models.BooleanField(
        _("company policy: catch-all check also for 輸出令別表第3 countries"),
        default=True,
        help_text=_(
            "The law does not apply the catch-all end-use and end-user requirements to the "
            "countries of 輸出令別表第3 (the United States, the EU members listed there, the "
            "United Kingdom, South Korea and others). Tick this if your company nevertheless "
            "checks every disclosure abroad; mamori then reports a missing check as a breach of "
            "your own policy, not of the law."
        ),
    )

    # How long an incident may stay without a containment step before it becomes a
    # finding. The handbook sets no number; 3 days is mamori's own default.
    incident_containment_days = models.PositiveSmallIntegerField(
        _("company policy: days allowed before an incident is contained"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "An incident with no containment step (access revoked, partner notified, devices "
            "secured) this many days after it was found becomes a finding. The handbook sets "
            "no number: 3 days is mamori's default, change it to your own rule."
        ),
    )

    name_field = "name"

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")


class StageDecision(BaseModel):
    """A confirmed growth stage: what the wizard proposed and what the officer chose."""

    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    proposed_stage = models.CharField(
        _("proposed stage"), max_length=20, choices=Stage.choices, blank=True
    )
    answers = models.JSONField(_("wizard answers"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = user_field(_("decided by"), required=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        get_latest_by = ["decided_at", "pk"]
        verbose_name = _("stage decision")
        verbose_name_plural = _("stage decisions")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.decided_at:%Y-%m-%d})"

    @property
    def is_override(self) -> bool:
        return bool(self.proposed_stage) and self.proposed_stage != self.stage
