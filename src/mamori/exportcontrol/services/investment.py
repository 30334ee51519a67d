"""Foreign investors, the designated-sector declaration and funding rounds.

What a round needs (prior notification, a review, what to prepare) is worked out by
``mamori.exportcontrol.selectors.participation_assessment`` from ``data/fdi.yaml``; the
services here only keep the facts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.core.services import model_update
from mamori.core.validation import validated_save
from mamori.exportcontrol.knowledge import investment_rules
from mamori.exportcontrol.models import (
    FundingRound,
    InvestorProfile,
    RoundParticipation,
    RoundStatus,
    SectorDeclaration,
)
from mamori.partners.models import Counterparty, CounterpartyKind

__all__ = [
    "investor_profile_save",
    "participation_delete",
    "participation_record_notification",
    "participation_review_leakage",
    "participation_save",
    "round_save",
    "sector_declare",
]

NOT_AN_INVESTOR = gettext_lazy(
    "%(counterparty)s is not registered as an investor. Change its type to 投資家 first."
)
ONLY_OFFICER_DECLARES = gettext_lazy("Only the officer may declare the designated sectors.")
UNKNOWN_SECTOR = gettext_lazy("Unknown sector: %(sector)s.")
CLOSED_NEEDS_DATE = gettext_lazy("Give the date the round closed.")
IN_FUTURE = gettext_lazy("The date is in the future.")
SHARE_NEEDED = gettext_lazy("Give the share held by foreign investors.")
ONLY_OFFICER_REVIEWS = gettext_lazy("Only the officer may record the capital-policy review.")
REVIEW_NEEDED = gettext_lazy(
    "Say what was decided: how the investor's seat or access is limited, or why it is accepted."
)


def _investor(counterparty: Counterparty, field: str) -> None:
    if counterparty.kind != CounterpartyKind.INVESTOR:
        raise ApplicationError(
            str(NOT_AN_INVESTOR % {"counterparty": counterparty.name}), field=field
        )


@transaction.atomic
def investor_profile_save(
    *,
    counterparty: Counterparty,
    category: str,
    checked_on: datetime.date,
    foreign_share: Decimal | None = None,
    state_owned: bool = False,
    relation: str = "",
    basis: str = "",
) -> InvestorProfile:
    """Record whether an investor is a foreign investor and how that was determined, and
    its relation to the business (a competitor or a CVC is reviewed under the capital
    policy whatever its nationality)."""
    _investor(counterparty, "counterparty")
    if category == "foreign_controlled" and foreign_share is None:
        raise ApplicationError(str(SHARE_NEEDED), field="foreign_share")
    profile = InvestorProfile.objects.filter(counterparty=counterparty).first() or InvestorProfile(
        counterparty=counterparty
    )
    profile.category, profile.foreign_share = category, foreign_share
    profile.state_owned, profile.basis, profile.checked_on = state_owned, basis.strip(), checked_on
    profile.relation = relation
    return validated_save(profile)


@transaction.atomic
def sector_declare(
    *,
    sectors: Iterable[str],
    is_listed: bool,
    user: User,
    note: str = "",
    declared_on: datetime.date | None = None,
) -> SectorDeclaration:
    """Record the officer's declaration of the company's designated sectors (none is a
    valid answer); the newest declaration is the one in force."""
    if not user.has_capability(Capability.COMPANY_MANAGE):
        raise NotPermitted(str(ONLY_OFFICER_DECLARES))
    rules = investment_rules()
    chosen = sorted(set(sectors))
    for sector in chosen:
        if rules.sector(sector) is None:
            raise ApplicationError(str(UNKNOWN_SECTOR % {"sector": sector}), field="sectors")
    declaration = SectorDeclaration(
        sectors=chosen,
        is_listed=is_listed,
        note=note.strip(),
        declared_by=user,
        declared_on=declared_on or timezone.localdate(),
    )
    return validated_save(declaration)


ROUND_FIELDS = ("name", "status", "planned_on", "closed_on", "note")


@transaction.atomic
def round_save(*, funding_round: FundingRound | None = None, **fields: Any) -> FundingRound:
    """Create or change a funding round; a closed round needs its closing date."""
    funding_round = model_update(funding_round or FundingRound(), fields, allowed=ROUND_FIELDS)
    if funding_round.status == RoundStatus.CLOSED and funding_round.closed_on is None:
        raise ApplicationError(str(CLOSED_NEEDS_DATE), field="closed_on")
    if funding_round.closed_on and funding_round.closed_on > timezone.localdate():
        raise ApplicationError(str(IN_FUTURE), field="closed_on")
    return validated_save(funding_round)


@transaction.atomic
def participation_save(
    *,
    funding_round: FundingRound,
    investor: Counterparty,
    stake: Decimal,
    board_seat: bool = False,
    technology_access: bool = False,
    participation: RoundParticipation | None = None,
) -> RoundParticipation:
    """Add an investor to a round (or change its terms)."""
    _investor(investor, "investor")
    participation = participation or RoundParticipation(funding_round=funding_round)
    if participation.pk and (
        participation.investor_id != investor.pk
        or (participation.board_seat, participation.technology_access)
        != (board_seat, technology_access)
    ):
        # The capital-policy review was of other terms: it has to be made again.
        participation.leakage_review, participation.leakage_reviewed_on = "", None
        participation.leakage_reviewed_by = None
    participation.investor, participation.stake = investor, stake
    participation.board_seat, participation.technology_access = board_seat, technology_access
    return validated_save(participation)


@transaction.atomic
def participation_record_notification(
    *, participation: RoundParticipation, filed_on: datetime.date, reference: str = ""
) -> RoundParticipation:
    """Record that the prior notification for this investor was filed."""
    if filed_on > timezone.localdate():
        raise ApplicationError(str(IN_FUTURE), field="filed_on")
    participation.notification_filed_on = filed_on
    participation.notification_reference = reference.strip()
    participation.save()
    return participation


@transaction.atomic
def participation_review_leakage(
    *,
    participation: RoundParticipation,
    review: str,
    user: User,
    reviewed_on: datetime.date | None = None,
) -> RoundParticipation:
    """Record the officer's capital-policy review of an investor's board seat or access to
    non-public technology (what is limited, or why it is accepted).

    Raise ``NotPermitted`` for anyone but the officer and ``ApplicationError`` without a
    review or with a date in the future.
    """
    if not user.has_capability(Capability.COMPANY_MANAGE):
        raise NotPermitted(str(ONLY_OFFICER_REVIEWS))
    review = review.strip()
    if not review:
        raise ApplicationError(str(REVIEW_NEEDED), field="review")
    reviewed_on = reviewed_on or timezone.localdate()
    if reviewed_on > timezone.localdate():
        raise ApplicationError(str(IN_FUTURE), field="reviewed_on")
    participation.leakage_review, participation.leakage_reviewed_on = review, reviewed_on
    participation.leakage_reviewed_by = user
    participation.save()
    return participation


@transaction.atomic
def participation_delete(*, participation: RoundParticipation) -> None:
    participation.delete()
