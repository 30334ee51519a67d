"""Contracts that carry technical information, the clauses they hold, and staged provision.

Which clauses a contract of each type needs is data (``clauses.yaml``); a contract records
which of them it has (ticked by a person, or later found by the contract checker).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import InformationAsset
from mamori.core.models import BaseModel, PageModel, optional_ref, part_of
from mamori.partners.models import Counterparty


class ContractKind(models.TextChoices):
    NDA = "nda", _("Non-disclosure agreement (NDA)")
    POC = "poc", _("Proof of concept (PoC)")
    JOINT_RESEARCH = "joint_research", _("Joint research")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    LICENCE = "licence", _("Licence")
    SUPPLY = "supply", _("Supply")
    SERVICE = "service", _("Service")
    OTHER = "other", _("Other")


class Renewal(models.TextChoices):
    NONE = "none", _("Ends on the end date")
    AUTOMATIC = "automatic", _("Renews automatically")
    BY_AGREEMENT = "agreement", _("Renewed by agreement")


class Contract(PageModel, BaseModel):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=ContractKind.choices)
    counterparty = models.ForeignKey(
        Counterparty,
        verbose_name=_("counterparty"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    other_parties = models.ManyToManyField(
        Counterparty, verbose_name=_("other parties"), blank=True, related_name="+"
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    renewal = models.CharField(
        _("renewal"), max_length=20, choices=Renewal.choices, default=Renewal.NONE
    )
    confidentiality_survives_until = models.DateField(
        _("confidentiality lasts until"),
        null=True,
        blank=True,
        help_text=_("when the duty of confidentiality outlives the contract"),
    )
    scope = models.ManyToManyField(
        InformationAsset,
        verbose_name=_("information provided (scope)"),
        blank=True,
        related_name="contracts",
    )
    scope_note = models.TextField(_("scope of technology provided"), blank=True)
    information_returned_on = models.DateField(
        _("information returned or destroyed on"), null=True, blank=True
    )

    page_url = "contracts:contract"
    name_field = "title"

    class Meta:
        ordering = ["-signed_on", "title", "pk"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [
            # Whether a contract with the counterparty is in force on a day, asked for each
            # of hundreds of thousands of disclosures, read from the index alone.
            models.Index(
                fields=["counterparty", "signed_on", "starts_on", "ends_on", "renewal"],
                name="contract_party_in_force",
            ),
        ]

    def is_in_force(self, day) -> bool:
        """Return whether the contract binds on ``day`` (signed, started, not ended)."""
        if self.signed_on is None or self.signed_on > day:
            return False
        if self.starts_on and self.starts_on > day:
            return False
        return self.ends_on is None or self.ends_on >= day or self.renewal == Renewal.AUTOMATIC


class ClauseSource(models.TextChoices):
    MANUAL = "manual", _("Ticked by a person")
    CHECKER = "checker", _("Found by the contract checker")


class ContractClause(BaseModel):
    """A required clause the contract holds (catalog clause id), with the article carrying it."""

    contract = part_of(Contract, _("contract"), related_name="clauses")
    clause = models.CharField(_("clause"), max_length=100)
    article = models.CharField(_("article"), max_length=100, blank=True, help_text=_("e.g. 第5条"))
    source = models.CharField(
        _("source"), max_length=10, choices=ClauseSource.choices, default=ClauseSource.MANUAL
    )
    weak = models.BooleanField(
        _("weak"),
        default=False,
        help_text=_(
            "the contract checker found the clause, but weak (an effort duty, a ban "
            "waived, a period too short)"
        ),
    )

    audit_parent_field = "contract"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("contract clause")
        verbose_name_plural = _("contract clauses")
        constraints = [
            models.UniqueConstraint(fields=["contract", "clause"], name="contract_clause_unique")
        ]
        indexes = [
            models.Index(fields=["clause", "contract"]),
            # The few weak clauses (contracts.weak_clause) without reading every clause.
            models.Index(fields=["contract"], condition=models.Q(weak=True), name="clause_weak"),
        ]

    def __str__(self) -> str:
        from mamori.catalog.selectors import catalog_title

        return catalog_title(self.clause)

    def audit_label(self) -> str:
        from mamori.catalog.selectors import get_catalog

        try:
            return get_catalog().clause(self.clause).title.ja
        except KeyError:
            return self.clause


class ContractCheck(PageModel, BaseModel):
    """A run of the contract checker on a file: of a contract in the register, or on its own
    (a draft checked from the tools page, seen only by whoever checked it and the officer).

    The file itself is not kept; the report (status, article and quote per clause) is.
    """

    contract = optional_ref(
        Contract, _("contract"), on_delete=models.CASCADE, related_name="checks"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size"))
    kind = models.CharField(_("type"), max_length=30, choices=ContractKind.choices)
    kind_guessed = models.BooleanField(_("type guessed"), default=False)
    type_confidence = models.FloatField(_("confidence of the type"), default=1.0)
    language = models.CharField(_("language"), max_length=5)
    title = models.CharField(_("title in the file"), max_length=200, blank=True)
    article_count = models.PositiveIntegerField(_("articles"), default=0)
    # Set when the file was a scan read by OCR: tesseract's mean confidence (0–100).
    ocr_confidence = models.FloatField(_("OCR confidence"), null=True, blank=True)
    results = models.JSONField(_("results"), default=list)
    # The checked file, kept (under a random name) so that the negotiation draft can be made
    # from it; empty for checks made before it was kept.
    source = models.FileField(
        _("checked file"), upload_to="contract-checks/%Y/", max_length=300, blank=True
    )
    checked_by = optional_ref(
        settings.AUTH_USER_MODEL, _("checked by"), on_delete=models.SET_NULL, related_name="+"
    )

    # The results quote the contract; the log keeps who checked which file, not the text.
    audit_exclude = frozenset({"created_at", "updated_at", "results"})

    page_url = "contracts:check_report"
    name_field = "file_name"
    audit_parent_field = "contract"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contract check")
        verbose_name_plural = _("contract checks")


class ContractFile(BaseModel):
    contract = part_of(Contract, _("contract"), related_name="files")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="contracts/%Y/", max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))

    name_field = "title"
    audit_parent_field = "contract"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("contract file")
        verbose_name_plural = _("contract files")


class ProvisionStage(BaseModel):
    """One stage of a staged provision plan (段階的な技術提供): what it may release, and
    what must hold before moving on."""

    contract = part_of(Contract, _("contract"), related_name="stages")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("stage"), max_length=200)
    assets = models.ManyToManyField(
        InformationAsset, verbose_name=_("may release"), blank=True, related_name="provision_stages"
    )
    condition_to_proceed = models.TextField(_("condition to move on"), blank=True)
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    audit_parent_field = "contract"

    class Meta:
        ordering = ["contract", "order"]
        verbose_name = _("provision stage")
        verbose_name_plural = _("provision stages")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "order"], name="provision_stage_unique_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
