"""Writes to the people register: persons, pledges, trainings and declarations.

Life-cycle changes that also touch access (transfer, departure notice, departure) are in
``mamori.lifecycle.services``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.core.actor import acting_as_system, current_actor
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.core.progress import Progress
from mamori.core.services import model_update
from mamori.core.validation import validated_save
from mamori.people.importer import ParsedFile, RowError
from mamori.people.models import (
    Department,
    EventKind,
    ForeignInfluenceDeclaration,
    LifecycleEvent,
    Person,
    Pledge,
    ReviewStatus,
    SideJobDeclaration,
    TrainingRecord,
)

PERSON_FIELDS = (
    "employee_number",
    "name",
    "name_kana",
    "email",
    "kind",
    "department",
    "title",
    "is_key_engineer",
    "joined_on",
    "manager",
)
KEEP = object()  # "leave as it is", where None is a meaningful value
LINK_OFFICER_ONLY = gettext_lazy(
    "Only the officer can link a person to a mamori account or change the link."
)


def _check_may_link(linked_by: User | None) -> None:
    """Refuse a link made by anyone but the officer (``linked_by``, or else the acting
    user); a command or job that acts as no user (the demo, the server's administrator)
    may link."""
    # Whoever a person record is linked to inherits its grants and ownerships: linking one
    # to one's own account would be a way around need-to-know.
    if linked_by is None:
        if acting_as_system():
            return
        linked_by = User.objects.filter(pk=current_actor().user_id).first()
    if (
        linked_by is None
        or not linked_by.is_active
        or not linked_by.has_capability(Capability.USERS_MANAGE)
    ):
        raise NotPermitted(str(LINK_OFFICER_ONLY), field="user")


EMPLOYEE_NUMBER_TAKEN = gettext_lazy("The employee number %(number)s is already used by %(name)s.")
ACCOUNT_TAKEN = gettext_lazy("This mamori account already belongs to %(name)s.")


def _check_unique(person: Person) -> None:
    if person.employee_number:
        clash = (
            Person.objects.filter(employee_number=person.employee_number)
            .exclude(pk=person.pk)
            .first()
        )
        if clash:
            raise ApplicationError(
                EMPLOYEE_NUMBER_TAKEN % {"number": person.employee_number, "name": clash.name},
                field="employee_number",
            )
    if person.user_id:
        clash = Person.objects.filter(user_id=person.user_id).exclude(pk=person.pk).first()
        if clash:
            raise ApplicationError(ACCOUNT_TAKEN % {"name": clash.name}, field="user")


def department_get_or_create(*, name: str) -> Department:
    name = name.strip()
    if not name:
        raise ApplicationError(_("Enter the department's name."), field="name")
    department, _created = Department.objects.get_or_create(name=name)
    return department


DEPARTMENT_FIELDS = ("name", "code")


@transaction.atomic
def department_update(*, department: Department, **fields: Any) -> Department:
    """Change a department's name or code; raise ``ApplicationError`` for an invalid value."""
    model_update(department, fields, allowed=DEPARTMENT_FIELDS, strip=False)
    return validated_save(department)


@transaction.atomic
def person_create(
    *, user: User | None = None, linked_by: User | None = None, **fields: Any
) -> Person:
    """Register a person; when ``joined_on`` is given, the joining is recorded as an event.

    Raise ``ApplicationError`` when a field is invalid or the employee number or the
    account belongs to someone else, and ``NotPermitted`` when ``user`` is given and
    ``linked_by`` is not the officer.
    """
    if user is not None:
        _check_may_link(linked_by)
    person = model_update(Person(user=user), fields, allowed=PERSON_FIELDS, strip=False)
    # Uniqueness first: full_clean also checks the constraint, with a vaguer message.
    _check_unique(person)
    validated_save(person)
    if person.joined_on:
        LifecycleEvent.objects.create(
            person=person,
            kind=EventKind.JOINED,
            date=person.joined_on,
            to_department=person.department,
        )
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    user: User | object | None = KEEP,
    linked_by: User | None = None,
    **fields: Any,
) -> Person:
    """Change a person's details (not their department or status: see the life-cycle).

    The linked account changes only when ``user`` is given (``None`` unlinks it), and only
    by the officer (``linked_by``): raise ``NotPermitted`` otherwise. The change is in the
    audit log like every other.
    """
    model_update(person, fields, allowed=PERSON_FIELDS, strip=False)
    if user is not KEEP and getattr(user, "pk", None) != person.user_id:
        _check_may_link(linked_by)
        person.user = user
    # Uniqueness first: full_clean also checks the constraint, with a vaguer message.
    _check_unique(person)
    return validated_save(person)


