"""Licences and judgements that none is needed; catch-all checks of disclosures abroad."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.assets import services as asset_services
from mamori.assets.models import Technology
from mamori.core.errors import ApplicationError
from mamori.core.validation import validate_instance, validated_save
from mamori.disclosures.models import Disclosure
from mamori.exportcontrol.models import (
    AuthorizationKind,
    CatchAllCheck,
    CatchAllConclusion,
    ExportAuthorization,
)
from mamori.partners.models import Counterparty
from mamori.people.models import Person

__all__ = ["authorization_record", "catch_all_record"]

NOT_THE_RECIPIENT = gettext_lazy("The disclosure was made to another counterparty.")
NOT_FOREIGN = gettext_lazy(
    "%(counterparty)s is in Japan: a licence is about giving technology abroad or to a "
    "non-resident. For a person in Japan under a 特定類型, choose the person."
)
CONCERN_NOT_CLEAR = gettext_lazy(
    "A concern was found (use, end user or METI's notice): the conclusion cannot be "
    "“no concern”. Ask METI, and record whether a licence is needed or the provision stopped."
)
IN_FUTURE = gettext_lazy("The date is in the future.")


@transaction.atomic
def authorization_record(
    *,
    technology: Technology,
    kind: str,
    decided_by: str,
    decided_on: datetime.date,
    user: User | None,
    counterparty: Counterparty | None = None,
    person: Person | None = None,
    disclosure: Disclosure | None = None,
    reference: str = "",
    basis: str = "",
    valid_until: datetime.date | None = None,
) -> ExportAuthorization:
    """Record a licence, or a judgement that none is needed, for giving ``technology`` to
    a foreign ``counterparty`` (optionally for one ``disclosure``) or to a ``person`` under
    a 特定類型. A record for a person is also entered in the technology's deemed-export
    approvals, which the deemed-export rule reads. Raise ``ApplicationError`` naming the
    field at fault."""
    if disclosure is not None:
        if counterparty is not None and counterparty.pk != disclosure.counterparty_id:
            raise ApplicationError(str(NOT_THE_RECIPIENT), field="disclosure")
        counterparty = disclosure.counterparty
    if counterparty is not None and not counterparty.is_foreign:
        raise ApplicationError(
            str(NOT_FOREIGN % {"counterparty": counterparty.name}), field="counterparty"
        )
    authorization = ExportAuthorization(
        technology=technology,
        counterparty=counterparty,
        person=person,
        disclosure=disclosure,
        kind=kind,
        reference=reference.strip(),
        basis=basis.strip(),
        decided_by=decided_by.strip(),
        decided_on=decided_on,
        valid_until=valid_until,
        recorded_by=user,
    )
    validate_instance(authorization, exclude=["deemed_approval", "recorded_by"])
    if person is not None:
        label = (
            authorization.reference
            if kind == AuthorizationKind.LICENCE
            else f"許可不要の判断: {authorization.basis}"
        )
        authorization.deemed_approval = asset_services.deemed_export_approval_record(
            person=person,
            technology=technology,
            reference=label[:200],
            approved_on=decided_on,
            valid_until=valid_until,
        )
    authorization.save()
    return authorization


@transaction.atomic
def catch_all_record(
    *,
    disclosure: Disclosure,
    end_use: str,
    end_user: str,
    conclusion: str,
    checked_by: str,
    checked_on: datetime.date,
    military_end_use: bool = False,
    end_user_listed: bool = False,
    informed: bool = False,
    note: str = "",
) -> CatchAllCheck:
    """Record the catch-all check of a disclosure. A check that found a concern cannot
    conclude "no concern" (``ApplicationError`` on ``conclusion``)."""
    from django.utils import timezone

    if checked_on > timezone.localdate():
        raise ApplicationError(str(IN_FUTURE), field="checked_on")
    check = CatchAllCheck(
        disclosure=disclosure,
        end_use=end_use.strip(),
        end_user=end_user.strip(),
        military_end_use=military_end_use,
        end_user_listed=end_user_listed,
        informed=informed,
        conclusion=conclusion,
        checked_by=checked_by.strip(),
        checked_on=checked_on,
        note=note.strip(),
    )
    if check.has_concern and conclusion == CatchAllConclusion.NO_CONCERN:
        raise ApplicationError(str(CONCERN_NOT_CLEAR), field="conclusion")
    return validated_save(check)
