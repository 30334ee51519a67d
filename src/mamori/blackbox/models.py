"""Black-boxing: the codename dictionary and the history of sanitized documents."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import InformationAsset
from mamori.contracts.models import Contract
from mamori.core.models import BaseModel, optional_ref, user_field
from mamori.disclosures.models import Disclosure, Method
from mamori.partners.models import Counterparty


class TermCategory(models.TextChoices):
    MATERIAL = "material", _("Raw material")
    SUPPLIER = "supplier", _("Supplier")
    CUSTOMER = "customer", _("Customer")
    PROCESS = "process", _("Process condition")
    PROJECT = "project", _("Project")
    PERSON = "person", _("Person")
    OTHER = "other", _("Other")


class Term(BaseModel):
    """A proper noun that must not leave as written: a raw material, a supplier, a
    customer, a process condition… with the codename that replaces it, its other
    spellings, and the information assets it gives away."""

    text = models.CharField(_("term"), max_length=200)
    # The term folded for width, case and hyphens: two terms may not fold alike.
    normalized = models.CharField(max_length=200, unique=True, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=TermCategory.choices)
    codename = models.CharField(_("codename"), max_length=200)
    codename_normalized = models.CharField(max_length=200, unique=True, editable=False)
    variants = models.JSONField(_("other spellings"), default=list, blank=True)
    assets = models.ManyToManyField(
        InformationAsset,
        verbose_name=_("information it gives away"),
        blank=True,
        related_name="codename_terms",
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["category", "codename", "pk"]
        verbose_name = _("codename term")
        verbose_name_plural = _("codename terms")
        indexes = [models.Index(fields=["category", "codename"])]

    def __str__(self) -> str:
        return f"{self.codename}（{self.text}）"

    def audit_label(self) -> str:
        return self.codename


class SanitizationKind(models.TextChoices):
    SANITIZE = "sanitize", _("Sanitized")
    RESTORE = "restore", _("Restored")


class Sanitization(BaseModel):
    """A document sanitized (or restored) by mamori: what was replaced, the hash of what
    left, to whom. The original is never stored; the sanitized file is kept for
    download for a limited time (``expires_at``), then only its SHA-256 remains."""

    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=SanitizationKind.choices,
        default=SanitizationKind.SANITIZE,
    )
    file_name = models.CharField(_("file"), max_length=255)
    output_name = models.CharField(_("file sent"), max_length=255)
    format = models.CharField(_("format"), max_length=20)
    encoding = models.CharField(_("encoding"), max_length=40, blank=True)
    size = models.PositiveBigIntegerField(_("size"))
    output_size = models.PositiveBigIntegerField(_("size sent"))
    input_sha256 = models.CharField(_("SHA-256 of the original"), max_length=64)
    output_sha256 = models.CharField(_("SHA-256 of the file sent"), max_length=64, db_index=True)
    replaced = models.PositiveIntegerField(_("replacements"), default=0)
    # [{"term": pk, "codename": …, "count": n}], most frequent first.
    counts = models.JSONField(_("replacements by term"), default=list, blank=True)
    # What the residual check found in the sanitized file: {"secret": n, "review": n,
    # "kinds": {kind: n}}.
    residual = models.JSONField(_("left in the file"), default=dict, blank=True)
    terms = models.ManyToManyField(
        Term, verbose_name=_("terms replaced"), blank=True, related_name="sanitizations"
    )
    created_by = user_field(_("by"))
    via_cli = models.BooleanField(_("from the command line"), default=False)
    counterparty = optional_ref(Counterparty, _("to"), related_name="sanitizations")
    contract = optional_ref(Contract, _("under contract"), related_name="sanitizations")
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, blank=True)
    disclosure = optional_ref(Disclosure, _("disclosure"), related_name="sanitizations")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    output = models.FileField(_("sanitized file"), upload_to="blackbox/", blank=True)
    expires_at = models.DateTimeField(_("download until"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("sanitization")
        verbose_name_plural = _("sanitizations")

    def __str__(self) -> str:
        return self.output_name or self.file_name
