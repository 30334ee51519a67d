"""Incidents (STEP 3-2 「違反に対する毅然とした対応」): a suspected leak or rule violation with
its evidence, containment, consultation and the response decided; and the concerns anyone
reports (「おかしいな?と思ったときには、勤務先に相談しましょう」) that may become one.

Everything about an incident is the officer's alone (``incidents.manage``), under
need-to-know: each read of an incident is recorded in the audit log, and its values there
are shown only to those who may see it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import InformationAsset
from mamori.core.models import BaseModel, PageModel, optional_ref, part_of, user_field
from mamori.disclosures.models import Exhibition
from mamori.partners.models import Counterparty
from mamori.people.models import Person


def incident_label(pk: int | None) -> str:
    """Return how the audit log names an incident: by its number, never its title."""
    return f"INC-{pk}"


class IncidentKind(models.TextChoices):
    SUSPECTED_LEAK = "suspected_leak", _("Suspected leak of technical information")
    RULE_VIOLATION = "rule_violation", _("Violation of the information-management rules")
    OTHER = "other", _("Other")


class Incident(PageModel, BaseModel):
    title = models.CharField(_("what happened (in a line)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    description = models.TextField(_("what is known"))
    found_on = models.DateField(_("found on"))
    found_by = models.CharField(_("found by"), max_length=200)
    persons = models.ManyToManyField(
        Person, verbose_name=_("people involved"), blank=True, related_name="+"
    )
    others_involved = models.CharField(
        _("others involved"),
        max_length=300,
        blank=True,
        help_text=_("People outside the register: a former employee's new employer, a visitor."),
    )
    counterparty = optional_ref(Counterparty, _("partner involved"), related_name="+")
    assets = models.ManyToManyField(
        InformationAsset,
        verbose_name=_("information assets affected"),
        blank=True,
        related_name="+",
    )
    handled_by = models.CharField(_("handled by"), max_length=200)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("how it ended"), blank=True)

    audit_secret = frozenset(
        {"title", "description", "found_by", "others_involved", "closing_note", "counterparty"}
    )

    page_url = "incidents:incident"
    name_field = "title"

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def audit_label(self) -> str:
        # The log names an incident by number only: its title may itself be sensitive (a
        # bare "#5" would be read as an id and replaced by the title when shown).
        return incident_label(self.pk)


class _IncidentPart(BaseModel):
    incident = part_of(Incident, _("incident"))

    audit_parent_field = "incident"

    class Meta:
        abstract = True

    def audit_label(self) -> str:
        return incident_label(self.incident_id)


def evidence_upload_to(instance: IncidentEvidence, filename: str) -> str:
    # The stored name is the digest: a crafted file name never chooses where it lands.
    return f"incidents/{instance.sha256[:2]}/{instance.sha256}"


class IncidentEvidence(_IncidentPart):
    """A file preserved as evidence, with its SHA-256 digest taken when it was stored."""

    title = models.CharField(_("what it is"), max_length=200)
    preserved_on = models.DateField(_("preserved on"))
    preserved_by = models.CharField(_("preserved by"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64)

    audit_secret = frozenset({"title", "original_name"})

    class Meta:
        ordering = ["preserved_on", "pk"]
        verbose_name = _("evidence preserved")
        verbose_name_plural = _("evidence preserved")
        default_related_name = "evidence"


class ContainmentKind(models.TextChoices):
    ACCESS_REVOKED = "access_revoked", _("Access revoked")
    PARTNER_NOTIFIED = "partner_notified", _("Partner notified")
    DEVICES_SECURED = "devices_secured", _("Devices secured")
    OTHER = "other", _("Other step")


class ContainmentStep(_IncidentPart):
    kind = models.CharField(_("step"), max_length=20, choices=ContainmentKind.choices)
    done_on = models.DateField(_("done on"))
    done_by = models.CharField(_("done by"), max_length=200)
    note = models.TextField(_("details"), blank=True)

    audit_secret = frozenset({"note"})

    class Meta:
        ordering = ["done_on", "pk"]
        verbose_name = _("containment step")
        verbose_name_plural = _("containment steps")
        default_related_name = "containment"


class Consultation(_IncidentPart):
    """Advice sought outside: a contact the handbook prints (by its catalog id, so that the
    number shown is the catalog's), the police, a lawyer or another body."""

    contact_id = models.CharField(_("handbook contact"), max_length=100, blank=True)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("For a body the handbook does not print: the police station, a law firm."),
    )
    consulted_on = models.DateField(_("consulted on"))
    consulted_by = models.CharField(_("consulted by"), max_length=200)
    advice = models.TextField(_("advice received"), blank=True)

    audit_secret = frozenset({"advice"})

    class Meta:
        ordering = ["consulted_on", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        default_related_name = "consultations"


class ResponseKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    DISCIPLINARY = "disciplinary", _("Disciplinary action")
    INJUNCTION = "injunction", _("Claim for an injunction (不正競争防止法 Art. 3)")
    DAMAGES = "damages", _("Claim for damages (不正競争防止法 Art. 4)")
    CRIMINAL_COMPLAINT = "criminal_complaint", _("Criminal complaint to the police")
    NO_ACTION = "no_action", _("No action (with the reason)")


class ResponseDecision(_IncidentPart):
    kind = models.CharField(_("response"), max_length=20, choices=ResponseKind.choices)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.CharField(_("decided by"), max_length=200)
    owner = models.CharField(_("carried out by"), max_length=200)
    reason = models.TextField(_("reason"))

    audit_secret = frozenset({"reason"})

    class Meta:
        ordering = ["decided_on", "pk"]
        verbose_name = _("response decided")
        verbose_name_plural = _("responses decided")
        default_related_name = "responses"


class ConcernKind(models.TextChoices):
    EXHIBITION_APPROACH = "exhibition_approach", _("Unusual approach at an exhibition")
    RECRUITER_OR_INVESTOR = (
        "recruiter_or_investor",
        _("A recruiter or investor asking about our technology"),
    )
    TECHNICAL_QUESTION = "technical_question", _("An overly technical question")
    PRIVATE_CONTACT = "private_contact", _("A request for private contact details")
    OTHER = "other", _("Something else that seemed odd")


class ConcernReport(PageModel, BaseModel):
    """A concern reported by anyone (employees included); it reaches the officer's queue."""

    reported_by = user_field(_("reported by"), required=True)
    kind = models.CharField(_("what happened"), max_length=30, choices=ConcernKind.choices)
    occurred_on = models.DateField(_("when"))
    who = models.CharField(
        _("who approached you"),
        max_length=200,
        blank=True,
        help_text=_("Name, organisation, or how they introduced themselves, as far as known."),
    )
    description = models.TextField(_("what was asked or requested"))
    exhibition = optional_ref(Exhibition, _("at the exhibition"), related_name="+")
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_note = models.TextField(_("officer's note"), blank=True)
    incident = optional_ref(
        Incident, _("incident"), on_delete=models.SET_NULL, related_name="concerns"
    )

    audit_secret = frozenset({"who", "description", "review_note"})

    page_url = "incidents:concern"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("concern report")
        verbose_name_plural = _("concern reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_on})"

    def audit_label(self) -> str:
        return f"CON-{self.pk}"