@transaction.atomic
def training_record(
    *, person: Person, course: str, tier: str, completed_on: datetime.date
) -> TrainingRecord:
    record = TrainingRecord(
        person=person, course=course.strip(), tier=tier, completed_on=completed_on
    )
    return validated_save(record)


TRAINING_FIELDS = ("person", "course", "tier", "completed_on")


@transaction.atomic
def training_update(*, record: TrainingRecord, **fields: Any) -> TrainingRecord:
    """Change a training record (``TRAINING_FIELDS``); raise ``ApplicationError`` for an
    invalid value."""
    model_update(record, fields, allowed=TRAINING_FIELDS, strip=False)
    return validated_save(record)


@transaction.atomic
def pledge_request(
    *,
    person: Person,
    kind: str,
    title: str,
    requested_on: datetime.date,
    text: str = "",
    listed_assets: list[dict] | None = None,
    signed_on: datetime.date | None = None,
) -> Pledge:
    """Ask a person for a pledge (or record one already signed, with ``signed_on``)."""
    pledge = Pledge(
        person=person,
        kind=kind,
        title=title.strip(),
        text=text,
        requested_on=requested_on,
        signed_on=signed_on,
        listed_assets=listed_assets or [],
    )
    return validated_save(pledge)


@transaction.atomic
def pledge_sign(*, pledge: Pledge, signed_on: datetime.date) -> Pledge:
    """Record that the pledge has been signed (or acknowledged by the person in mamori)."""
    if pledge.signed_on:
        raise ApplicationError(_("This pledge has already been signed."))
    pledge.signed_on = signed_on
    pledge.save()
    return pledge


