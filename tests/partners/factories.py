"""Small builders for counterparties and their reviews, through the services (so the
audit log fills) — except joint-research contracts, written with the contracts model
directly because their services belong to another area."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from mamori.accounts.models import User
from mamori.assets import services as asset_services
from mamori.assets.models import Technology
from mamori.catalog.selectors import get_catalog
from mamori.contracts.models import Contract, ContractKind, Renewal
from mamori.partners import services
from mamori.partners.models import Counterparty, CounterpartyKind, DueDiligence, Risk

PUBLIC = "urn:mamori:dd:joint-research-public"
PERSPECTIVES = "urn:mamori:dd:joint-research-perspectives"
MANUFACTURER = "urn:mamori:dd:manufacturer-licensee"

_numbers = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def counterparty(
    name: str | None = None, *, kind: str = CounterpartyKind.UNIVERSITY, **fields: Any
) -> Counterparty:
    return services.counterparty_save(name=name or f"取引先{next(_numbers)}", kind=kind, **fields)


def university(name: str = "東都工業大学 材料研究室", **fields: Any) -> Counterparty:
    return counterparty(name, kind=CounterpartyKind.UNIVERSITY, **fields)


def manufacturer(name: str = "台北精密製造股份有限公司", **fields: Any) -> Counterparty:
    fields.setdefault("country", "TW")
    return counterparty(name, kind=CounterpartyKind.MANUFACTURER, **fields)


def started_dd(
    partner: Counterparty,
    questionnaire: str = PUBLIC,
    *,
    performed_on: datetime.date | None = None,
) -> DueDiligence:
    return services.dd_start(
        counterparty=partner,
        questionnaire=questionnaire,
        performed_on=performed_on or today(),
        performed_by="鈴木 大輔",
    )


def answer_all(review: DueDiligence, *, concern_on: str = "") -> None:
    for question in get_catalog().questionnaire(review.questionnaire).questions:
        services.dd_answer(
            due_diligence=review,
            question=question.id,
            answer=f"{question.text.ja}について確認した",
            concern=question.id == concern_on,
            evidence="https://www.example.ac.jp/about",
        )


def approved_dd(
    partner: Counterparty,
    officer: User,
    questionnaire: str = PUBLIC,
    *,
    performed_on: datetime.date | None = None,
    risk: str = Risk.LOW,
    valid_until: datetime.date | None = None,
) -> DueDiligence:
    """Return a complete review of ``partner``, rated and approved by ``officer``."""
    review = started_dd(partner, questionnaire, performed_on=performed_on)
    answer_all(review)
    services.dd_rate(due_diligence=review, risk=risk, reasoning="公開情報に懸念なし")
    return services.dd_approve(
        due_diligence=review,
        user=officer,
        approved_on=review.performed_on,
        valid_until=valid_until,
    )


def technology(name: str = "固体電解質の焼成技術", *, importance: str = "high") -> Technology:
    """Return a technology whose scores give ``importance`` (high, medium or low)."""
    scores = {"high": (3, 3, 3), "medium": (2, 2, 2), "low": (1, 1, 1)}[importance]
    return asset_services.technology_save(
        name=name,
        category="core",
        competitiveness=scores[0],
        damage_if_leaked=scores[1],
        others_interest=scores[2],
    )


def joint_research_contract(
    partner: Counterparty,
    *,
    ends_on: datetime.date | None = None,
    renewal: str = Renewal.NONE,
    title: str = "共同研究契約",
) -> Contract:
    return Contract.objects.create(
        title=title,
        kind=ContractKind.JOINT_RESEARCH,
        counterparty=partner,
        signed_on=days_ago(400),
        starts_on=days_ago(400),
        ends_on=ends_on,
        renewal=renewal,
    )


def approver() -> User:
    """Return an officer account to approve reviews with (for callers without fixtures)."""
    from mamori.accounts import services as account_services
    from mamori.accounts.roles import Role

    existing = User.objects.filter(username="dd-approver").first()
    return existing or account_services.user_create(
        username="dd-approver",
        password="correct-horse-battery-9",
        role=Role.OFFICER,
        display_name="承認 責任者",
        must_change_password=False,
    )
