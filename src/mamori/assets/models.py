"""What the company protects and who may touch it.

Technologies to protect (STEP 2) with their export-control classification, information
assets managed as trade secrets (the three requirements of 不正競争防止法), access grants
on a need-to-know basis, access reviews, and the steps of a technology's process.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mamori.core.models import BaseModel, PageModel, optional_ref, part_of, user_field
from mamori.people.models import Person


class SecrecyClass(BaseModel):
    """A level of confidentiality; rank 1 is the highest (極秘)."""

    name = models.CharField(pgettext_lazy("secrecy class", "name"), max_length=40, unique=True)
    name_en = models.CharField(_("name in English"), max_length=40, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)
    description = models.TextField(_("description"), blank=True)
    # Access to an asset of this class takes effect only when the asset's owner or the
    # officer approves it (``assets.services.grant_give``).
    grants_need_approval = models.BooleanField(
        _("access needs approval"),
        default=False,
        help_text=_("Access is granted only when the asset's owner or the officer approves it."),
    )

    name_field = "name"

    class Meta:
        ordering = ["rank"]
        verbose_name = _("secrecy class")
        verbose_name_plural = _("secrecy classes")


class TechnologyCategory(models.TextChoices):
    # The four perspectives of STEP 2 (catalog: urn:mamori:step:2 points).
    CORE = "core", _("Core technology")
    SECURITY = "security", _("Technology important for national security")
    ECONOMIC_SECURITY = "economic_security", _("Technology important for economic security")
    TO_ACQUIRE = "to_acquire", _("Technology to acquire")


class Protection(models.TextChoices):
    PATENT = "patent", _("Patent")
    TRADE_SECRET = "trade_secret", _("Trade secret")
    PUBLISH = "publish", _("Publish")
    UNDECIDED = "undecided", _("Undecided")


class Importance(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


SCORE_CHOICES = [(1, _("1 – low")), (2, _("2 – medium")), (3, _("3 – high"))]


class Technology(PageModel, BaseModel):
    name = models.CharField(pgettext_lazy("technology", "name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=30, choices=TechnologyCategory.choices)
    competitiveness = models.PositiveSmallIntegerField(
        _("impact on competitiveness"), choices=SCORE_CHOICES, default=2
    )
    damage_if_leaked = models.PositiveSmallIntegerField(
        _("damage if leaked"), choices=SCORE_CHOICES, default=2
    )
    others_interest = models.PositiveSmallIntegerField(
        _("others' interest"), choices=SCORE_CHOICES, default=2
    )
    importance = models.CharField(
        _("importance"), max_length=10, choices=Importance.choices, default=Importance.MEDIUM
    )
    protection = models.CharField(
        _("protection strategy"),
        max_length=20,
        choices=Protection.choices,
        default=Protection.UNDECIDED,
    )
    owner = optional_ref(
        Person, pgettext_lazy("technology", "owner"), related_name="owned_technologies"
    )
    full_process_limit = models.PositiveSmallIntegerField(
        _("most people who may know the whole process"), null=True, blank=True
    )

    page_url = "assets:technology"
    name_field = "name"

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")


class ExportResult(models.TextChoices):
    CONTROLLED = "controlled", _("Controlled (該当)")
    NOT_CONTROLLED = "not_controlled", _("Not controlled (非該当)")


class ExportClassification(BaseModel):
    """A 該非判定 of a technology; the newest one is the one in force."""

    technology = part_of(Technology, _("technology"), related_name="classifications")
    result = models.CharField(_("result"), max_length=20, choices=ExportResult.choices)
    list_item = models.CharField(
        _("list item"),
        max_length=100,
        blank=True,
        help_text=_("e.g. 外為令別表 8項(1) for technology, 輸出令別表第1 8項(1) for goods"),
    )
    basis = models.TextField(_("basis"), blank=True)
    judged_by = models.CharField(_("judged by"), max_length=120)
    approved_by = models.CharField(_("approved by"), max_length=120, blank=True)
    judged_on = models.DateField(_("judged on"))
    rejudge_due = models.DateField(_("re-judge by"), null=True, blank=True)

    audit_parent_field = "technology"

    class Meta:
        ordering = ["-judged_on", "-pk"]
        verbose_name = _("export-control classification")
        verbose_name_plural = _("export-control classifications")

    def __str__(self) -> str:
        return f"{self.technology}: {self.get_result_display()}"


class DeemedExportApproval(BaseModel):
    """A licence or internal approval to share a controlled technology with a person who
    falls under a 特定類型."""

    person = part_of(Person, _("person"), related_name="deemed_export_approvals")
    technology = part_of(Technology, _("technology"), related_name="deemed_export_approvals")
    reference = models.CharField(_("licence or approval reference"), max_length=200)
    approved_on = models.DateField(_("approved on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    name_field = "reference"
    audit_parent_field = "technology"

    class Meta:
        ordering = ["-approved_on", "-pk"]
        verbose_name = _("deemed-export licence or approval")
        verbose_name_plural = _("deemed-export licences and approvals")


class AssetKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    DATASET = "dataset", _("Dataset")
    DRAWING = "drawing", _("Drawing")
    PROCESS_CONDITION = "process_condition", _("Process condition")
    KNOW_HOW = "know_how", _("Know-how")
    SOURCE_CODE = "source_code", _("Source code")
    SAMPLE = "sample", _("Sample")
    OTHER = "other", _("Other")


class InformationAsset(PageModel, BaseModel):
    name = models.CharField(pgettext_lazy("information asset", "name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=AssetKind.choices)
    secrecy_class = optional_ref(SecrecyClass, _("secrecy class"), related_name="assets")
    technologies = models.ManyToManyField(
        Technology, verbose_name=_("technologies"), blank=True, related_name="assets"
    )
    owner = optional_ref(
        Person, pgettext_lazy("information asset", "owner"), related_name="owned_assets"
    )
    # The details below are need-to-know: shown only to grant holders, the owner and
    # the officer, and every view of them is audited.
    description = models.TextField(_("description"), blank=True)
    storage_location = models.CharField(_("storage location"), max_length=300, blank=True)
    is_useful = models.BooleanField(_("usefulness (有用性)"), default=False)
    usefulness_note = models.TextField(_("why it is useful"), blank=True)
    marking = models.CharField(
        _("how it is marked"),
        max_length=300,
        blank=True,
        help_text=_("e.g. 「極秘」 in the header"),
    )
    separation = models.CharField(
        _("how it is kept apart"),
        max_length=300,
        blank=True,
        help_text=_("e.g. a restricted folder, a locked cabinet"),
    )
    is_non_public = models.BooleanField(_("not public (非公知性)"), default=False)
    non_public_note = models.TextField(_("why it is not public"), blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True)

    DETAIL_FIELDS = (
        "description",
        "storage_location",
        "usefulness_note",
        "marking",
        "separation",
        "non_public_note",
        "evidence_note",
    )
    # The audit log keeps these fields' values, but shows them only to those who may see
    # the asset's details (``mamori.audit.selectors.mask_secrets``).
    audit_secret = frozenset({*DETAIL_FIELDS, "is_useful", "is_non_public"})

    page_url = "assets:asset"
    name_field = "name"

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("information asset")
        verbose_name_plural = _("information assets")

    @property
    def is_secret_managed(self) -> bool:
        """秘密管理性: kept apart and marked or access-limited, so that the people who access
        it can recognise it as secret (営業秘密管理指針)."""
        return bool(self.marking.strip() and self.separation.strip())


class AccessGrant(BaseModel):
    """Need-to-know access of one person to one information asset."""

    person = part_of(Person, _("person"), related_name="grants")
    asset = part_of(InformationAsset, _("information asset"), related_name="grants")
    reason = models.CharField(_("reason (need to know)"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True, db_index=True)
    revoked_by = user_field(_("revoked by"))
    revoke_reason = models.CharField(_("why revoked"), max_length=300, blank=True)

    audit_parent_field = "person"

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        # With the expiry after the person and the person after the expiry, the rule on
        # expired grants reads one person's (a targeted re-evaluation) or everyone's from
        # an index alone.
        indexes = [
            models.Index(fields=["person", "revoked_on", "valid_until"]),
            models.Index(fields=["asset", "revoked_on"]),
            models.Index(fields=["revoked_on", "valid_until", "person"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.asset}"

    def audit_label(self) -> str:
        return str(self)[:200]

    def is_in_force(self, on: datetime.date | None = None) -> bool:
        """Return whether the grant gives access on ``on`` (today): started, not ended,
        not revoked — the rule of ``mamori.assets.selectors.grants_in_force``."""
        on = on or timezone.localdate()
        return (
            self.valid_from <= on
            and (self.valid_until is None or self.valid_until >= on)
            and (self.revoked_on is None or self.revoked_on > on)
        )

    @property
    def is_active(self) -> bool:
        """In force today (not merely not revoked: a grant that ended or has not yet
        started gives no access)."""
        return self.is_in_force()


class ReviewKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic review")
    TRANSFER = "transfer", _("On transfer")
    DEPARTURE = "departure", _("On departure notice")


class AccessReview(BaseModel):
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    title = models.CharField(_("title"), max_length=200)
    person = optional_ref(
        Person, _("person"), on_delete=models.CASCADE, related_name="access_reviews"
    )
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    name_field = "title"

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("access review")
        verbose_name_plural = _("access reviews")


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    REVOKED = "revoked", _("Revoked")


class AccessReviewItem(BaseModel):
    review = part_of(AccessReview, _("review"), related_name="items")
    grant = part_of(AccessGrant, _("grant"), related_name="reviews")
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = user_field(_("decided by"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    audit_parent_field = "review"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        constraints = [
            models.UniqueConstraint(fields=["review", "grant"], name="review_item_unique_grant")
        ]
        indexes = [models.Index(fields=["review", "decision"])]

    def __str__(self) -> str:
        return str(self.grant)


class ProcessStep(BaseModel):
    """One step of a technology's process; people who know every step know the whole."""

    technology = part_of(Technology, _("technology"), related_name="process_steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=200)
    assets = models.ManyToManyField(
        InformationAsset, verbose_name=_("information assets"), blank=True, related_name="steps"
    )

    audit_parent_field = "technology"

    class Meta:
        ordering = ["technology", "order"]
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        constraints = [
            models.UniqueConstraint(fields=["technology", "order"], name="step_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
