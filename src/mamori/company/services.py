"""Writes to the company profile and its growth stage."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.catalog.selectors import get_catalog
from mamori.company.models import Company, Stage, StageDecision
from mamori.company.stage_wizard import propose_stage
from mamori.core.errors import ApplicationError
from mamori.core.services import model_update

OVERRIDE_NEEDS_REASON = gettext_lazy(
    "You chose a stage other than the one proposed; please give the reason."
)
OFFICER_MUST_HAVE_ROLE = gettext_lazy(
    "The responsible officer must be an active user with the officer role."
)

PROFILE_FIELDS = (
    "name",
    "name_en",
    "corporate_number",
    "address",
    "industry",
    "business",
    "founded_on",
    "employee_count",
    "catch_all_all_foreign",
    "incident_containment_days",
)


@transaction.atomic
def company_save(
    *,
    officer: User | None = None,
    officer_appointed_on: datetime.date | None = None,
    officer_mandate: str = "",
    **profile: Any,
) -> Company:
    """Create or update the company profile and its responsible officer (STEP 1).

    Raise ``ApplicationError`` when the officer is not an active user with the officer role.
    """
    if officer is not None and not (officer.is_active and officer.role == Role.OFFICER):
        raise ApplicationError(OFFICER_MUST_HAVE_ROLE, field="officer")
    company = Company.objects.select_for_update().first() or Company()
    model_update(company, profile, allowed=PROFILE_FIELDS)
    company.officer = officer
    company.officer_appointed_on = officer_appointed_on
    company.officer_mandate = officer_mandate.strip()
    company.full_clean()
    company.save()
    return company


@transaction.atomic
def stage_decide(
    *,
    decided_by: User,
    stage: str,
    answers: Mapping[str, bool | None] | None = None,
    reason: str = "",
) -> StageDecision:
    """Record the company's growth stage as confirmed by the officer.

    With wizard ``answers`` the proposal is recomputed here, never trusted from the form.
    Choosing another stage than proposed (or deciding without answers) needs a reason.
    Raise ``ApplicationError`` when the stage is unknown, an answer is missing or the
    reason is.
    """
    if stage not in Stage.values:
        raise ApplicationError(_("Unknown stage."), field="stage")
    proposed = ""
    clean_answers: dict[str, bool] = {}
    if answers:
        proposal = propose_stage(get_catalog(), answers)
        proposed = proposal.stage
        clean_answers = {qid: bool(answers[qid]) for qid in proposal.asked}
    reason = reason.strip()
    if stage != proposed and not reason:
        raise ApplicationError(OVERRIDE_NEEDS_REASON, field="reason")
    return StageDecision.objects.create(
        stage=stage,
        proposed_stage=proposed,
        answers=clean_answers,
        reason=reason,
        decided_by=decided_by,
    )
