"""How an imported row is written: through the owning app's services, so that the same
rules hold and the audit log records every change as if it had been made on the page.

A writer takes the row (``WriteRow``: its values, references already resolved to
records, and the record it updates or ``None``) and the import's ``WriteContext``, and
returns the record and what happened to it (``CREATED``, ``UPDATED`` or ``UNCHANGED``).
It raises ``ApplicationError`` (with the field at fault) when a rule refuses the row.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.approvals.models import ApprovalRequest
from mamori.assets import services as asset_services
from mamori.assets.models import AccessGrant
from mamori.core.errors import ApplicationError
from mamori.disclosures.models import Disclosure
from mamori.disclosures.services import ledger
from mamori.people import services as people_services
from mamori.people.models import Department, Person, PersonStatus, TrainingRecord

__all__ = [
    "CREATED",
    "REQUESTED",
    "UNCHANGED",
    "UPDATED",
    "WriteContext",
    "WriteRow",
    "finish_people",
    "save_writer",
    "write_asset",
    "write_department",
    "write_disclosure",
    "write_grant",
    "write_person",
    "write_training",
]

CREATED = "created"
# A grant that needs approval: asked for, not made.
REQUESTED = "requested"
UPDATED = "updated"
UNCHANGED = "unchanged"

GRANT_REVOKED_ON_OTHER_DAY = gettext_lazy("This access was already revoked on %(date)s.")
GRANT_REVOKED_CANNOT_CHANGE = gettext_lazy(
    "This access was revoked on %(date)s; a revoked grant no longer changes. "
    "Grant access again with a new start date."
)
OWN_MANAGER = gettext_lazy("A person cannot be their own manager.")
NOTICE_ON_OTHER_DAY = gettext_lazy(
    "%(person)s gave notice on %(date)s; change it on the person's page."
)
DEPARTED_ON_OTHER_DAY = gettext_lazy("%(person)s left on %(date)s; change it on the person's page.")
DISCLOSURE_WARNED = gettext_lazy(
    "Not imported because of its warnings — record it on the disclosure page, where they "
    "are confirmed, or ask the officer to import it: %(warnings)s"
)
DISCLOSURE_BLOCKED = gettext_lazy(
    "Blocked: %(warnings)s Only the officer can import it, with a reason."
)


@dataclass
class WriteRow:
    values: dict[str, Any]
    instance: models.Model | None = None


@dataclass
class WriteContext:
    user: User | None
    today: datetime.date


def _same(instance: models.Model, name: str, value: Any) -> bool:
    """Return whether the record already holds ``value`` (without loading related rows
    for a reference: its id is compared)."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        current = getattr(instance, name).values_list("pk", flat=True)
        return set(current) == {item.pk for item in value}
    if field.many_to_one:
        return getattr(instance, field.attname) == (value.pk if value is not None else None)
    return getattr(instance, name) == value


def save_writer(service: Callable[..., models.Model], instance_argument: str) -> Callable:
    """Return a writer that calls a ``<thing>_save(*, <thing>=None, **fields)`` service.

    An existing record whose values already equal the row's is left untouched, so that
    importing the same file twice writes (and audits) nothing the second time.
    """

    def write(row: WriteRow, context: WriteContext) -> tuple[models.Model, str]:
        if row.instance is None:
            return service(**{instance_argument: None}, **row.values), CREATED
        changes = {
            name: value
            for name, value in row.values.items()
            if not _same(row.instance, name, value)
        }
        if not changes:
            return row.instance, UNCHANGED
        return service(**{instance_argument: row.instance}, **changes), UPDATED

    write.__name__ = f"save_writer({service.__name__})"
    return write


def write_asset(row: WriteRow, context: WriteContext) -> tuple[models.Model, str]:
    """Add or update an information asset; a lowered secrecy class that needs approval is
    asked for (``REQUESTED``) while the row's other changes are saved."""
    if row.instance is None:
        return asset_services.asset_save(**row.values), CREATED
    changes = {
        name: value for name, value in row.values.items() if not _same(row.instance, name, value)
    }
    if not changes:
        return row.instance, UNCHANGED
    asset, asked = asset_services.asset_change(
        asset=row.instance, changed_by=context.user, **changes
    )
    return asset, REQUESTED if asked is not None else UPDATED


