"""Counterparties (取引先・共同研究先), their people and capital, due diligence and
joint-research themes.

The handbook asks, stage by stage, to check a partner before sharing technology (public
information and daily communication first; later the country, organisation and individual
perspectives; information management and finances of manufacturers and licensees), and to
watch for changes in a partner's capital.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mamori.assets.models import Technology
from mamori.core.models import BaseModel, PageModel, part_of, user_field

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
COUNTRY = RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter country code such as JP or US."))


class CounterpartyKind(models.TextChoices):
    UNIVERSITY = "university", _("University or research institute")
    JOINT_RESEARCH = "joint_research", _("Joint-research company")
    MANUFACTURER = "manufacturer", _("Contract manufacturer")
    LICENSEE = "licensee", _("Licensee")
    SUPPLIER = "supplier", _("Supplier")
    CUSTOMER = "customer", _("Customer")
    EQUIPMENT_MAKER = "equipment_maker", _("Equipment maker")
    SYSTEM_VENDOR = "system_vendor", _("System vendor")
    INVESTOR = "investor", _("Investor")
    OTHER = "other", _("Other")


class Counterparty(PageModel, BaseModel):
    name = models.CharField(pgettext_lazy("counterparty", "name"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=CounterpartyKind.choices)
    country = models.CharField(
        _("country"),
        max_length=2,
        default="JP",
        validators=[COUNTRY],
        help_text=_("ISO code, e.g. JP"),
    )
    corporate_number = models.CharField(_("corporate number"), max_length=40, blank=True)
    established_on = models.DateField(_("established"), null=True, blank=True)
    business_record = models.TextField(_("business and research record"), blank=True)
    information_management = models.TextField(
        _("information-management set-up"),
        blank=True,
        help_text=_("rules, a responsible person, training — as far as known"),
    )
    website = models.URLField(_("website"), blank=True)
    note = models.TextField(_("note"), blank=True)

    page_url = "partners:counterparty"
    name_field = "name"

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("counterparty")
        verbose_name_plural = _("counterparties")

    @property
    def is_foreign(self) -> bool:
        return self.country != "JP"


class Shareholder(BaseModel):
    """A major shareholder of a counterparty, as last known."""

    counterparty = part_of(Counterparty, _("counterparty"), related_name="shareholders")
    name = models.CharField(pgettext_lazy("shareholder", "name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, default="JP", validators=[COUNTRY])
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    is_government_related = models.BooleanField(_("government-related"), default=False)

    audit_parent_field = "counterparty"

    class Meta:
        ordering = ["-share", "pk"]
        verbose_name = _("shareholder")
        verbose_name_plural = _("shareholders")

    def __str__(self) -> str:
        return f"{self.name} ({self.share}%)"


class PartnerMember(BaseModel):
    """A person at the counterparty who handles our information (so we know who can see it)."""

    counterparty = part_of(Counterparty, _("counterparty"), related_name="members")
    name = models.CharField(pgettext_lazy("partner member", "name"), max_length=120)
    role = models.CharField(
        _("role"), max_length=120, blank=True, help_text=_("e.g. 教授, 学生, 技術担当")
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    background = models.TextField(_("background checked"), blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    name_field = "name"
    audit_parent_field = "counterparty"

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("partner member")
        verbose_name_plural = _("partner members")


class CapitalChange(BaseModel):
    """A change in a counterparty's capital (acquisition, new major shareholder...)."""

    counterparty = part_of(Counterparty, _("counterparty"), related_name="capital_changes")
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("what changed"))
    foreign_share_after = models.DecimalField(
        _("foreign share afterwards (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )

    audit_parent_field = "counterparty"

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("capital change")
        verbose_name_plural = _("capital changes")

    def __str__(self) -> str:
        return f"{self.counterparty}: {self.occurred_on}"


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class DueDiligence(PageModel, BaseModel):
    """One due-diligence review of a counterparty with a questionnaire from the catalog."""

    counterparty = part_of(Counterparty, _("counterparty"), related_name="due_diligences")
    questionnaire = models.CharField(_("questionnaire"), max_length=100)
    performed_on = models.DateField(_("performed on"))
    performed_by = models.CharField(_("performed by"), max_length=120)
    risk = models.CharField(_("risk rating"), max_length=10, choices=Risk.choices, blank=True)
    reasoning = models.TextField(_("reasoning"), blank=True)
    approved_by = user_field(_("approved by"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    page_url = "partners:dd"
    audit_parent_field = "counterparty"

    class Meta:
        ordering = ["-performed_on", "-pk"]
        verbose_name = _("due diligence")
        verbose_name_plural = _("due diligences")

    def __str__(self) -> str:
        return f"{self.counterparty} DD {self.performed_on}"

    @property
    def is_approved(self) -> bool:
        return self.approved_on is not None


class DueDiligenceAnswer(BaseModel):
    due_diligence = part_of(DueDiligence, _("due diligence"), related_name="answers")
    question = models.CharField(_("question"), max_length=100)
    answer = models.TextField(_("answer"), blank=True)
    concern = models.BooleanField(_("a concern"), default=False)
    evidence = models.CharField(_("evidence (source, link)"), max_length=500, blank=True)

    audit_parent_field = "due_diligence"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("due-diligence answer")
        verbose_name_plural = _("due-diligence answers")
        constraints = [
            models.UniqueConstraint(
                fields=["due_diligence", "question"], name="dd_answer_unique_question"
            )
        ]

    def __str__(self) -> str:
        return self.audit_value_label("question", self.question) or self.question

    def audit_label(self) -> str:
        with translation.override("ja"):
            return str(self)[:200]

    @classmethod
    def audit_value_label(cls, name: str, value: Any) -> str | None:
        """Name a question by its text in the reader's language (ids are unique to a
        questionnaire; the first one asking it is taken)."""
        if name != "question":
            return None
        from mamori.catalog.selectors import get_catalog

        language = translation.get_language() or "ja"
        for questionnaire in get_catalog().questionnaires:
            for question in questionnaire.questions:
                if question.id == value:
                    return question.text.get(language)
        return None


class ThemeDecision(models.TextChoices):
    UNDECIDED = "undecided", _("Undecided")
    GO = "go", _("Go")
    GO_WITH_CONDITIONS = "conditions", _("Go with conditions")
    NO_GO = "no_go", _("Do not go ahead")


class ResearchTheme(PageModel, BaseModel):
    """A joint-research theme (テーマ選定): what it touches, with whom, and the decision."""

    counterparty = models.ForeignKey(
        Counterparty, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="themes"
    )
    title = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    technologies = models.ManyToManyField(
        Technology,
        verbose_name=_("technologies touched"),
        blank=True,
        related_name="research_themes",
    )
    # The handbook, STEP 2 (technologies to acquire): 「共同研究のテーマや相手方によって、
    # レピュテーションリスクや海外の法令抵触リスクにも十分配慮しましょう」. Blank: not assessed.
    reputational_risk = models.CharField(
        _("reputational risk"), max_length=10, choices=Risk.choices, blank=True
    )
    reputational_note = models.TextField(_("reputational risk: reasoning"), blank=True)
    foreign_law_risk = models.CharField(
        _("risk of conflicting with foreign law"), max_length=10, choices=Risk.choices, blank=True
    )
    foreign_law_note = models.TextField(_("foreign-law risk: reasoning"), blank=True)
    risk = models.CharField(_("resulting risk"), max_length=10, choices=Risk.choices, blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=ThemeDecision.choices, default=ThemeDecision.UNDECIDED
    )
    conditions = models.TextField(_("conditions and reasoning"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    page_url = "partners:theme"
    name_field = "title"

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("research theme")
        verbose_name_plural = _("research themes")
