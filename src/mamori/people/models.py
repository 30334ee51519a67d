"""The people register: everyone who can touch the company's information, and their
life-cycle (joining, transfer, departure notice, departure), pledges, trainings and
declarations (side jobs, and the three 特定類型 of deemed-export rules)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.core.models import BaseModel, PageModel, optional_ref, part_of


class Department(BaseModel):
    name = models.CharField(_("department"), max_length=120, unique=True)
    code = models.CharField(_("code"), max_length=40, blank=True)

    name_field = "name"

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class PersonKind(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    EMPLOYEE = "employee", _("Employee")
    CONTRACTOR = "contractor", _("Contractor")
    INTERN = "intern", _("Intern")
    ADVISOR = "advisor", _("Advisor")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    NOTIFIED = "notified", _("Leaving (notice given)")
    DEPARTED = "departed", _("Departed")


class Person(PageModel, BaseModel):
    employee_number = models.CharField(_("employee number"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=120)
    name_kana = models.CharField(_("name (kana)"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=PersonKind.choices, default=PersonKind.EMPLOYEE
    )
    department = optional_ref(Department, _("department"), related_name="people")
    title = models.CharField(_("position"), max_length=120, blank=True)
    manager = optional_ref(
        "self",
        _("manager"),
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text=_("Works the findings about this person (their superior)."),
    )
    is_key_engineer = models.BooleanField(_("key engineer"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mamori account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    # Kept by the life-cycle services from the events below, so that rules can find
    # leavers with one indexed query.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PersonStatus.choices,
        default=PersonStatus.ACTIVE,
        db_index=True,
    )
    notice_given_on = models.DateField(_("departure notice given on"), null=True, blank=True)
    departed_on = models.DateField(_("departed on"), null=True, blank=True)

    page_url = "people:person"
    name_field = "name"

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["employee_number"],
                condition=~models.Q(employee_number=""),
                name="person_unique_employee_number",
            )
        ]


class EventKind(models.TextChoices):
    JOINED = "joined", _("Joined")
    TRANSFERRED = "transferred", _("Transferred")
    NOTICE = "notice", _("Departure notice")
    DEPARTED = "departed", _("Departed")


class LifecycleEvent(BaseModel):
    person = part_of(Person, _("person"), related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    from_department = optional_ref(Department, _("from department"), related_name="+")
    to_department = optional_ref(Department, _("to department"), related_name="+")
    note = models.TextField(_("note"), blank=True)

    audit_parent_field = "person"

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("life-cycle event")
        verbose_name_plural = _("life-cycle events")

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.date}"


class PledgeKind(models.TextChoices):
    JOINING = "joining", _("On joining")
    LEAVING = "leaving", _("On leaving")
    PROJECT = "project", _("For a project")


class Pledge(BaseModel):
    """A pledge (誓約書): requested, then signed (on paper, or acknowledged in mamori)."""

    person = part_of(Person, _("person"), related_name="pledges")
    kind = models.CharField(_("kind"), max_length=20, choices=PledgeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    requested_on = models.DateField(_("requested on"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # For an exit pledge: the information assets it names, as they were when it was made.
    listed_assets = models.JSONField(_("assets named"), default=list, blank=True)

    name_field = "title"
    audit_parent_field = "person"

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")


class TrainingTier(models.TextChoices):
    ALL_STAFF = "all_staff", _("All staff")
    NEW_HIRES = "new_hires", _("New hires")
    ENGINEERS = "engineers", _("Engineers and researchers")
    MANAGERS = "managers", _("Managers")
    EXECUTIVES = "executives", _("Executives")


class TrainingRecord(BaseModel):
    person = part_of(Person, _("person"), related_name="trainings")
    course = models.CharField(_("course"), max_length=200)
    tier = models.CharField(_("tier"), max_length=20, choices=TrainingTier.choices)
    completed_on = models.DateField(_("completed on"))

    audit_parent_field = "person"

    class Meta:
        ordering = ["-completed_on", "-pk"]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on})"


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class SideJobDeclaration(BaseModel):
    """A side job or second occupation (副業・兼業) declared by the person."""

    person = part_of(Person, _("person"), related_name="side_jobs")
    organisation = models.CharField(_("where"), max_length=200)
    activity = models.TextField(_("what"))
    overlaps_our_technology = models.BooleanField(_("overlaps with our technology"))
    overlap_note = models.TextField(_("how it overlaps"), blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    declared_on = models.DateField(_("declared on"))
    status = models.CharField(
        _("review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    review_note = models.TextField(_("review note"), blank=True)

    name_field = "organisation"
    audit_parent_field = "person"

    class Meta:
        ordering = ["-declared_on", "-pk"]
        verbose_name = _("side-job declaration")
        verbose_name_plural = _("side-job declarations")


class DeclarationOccasion(models.TextChoices):
    JOINING = "joining", _("On joining")
    YEARLY = "yearly", _("Yearly")
    CHANGE = "change", _("Change of circumstances")


class ForeignInfluenceDeclaration(BaseModel):
    """The yearly declaration of the three 特定類型 (deemed exports, 外為法).

    A declaration that answers yes to any type stays "open" until the officer closes it
    (for instance after a licence or an internal approval has been recorded).
    """

    person = part_of(Person, _("person"), related_name="foreign_declarations")
    occasion = models.CharField(_("occasion"), max_length=20, choices=DeclarationOccasion.choices)
    declared_on = models.DateField(_("declared on"))
    type1_foreign_contract = models.BooleanField(
        _(
            "type 1: under a contract with a foreign government etc. or a foreign company "
            "and bound by its instructions"
        )
    )
    type2_foreign_benefit = models.BooleanField(
        _("type 2: receives 25% or more of annual income from a foreign government etc.")
    )
    type3_foreign_instruction = models.BooleanField(
        _(
            "type 3: receives instructions or requests from a foreign government etc. "
            "about conduct in Japan"
        )
    )
    details = models.TextField(_("details"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    audit_parent_field = "person"

    class Meta:
        ordering = ["-declared_on", "-pk"]
        verbose_name = _("foreign-influence declaration")
        verbose_name_plural = _("foreign-influence declarations")

    def __str__(self) -> str:
        return f"{self.person} {self.declared_on}"

    @property
    def falls_under_a_type(self) -> bool:
        return (
            self.type1_foreign_contract
            or self.type2_foreign_benefit
            or self.type3_foreign_instruction
        )

    @property
    def is_open(self) -> bool:
        return self.falls_under_a_type and self.closed_on is None