def write_department(row: WriteRow, context: WriteContext) -> tuple[Department, str]:
    department = row.instance
    outcome = UPDATED
    if department is None:
        department = people_services.department_get_or_create(name=row.values["name"])
        outcome = CREATED
    changes = {
        name: value for name, value in row.values.items() if not _same(department, name, value)
    }
    if not changes:
        return department, UNCHANGED if outcome == UPDATED else outcome
    department = people_services.department_update(department=department, **changes)
    return department, outcome


LIFECYCLE_FIELDS = ("notice_given_on", "departed_on")


def write_person(row: WriteRow, context: WriteContext) -> tuple[Person, str]:
    """Add or update a person; notice and departure wait for ``finish_people``, so that
    the access of someone who left can be imported (and shown revoked) first."""
    values = {k: v for k, v in row.values.items() if k not in LIFECYCLE_FIELDS}
    if row.instance is not None and all(_same(row.instance, k, v) for k, v in values.items()):
        return row.instance, UNCHANGED  # nothing to lock or write
    person, outcome, _moved = people_services.person_import_row(
        values=values, person=row.instance, on=context.today
    )
    return person, outcome


def finish_people(row: WriteRow, person: Person, context: WriteContext) -> bool:
    """Set the manager, and record the departure notice and the departure a people row
    gives.

    Runs once every register of the file has been written, so that a manager further down
    the sheet exists, and the access of someone who left is imported (revoked) before the
    departure. Return whether the person
    changed. Raise ``ApplicationError`` (with the field) for a notice or departure that
    contradicts the one on record.
    """
    # Imported here: the life-cycle services build on the people and asset services.
    from mamori.lifecycle import services as lifecycle_services

    notice = row.values.get("notice_given_on")
    departed = row.values.get("departed_on")
    changed = False
    manager = row.values.get("manager")
    if manager is not None and manager.pk != person.manager_id:
        if manager.pk == person.pk:
            raise ApplicationError(OWN_MANAGER, field="manager")
        person.refresh_from_db()
        people_services.person_update(person=person, manager=manager)
        changed = True
    if notice is not None:
        person.refresh_from_db()
        if person.notice_given_on is None and person.status == PersonStatus.ACTIVE:
            lifecycle_services.person_give_notice(person=person, notice_on=notice)
            changed = True
        elif person.notice_given_on != notice:
            raise ApplicationError(
                NOTICE_ON_OTHER_DAY % {"person": person, "date": person.notice_given_on},
                field="notice_given_on",
            )
    if departed is not None:
        person.refresh_from_db()
        if person.status != PersonStatus.DEPARTED:
            lifecycle_services.person_depart(person=person, departed_on=departed)
            changed = True
        elif person.departed_on != departed:
            raise ApplicationError(
                DEPARTED_ON_OTHER_DAY % {"person": person, "date": person.departed_on},
                field="departed_on",
            )
    return changed


