"""Builders for counterparties, contracts and disclosures, through the services."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable
from typing import Any

from mamori.accounts import services as account_services
from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.assets.models import InformationAsset
from mamori.catalog.selectors import get_catalog
from mamori.contracts import services
from mamori.contracts.models import Contract, ContractKind, ProvisionStage
from mamori.disclosures.models import Disclosure, Method
from mamori.disclosures.services import ledger
from mamori.partners import services as partner_services
from mamori.partners.models import Counterparty, CounterpartyKind
from tests.findings import factories as f

CONFIDENTIALITY = "urn:mamori:clause:confidentiality"
CAPITAL_CHANGE = "urn:mamori:clause:change_of_control"
NO_OTHER_USE = "urn:mamori:clause:no_other_use"
_numbers = itertools.count(1)

today, days_ago = f.today, f.days_ago


def days_ahead(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


def asset(name: str | None = None, *, rank: int | None = 2, **fields: Any) -> InformationAsset:
    """Return a well-managed asset, 社外秘 (rank 2) unless told otherwise."""
    return f.asset(name or f"技術資料{next(_numbers)}", rank=rank, **fields)


def counterparty(
    name: str | None = None, *, kind: str = CounterpartyKind.UNIVERSITY, **fields: Any
) -> Counterparty:
    return partner_services.counterparty_save(
        name=name or f"取引先{next(_numbers)}", kind=kind, **fields
    )


def required(kind: str) -> list[str]:
    return [clause.id for clause in get_catalog().required_clauses(kind)]


def contract(
    party: Counterparty | None = None,
    *,
    kind: str = ContractKind.NDA,
    title: str | None = None,
    signed_on: datetime.date | None = None,
    scope: Iterable[InformationAsset] = (),
    clauses: Iterable[str] | None = None,
    **fields: Any,
) -> Contract:
    """Return a signed contract (90 days ago) holding every clause its kind requires,
    unless ``clauses`` says which it holds."""
    made = services.contract_save(
        title=title or f"契約{next(_numbers)}",
        kind=kind,
        counterparty=party or counterparty(),
        signed_on=signed_on if signed_on is not None else days_ago(90),
        scope=list(scope),
        **fields,
    )
    held = required(kind) if clauses is None else list(clauses)
    services.contract_set_clauses(
        contract=made, clauses={clause: f"第{i}条" for i, clause in enumerate(held, 1)}
    )
    return made


def unsigned(party: Counterparty, **fields: Any) -> Contract:
    return services.contract_save(
        title=f"契約案{next(_numbers)}",
        kind=fields.pop("kind", ContractKind.NDA),
        counterparty=party,
        signed_on=None,
        **fields,
    )


def stage(
    of: Contract,
    name: str,
    assets: Iterable[InformationAsset] = (),
    *,
    reached_on: datetime.date | None = None,
) -> ProvisionStage:
    made = services.provision_stage_save(contract=of, name=name, assets=list(assets))
    if reached_on is not None:
        made = services.provision_stage_reach(stage=made, reached_on=reached_on)
    return made


def officer_user() -> User:
    return User.objects.filter(username="factory-officer").first() or (
        account_services.user_create(
            username="factory-officer",
            password="factory-password-9",
            role=Role.OFFICER,
            must_change_password=False,
        )
    )


def disclose(
    to: Counterparty,
    assets: Iterable[InformationAsset],
    *,
    contract: Contract | None = None,
    disclosed_on: datetime.date | None = None,
    codenamed: bool = False,
    **fields: Any,
) -> Disclosure:
    """Record a disclosure whatever its warnings (confirmed, or overridden by the officer)."""
    assets = list(assets)
    disclosed_on = disclosed_on or today()
    warnings = ledger.disclosure_warnings(
        counterparty=to, assets=assets, disclosed_on=disclosed_on, contract=contract
    )
    return ledger.disclosure_record(
        counterparty=to,
        assets=assets,
        contract=contract,
        disclosed_on=disclosed_on,
        purpose=fields.pop("purpose", "試作品の評価"),
        method=fields.pop("method", Method.EMAIL),
        codenamed=codenamed,
        user=officer_user(),
        confirmed=[w.key for w in warnings],
        override_reason="テストのため" if warnings else "",
        **fields,
    )