@transaction.atomic
def side_job_declare(
    *,
    person: Person,
    organisation: str,
    activity: str,
    overlaps_our_technology: bool,
    declared_on: datetime.date,
    overlap_note: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> SideJobDeclaration:
    """Record a side-job declaration; one that overlaps our technology must say how."""
    if overlaps_our_technology and not overlap_note.strip():
        raise ApplicationError(
            _("Say how the side job overlaps with our technology."), field="overlap_note"
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise ApplicationError(_("The end date is before the start date."), field="ends_on")
    declaration = SideJobDeclaration(
        person=person,
        organisation=organisation.strip(),
        activity=activity.strip(),
        overlaps_our_technology=overlaps_our_technology,
        overlap_note=overlap_note.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        declared_on=declared_on,
    )
    return validated_save(declaration)


@transaction.atomic
def side_job_review(
    *, declaration: SideJobDeclaration, status: str, review_note: str = ""
) -> SideJobDeclaration:
    if status not in (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED):
        raise ApplicationError(_("Choose whether the side job is accepted."), field="status")
    declaration.status = status
    declaration.review_note = review_note.strip()
    declaration.save()
    return declaration


@transaction.atomic
def foreign_declare(
    *,
    person: Person,
    occasion: str,
    declared_on: datetime.date,
    type1_foreign_contract: bool,
    type2_foreign_benefit: bool,
    type3_foreign_instruction: bool,
    details: str = "",
) -> ForeignInfluenceDeclaration:
    """Record a 特定類型 declaration; answering yes to a type needs the details."""
    falls_under = type1_foreign_contract or type2_foreign_benefit or type3_foreign_instruction
    if falls_under and not details.strip():
        raise ApplicationError(
            _("Describe the contract, benefit or instruction you declared."), field="details"
        )
    declaration = ForeignInfluenceDeclaration(
        person=person,
        occasion=occasion,
        declared_on=declared_on,
        type1_foreign_contract=type1_foreign_contract,
        type2_foreign_benefit=type2_foreign_benefit,
        type3_foreign_instruction=type3_foreign_instruction,
        details=details.strip(),
    )
    return validated_save(declaration)


@transaction.atomic
def foreign_declaration_close(
    *, declaration: ForeignInfluenceDeclaration, closed_on: datetime.date, closing_note: str
) -> ForeignInfluenceDeclaration:
    """Close an open declaration once it has been dealt with (licence, approval, change)."""
    if not closing_note.strip():
        raise ApplicationError(_("Say how the declaration was dealt with."), field="closing_note")
    declaration.closed_on = closed_on
    declaration.closing_note = closing_note.strip()
    declaration.save()
    return declaration


# --- register pages, self-service and import ---------------------------------------------

BOTH_DEPARTMENTS = gettext_lazy("Choose a department or type a new one, not both.")
NOT_YOUR_PLEDGE = gettext_lazy("You can only acknowledge your own pledges.")
SIGNED_BEFORE_REQUESTED = gettext_lazy(
    "The pledge cannot be signed before it was requested (%(date)s)."
)
DATE_IN_FUTURE = gettext_lazy("The date is in the future.")
ALREADY_CLOSED = gettext_lazy("This declaration has already been closed.")
NOTHING_TO_CLOSE = gettext_lazy("This declaration falls under no type; there is nothing to close.")


@transaction.atomic
def person_save(
    *,
    person: Person | None = None,
    user: User | object | None = KEEP,
    linked_by: User | None = None,
    new_department: str = "",
    **fields: Any,
) -> Person:
    """Create (``person`` is None) or update a person from the register form.

    A department typed in ``new_department`` is created when it does not exist yet.
    Raise ``ApplicationError`` when both a department and a new one are given, or as
    ``person_create`` / ``person_update`` do.
    """
    if new_department.strip():
        if fields.get("department") is not None:
            raise ApplicationError(str(BOTH_DEPARTMENTS), field="new_department")
        fields["department"] = department_get_or_create(name=new_department)
    if person is None:
        return person_create(user=None if user is KEEP else user, linked_by=linked_by, **fields)
    return person_update(person=person, user=user, linked_by=linked_by, **fields)


@transaction.atomic
def pledge_record_signed(*, pledge: Pledge, signed_on: datetime.date) -> Pledge:
    """Record that a requested pledge was signed on paper on ``signed_on``.

    Raise ``ApplicationError`` when it is already signed, or the date is before the
    request or in the future.
    """
    if signed_on < pledge.requested_on:
        raise ApplicationError(
            SIGNED_BEFORE_REQUESTED % {"date": pledge.requested_on.isoformat()}, field="signed_on"
        )
    if signed_on > timezone.localdate():
        raise ApplicationError(str(DATE_IN_FUTURE), field="signed_on")
    return pledge_sign(pledge=pledge, signed_on=signed_on)


@transaction.atomic
def pledge_acknowledge(*, pledge: Pledge, user: User) -> Pledge:
    """Record that a signed-in person acknowledged their own pledge in mamori today.

    Raise ``NotPermitted`` when the pledge belongs to someone else, and
    ``ApplicationError`` when it is already signed.
    """
    if user is None or pledge.person.user_id != user.pk:
        raise NotPermitted(str(NOT_YOUR_PLEDGE))
    return pledge_sign(pledge=pledge, signed_on=timezone.localdate())


@transaction.atomic
def foreign_declaration_close_open(
    *, declaration: ForeignInfluenceDeclaration, closed_on: datetime.date, closing_note: str
) -> ForeignInfluenceDeclaration:
    """Close an open 特定類型 declaration (see ``foreign_declaration_close``).

    Raise ``ApplicationError`` when the declaration is already closed, falls under no
    type, or the date is in the future.
    """
    if declaration.closed_on is not None:
        raise ApplicationError(str(ALREADY_CLOSED))
    if not declaration.falls_under_a_type:
        raise ApplicationError(str(NOTHING_TO_CLOSE))
    if closed_on > timezone.localdate():
        raise ApplicationError(str(DATE_IN_FUTURE), field="closed_on")
    return foreign_declaration_close(
        declaration=declaration, closed_on=closed_on, closing_note=closing_note
    )


# A transfer opens an access review, which the apps above this one own: the life-cycle app
# registers its ``person_transfer`` here at start-up (``LifecycleConfig.ready``), so that an
# imported department change is recorded as a transfer without this module importing it.
_TRANSFER: list[Callable[..., Any]] = []


def person_transfer_register(transfer: Callable[..., Any]) -> None:
    """Have the import record department changes with ``transfer`` (keyword arguments
    ``person``, ``to_department``, ``date``, ``note``)."""
    _TRANSFER[:] = [transfer]


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    transferred: int


class PeopleImportError(ApplicationError):
    """The import was refused; ``errors`` lists every problem by row and column."""

    def __init__(self, errors: list[RowError]):
        super().__init__(_("The file has errors; nothing was imported."), field="file")
        self.errors = errors


class ImportOutcome:
    """What importing one row did to the register (see ``person_import_row``)."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@transaction.atomic
def person_import_row(
    *, values: dict[str, Any], person: Person | None, on: datetime.date
) -> tuple[Person, str, bool]:
    """Add a person (``person`` is None) or update one from an imported row.

    Only the fields in ``values`` change; a changed department of someone who already has
    one is recorded as a transfer on ``on``, which opens an access review. Return the
    person, the outcome (``ImportOutcome``) and whether a transfer was recorded. Raise
    ``ApplicationError`` as ``person_create``, ``person_update`` and the transfer do.
    """
    if person is None:
        return person_create(**values), ImportOutcome.CREATED, False
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    values = dict(values)
    department = values.pop("department", None)
    changes = {name: value for name, value in values.items() if getattr(person, name) != value}
    move = (
        department is not None
        and person.department_id is not None
        and department.pk != person.department_id
    )
    if department is not None and person.department_id is None:
        changes["department"] = department
    if changes:
        person = person_update(person=person, user=person.user, **changes)
    if move:
        _TRANSFER[0](
            person=person,
            to_department=department,
            date=on,
            note=_("Recorded by the people import."),
        )
    outcome = ImportOutcome.UPDATED if changes or move else ImportOutcome.UNCHANGED
    return person, outcome, move


@transaction.atomic
def people_import(
    *, parsed: ParsedFile, on: datetime.date | None = None, progress: Progress | None = None
) -> ImportResult:
    """Write every row of a checked people file, all or none.

    A row whose employee number is known updates that person (blank cells keep the
    current value); any other row adds a person. A changed department of someone who
    already has one is recorded as a transfer on ``on`` (today by default), which opens
    an access review. Raise ``PeopleImportError`` when the file had errors or a row is
    refused while writing; nothing is written then. ``progress`` advances by one for each
    row written.
    """
    if parsed.errors:
        raise PeopleImportError(parsed.errors)
    progress = progress or Progress()
    progress.step(_("Writing rows"), total=len(parsed.rows))
    on = on or timezone.localdate()
    counts = dict.fromkeys(
        (ImportOutcome.CREATED, ImportOutcome.UPDATED, ImportOutcome.UNCHANGED), 0
    )
    transferred = 0
    for row in parsed.rows:
        try:
            _person, outcome, moved = person_import_row(values=row.values, person=row.person, on=on)
        except ApplicationError as exc:
            column = parsed.headers.get(exc.field or "", "")
            raise PeopleImportError([RowError(row.row, column, exc.message)]) from exc
        counts[outcome] += 1
        transferred += int(moved)
        progress.advance()
    return ImportResult(
        created=counts[ImportOutcome.CREATED],
        updated=counts[ImportOutcome.UPDATED],
        unchanged=counts[ImportOutcome.UNCHANGED],
        transferred=transferred,
    )