def write_grant(row: WriteRow, context: WriteContext) -> tuple[AccessGrant, str]:
    """Grant access (and revoke it when the row gives a revocation date), or update the
    reason and end date of a grant, or revoke it."""
    values = row.values
    revoked_on = values.get("revoked_on")
    grant = row.instance
    if grant is None:
        given = {
            "person": values["person"],
            "asset": values["asset"],
            "reason": values.get("reason", ""),
            "granted_by": context.user,
            "valid_from": values.get("valid_from"),
            "valid_until": values.get("valid_until"),
        }
        if revoked_on is None and context.user is not None:
            # Access that needs approval is asked for: the request waits for the asset's
            # owner or the officer.
            result = asset_services.grant_give(**given)
            return result, REQUESTED if isinstance(result, ApprovalRequest) else CREATED
        grant = asset_services.grant_create(**given)
        if revoked_on is not None:
            asset_services.grant_revoke(
                grant=grant,
                revoked_by=context.user,
                reason=values.get("revoke_reason", ""),
                revoked_on=revoked_on,
            )
        return grant, CREATED
    changes = {
        name: values[name]
        for name in ("reason", "valid_until", "revoke_reason")
        if name in values and getattr(grant, name) != values[name]
    }
    if grant.revoked_on is not None:
        if revoked_on is not None and revoked_on != grant.revoked_on:
            raise ApplicationError(
                GRANT_REVOKED_ON_OTHER_DAY % {"date": grant.revoked_on.isoformat()},
                field="revoked_on",
            )
        if changes:
            raise ApplicationError(
                GRANT_REVOKED_CANNOT_CHANGE % {"date": grant.revoked_on.isoformat()},
                field=next(iter(changes)),
            )
        return grant, UNCHANGED
    changes.pop("revoke_reason", None)
    if changes:
        grant = asset_services.grant_update(grant=grant, changed_by=context.user, **changes)
    if revoked_on is not None:
        asset_services.grant_revoke(
            grant=grant,
            revoked_by=context.user,
            reason=values.get("revoke_reason", ""),
            revoked_on=revoked_on,
        )
    return grant, UPDATED if changes or revoked_on is not None else UNCHANGED


def write_training(row: WriteRow, context: WriteContext) -> tuple[TrainingRecord, str]:
    record = row.instance
    if record is None:
        values = row.values
        record = people_services.training_record(
            person=values["person"],
            course=values["course"],
            tier=values["tier"],
            completed_on=values["completed_on"],
        )
        return record, CREATED
    changes = {name: value for name, value in row.values.items() if not _same(record, name, value)}
    if not changes:
        return record, UNCHANGED
    return people_services.training_update(record=record, **changes), UPDATED


def write_disclosure(row: WriteRow, context: WriteContext) -> tuple[Disclosure, str]:
    """Record an imported disclosure through the ledger's checks (every contract in force
    when no contract is named). The ledger only grows: a row matching a recorded
    disclosure changes nothing. A row with warnings is refused, naming them, unless the
    officer imports it (the officer's import confirms them); 極秘 information with
    warnings is blocked unless the officer gives a reason, which overrides the block."""
    if row.instance is not None:
        return row.instance, UNCHANGED
    values = dict(row.values)
    values.pop("provision_stage", None)
    reason = (values.pop("override_reason", "") or "").strip()
    user = context.user
    officer = user is not None and user.has_capability(Capability.COMPANY_MANAGE)
    if reason and not officer:
        raise ApplicationError(str(ledger.OVERRIDE_NOT_PERMITTED), field="override_reason")
    fields = {
        "counterparty": values["counterparty"],
        "contract": values.get("contract"),
        "assets": values.get("assets") or [],
        "disclosed_on": values["disclosed_on"],
        "disclosed_by": values.get("disclosed_by"),
        "purpose": values.get("purpose") or "",
        "method": values.get("method") or "",
        "codenamed": bool(values.get("codenamed")),
        "use_withheld": values.get("use_withheld"),
        "pre_deal": bool(values.get("pre_deal")),
    }
    confirmed: list[str] = []
    if officer:
        # The officer answers for an import: it confirms the warnings; 極秘 information
        # with warnings still needs the officer's reason.
        confirmed = [
            warning.key
            for warning in ledger.disclosure_warnings(
                counterparty=fields["counterparty"],
                assets=fields["assets"],
                disclosed_on=fields["disclosed_on"],
                contract=fields["contract"],
                pre_deal=fields["pre_deal"],
            )
        ]
    try:
        disclosure = ledger.disclosure_record(
            user=user, confirmed=confirmed, override_reason=reason, **fields
        )
    except ledger.DisclosureNeedsConfirmation as exc:
        language = translation.get_language() or "ja"
        texts = " ".join(warning.message.get(language, "") for warning in exc.warnings)
        message = DISCLOSURE_BLOCKED if exc.blocked else DISCLOSURE_WARNED
        raise ApplicationError(str(message % {"warnings": texts}), field="assets") from exc
    return disclosure, CREATED
