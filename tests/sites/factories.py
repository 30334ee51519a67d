"""Builders for the outreach registers (samples, exhibitions, overseas sites, equipment).

Samples, exhibitions, sites and equipment go through their services, as the app does.
Counterparties, contracts and disclosures belong to other areas: they are created with
the models directly, so these tests do not depend on how those areas' services evolve.
"""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from mamori.contracts.models import Contract, ContractClause, ContractKind
from mamori.disclosures.models import Disclosure, Exhibition, Method, Sample
from mamori.disclosures.services import exhibitions as exhibition_services
from mamori.disclosures.services import samples as sample_services
from mamori.partners.models import Counterparty, CounterpartyKind
from mamori.people import services as people_services
from mamori.people.models import Person
from mamori.sites import services as site_services
from mamori.sites.models import EquipmentDispatch, OverseasSite, SiteKind

CONFIDENTIALITY = "urn:mamori:clause:confidentiality"
NO_REVERSE_ENGINEERING = "urn:mamori:clause:no_reverse_engineering"
_numbers = itertools.count(1)


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def days_ahead(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


def person(name: str | None = None, **fields: Any) -> Person:
    return people_services.person_create(name=name or f"社員{next(_numbers)}", **fields)


def counterparty(
    name: str | None = None, *, kind: str = CounterpartyKind.CUSTOMER, country: str = "JP"
) -> Counterparty:
    return Counterparty.objects.create(
        name=name or f"取引先{next(_numbers)}", kind=kind, country=country
    )


def contract(
    party: Counterparty,
    *,
    title: str = "秘密保持契約",
    kind: str = ContractKind.NDA,
    signed_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    clauses: tuple[str, ...] = (CONFIDENTIALITY,),
) -> Contract:
    """Return a signed contract holding ``clauses`` (a confidentiality clause: an NDA)."""
    made = Contract.objects.create(
        title=title,
        kind=kind,
        counterparty=party,
        signed_on=signed_on or days_ago(365),
        ends_on=ends_on,
    )
    for index, clause in enumerate(clauses, start=1):
        ContractClause.objects.create(contract=made, clause=clause, article=f"第{index}条")
    return made


def disclosure(party: Counterparty, **fields: Any) -> Disclosure:
    fields.setdefault("disclosed_on", days_ago(10))
    fields.setdefault("purpose", "評価用の技術資料の提供")
    fields.setdefault("method", Method.EMAIL)
    return Disclosure.objects.create(counterparty=party, **fields)


def sample(
    party: Counterparty | None = None,
    *,
    description: str = "評価用サンプル（ロットA-01）",
    lent_on: datetime.date | None = None,
    due_back_on: datetime.date | None = None,
    **fields: Any,
) -> Sample:
    return sample_services.sample_lend(
        counterparty=party or counterparty(),
        description=description,
        lent_on=lent_on or days_ago(30),
        due_back_on=due_back_on or days_ahead(30),
        **fields,
    )


def overdue_sample(party: Counterparty | None = None, **fields: Any) -> Sample:
    return sample(party, lent_on=days_ago(60), due_back_on=days_ago(5), **fields)


def exhibition(
    name: str = "国際ナノテク展",
    *,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    **fields: Any,
) -> Exhibition:
    starts_on = starts_on or days_ahead(14)
    fields.setdefault("venue", "東京ビッグサイト")
    fields.setdefault("may_disclose", "製品カタログ記載の仕様、公開済み特許")
    fields.setdefault("must_not_disclose", "焼成条件、原材料の調達先、顧客名")
    return exhibition_services.exhibition_save(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on or starts_on + datetime.timedelta(days=2),
        **fields,
    )


def approved_exhibition(officer, name: str = "国際ナノテク展", **fields: Any) -> Exhibition:
    """Return an exhibition whose scope the officer approved the day before it started
    (or today, for one still to come)."""
    made = exhibition(name, **fields)
    approved_on = min(today(), made.starts_on - datetime.timedelta(days=1))
    return exhibition_services.exhibition_approve_scope(
        exhibition=made, approved_by=officer, approved_on=approved_on
    )


def site(
    name: str = "蘇州工場",
    *,
    kind: str = SiteKind.PRODUCTION,
    country: str = "CN",
    **fields: Any,
) -> OverseasSite:
    fields.setdefault("laws_checked_on", days_ago(100))
    fields.setdefault("laws_note", "国家情報法により当局の協力要請があり得る")
    fields.setdefault("opened_on", days_ago(100))
    return site_services.site_save(name=name, kind=kind, country=country, **fields)


def dispatch(sent_to: Counterparty | None = None, **fields: Any) -> EquipmentDispatch:
    fields.setdefault("equipment", "スパッタ装置 SP-300")
    fields.setdefault("purpose", "定期メンテナンス")
    fields.setdefault("sent_on", days_ago(3))
    fields.setdefault("has_customisations", True)
    fields.setdefault("customisations_reverted", True)
    fields.setdefault("checked_by", "製造部 田中")
    return site_services.equipment_dispatch_save(
        sent_to=sent_to
        or counterparty("装置メーカー株式会社", kind=CounterpartyKind.EQUIPMENT_MAKER),
        **fields,
    )
