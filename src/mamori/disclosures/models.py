"""What left the company: disclosures of information, samples lent out, exhibitions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mamori.assets.models import InformationAsset
from mamori.contracts.models import Contract, ProvisionStage
from mamori.core.models import BaseModel, PageModel, optional_ref, part_of, user_field
from mamori.partners.models import Counterparty
from mamori.people.models import Person


class Method(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", pgettext_lazy("disclosure method", "E-mail")
    FILE_SHARE = "file_share", _("File share")
    SAMPLE = "sample", _("Sample")
    PAPER = "paper", _("Paper")
    OTHER = "other", _("Other")


class Disclosure(PageModel, BaseModel):
    """Information given to a counterparty (情報提供): what, to whom, when, how, under what."""

    counterparty = models.ForeignKey(
        Counterparty, verbose_name=_("to"), on_delete=models.PROTECT, related_name="disclosures"
    )
    contract = optional_ref(Contract, _("under contract"), related_name="disclosures")
    assets = models.ManyToManyField(
        InformationAsset, verbose_name=_("information"), related_name="disclosures"
    )
    disclosed_on = models.DateField(_("disclosed on"), db_index=True)
    disclosed_by = optional_ref(Person, _("disclosed by"), related_name="disclosures")
    purpose = models.CharField(_("purpose"), max_length=300)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    codenamed = models.BooleanField(_("proper nouns codenamed"), default=False)
    # The handbook's 仕入先に対する情報提供範囲の限定: 「具体的な用途について言及しないこと」.
    # None: not recorded (asked for suppliers on the page; optional elsewhere).
    use_withheld = models.BooleanField(
        _("specific use withheld"),
        null=True,
        blank=True,
        help_text=_("The specific use of what is procured was not mentioned to the recipient."),
    )
    provision_stage = optional_ref(ProvisionStage, _("provision stage"), related_name="disclosures")
    pre_deal = models.BooleanField(_("before the deal (feasibility study)"), default=False)
    warnings = models.JSONField(_("warnings when recorded"), default=list, blank=True)
    # The checks that ran before it was recorded (NDA in force, scope, provision stage),
    # each with its outcome and a sentence in both languages: the record's statement.
    checks = models.JSONField(_("checks when recorded"), default=list, blank=True)
    override_reason = models.TextField(_("officer's reason to proceed"), blank=True)
    override_by = user_field(_("override by"))

    page_url = "disclosures:disclosure"

    class Meta:
        ordering = ["-disclosed_on", "-pk"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        indexes = [
            models.Index(fields=["counterparty", "disclosed_on"]),
            # The few disclosures not under a codename, or mentioning the use, for the
            # rules that look for them among a counterparty kind's without a scan.
            models.Index(
                fields=["counterparty"],
                condition=models.Q(codenamed=False),
                name="disclosure_not_codenamed",
            ),
            models.Index(
                fields=["counterparty"],
                condition=models.Q(use_withheld=False),
                name="disclosure_use_mentioned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counterparty} {self.disclosed_on}"


class Sample(PageModel, BaseModel):
    """A sample lent out: due back, returned, inspected for signs of reverse engineering."""

    counterparty = models.ForeignKey(
        Counterparty, verbose_name=_("lent to"), on_delete=models.PROTECT, related_name="samples"
    )
    contract = optional_ref(Contract, _("under contract"), related_name="samples")
    description = models.CharField(_("sample"), max_length=200)
    asset = optional_ref(InformationAsset, _("information asset"), related_name="samples")
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    lent_on = models.DateField(_("lent on"))
    due_back_on = models.DateField(_("due back on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    condition = models.TextField(_("condition on return"), blank=True)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    reverse_engineering_signs = models.BooleanField(
        _("signs of reverse engineering"), default=False
    )
    inspection_note = models.TextField(_("inspection note"), blank=True)

    page_url = "disclosures:sample"
    name_field = "description"

    class Meta:
        ordering = ["-lent_on", "-pk"]
        verbose_name = _("sample")
        verbose_name_plural = _("samples")


class Exhibition(PageModel, BaseModel):
    """An exhibition or trade show, with what may be said and shown, approved beforehand."""

    name = models.CharField(_("event"), max_length=200)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, default="JP")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    staff = models.ManyToManyField(
        Person, verbose_name=_("staff"), blank=True, related_name="exhibitions"
    )
    may_disclose = models.TextField(_("what may be said and shown"), blank=True)
    must_not_disclose = models.TextField(_("what must not be said or shown"), blank=True)
    scope_approved_by = user_field(_("scope approved by"))
    scope_approved_on = models.DateField(_("scope approved on"), null=True, blank=True)
    staff_briefed_on = models.DateField(_("staff briefed on"), null=True, blank=True)
    escalation_contact = optional_ref(Person, _("whom to call when in doubt"), related_name="+")

    page_url = "disclosures:exhibition"
    name_field = "name"

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")


class ExhibitionContact(BaseModel):
    """An approach at an exhibition that needs care, and what was done about it."""

    exhibition = part_of(Exhibition, _("exhibition"), related_name="contacts")
    occurred_on = models.DateField(_("date"))
    visitor = models.CharField(_("visitor (name, organisation)"), max_length=200)
    what_happened = models.TextField(_("what was asked or requested"))
    very_technical = models.BooleanField(_("very technical questions"), default=False)
    asked_private_contact = models.BooleanField(
        _("asked for private contact details"), default=False
    )
    recorded_by = optional_ref(Person, _("recorded by"), related_name="+")
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    action = models.TextField(_("action taken"), blank=True)

    name_field = "visitor"
    audit_parent_field = "exhibition"

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("exhibition contact")
        verbose_name_plural = _("exhibition contacts")
