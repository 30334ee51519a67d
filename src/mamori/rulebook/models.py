"""The company's information-management rules (情報管理規程) as documents with versions,
and who acknowledged each version.

The handbook's row 「情報管理に関するルールを整備し、運用する」 asks for rules on how
confidential information is handled and how the devices and software used for work may be
used (「デバイス・ソフトウェアの利用方法」), and for employees to understand them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.core.models import BaseModel, PageModel, optional_ref, part_of, user_field
from mamori.people.models import Person


class RuleDocument(PageModel, BaseModel):
    """A set of rules (情報管理規程, 情報機器・ソフトウェア利用細則...)."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    covers = models.TextField(_("what it covers"), blank=True)

    page_url = "rulebook:document"
    name_field = "title"

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("information-management rules")
        verbose_name_plural = _("information-management rules")


def version_upload_to(instance: RuleVersion, filename: str) -> str:
    # Stored under its digest only, so that a crafted name never chooses where it lands.
    return f"rules/{instance.sha256[:2]}/{instance.sha256}"


class RuleVersion(PageModel, BaseModel):
    """One version of a document, as text or as a file; the latest version whose date has
    come is the one in force."""

    document = part_of(RuleDocument, _("rules"), related_name="versions")
    label = models.CharField(_("version"), max_length=60)
    effective_from = models.DateField(_("in force from"))
    changes = models.TextField(_("what changed"), blank=True)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to=version_upload_to, blank=True, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64, blank=True)
    published_by = user_field(_("published by"), required=True)

    page_url = "rulebook:version"
    audit_parent_field = "document"

    class Meta:
        ordering = ["document", "-effective_from", "-pk"]
        verbose_name = _("rules version")
        verbose_name_plural = _("rules versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "label"], name="rule_version_unique_label")
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.label}"


class RuleAcknowledgement(BaseModel):
    """A person's acknowledgement that they read and will follow a version."""

    version = part_of(RuleVersion, _("rules version"), related_name="acknowledgements")
    person = part_of(Person, _("person"), related_name="rule_acknowledgements")
    acknowledged_on = models.DateField(_("acknowledged on"))
    recorded_by = optional_ref(
        settings.AUTH_USER_MODEL, _("recorded by"), on_delete=models.SET_NULL, related_name="+"
    )

    audit_parent_field = "version"

    class Meta:
        ordering = ["version", "person__name", "pk"]
        verbose_name = _("acknowledgement of the rules")
        verbose_name_plural = _("acknowledgements of the rules")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "person"], name="rule_acknowledgement_unique_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.version}"
