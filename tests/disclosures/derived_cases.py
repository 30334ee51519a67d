"""Derived-status cases for the disclosures rows (see tests/findings/cases.py).

Exhibitions and samples are built through their services; disclosures, counterparties
and contracts with the models directly (tests/sites/factories.py).
"""

from __future__ import annotations

import itertools

from mamori.accounts import services as account_services
from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.disclosures.services import samples as sample_services
from mamori.partners.models import CounterpartyKind
from tests.findings.cases import Case
from tests.sites import factories as make

_officers = itertools.count(1)


def _officer() -> User:
    return account_services.user_create(
        username=f"case-officer-{next(_officers)}",
        password="correct-horse-battery-9",
        role=Role.OFFICER,
        must_change_password=False,
    )


# --- urn:mamori:row:people:exhibitions ------------------------------------------------------


def _past_approved_exhibition() -> None:
    make.approved_exhibition(
        _officer(), "前回の展示会", starts_on=make.days_ago(2), ends_on=make.days_ago(1)
    )


def exhibitions_ok() -> None:
    _past_approved_exhibition()
    make.approved_exhibition(_officer(), "次回の展示会", starts_on=make.days_ahead(10))


def exhibitions_not_yet() -> None:
    _past_approved_exhibition()
    make.exhibition("次回の展示会", starts_on=make.days_ahead(10))  # scope not approved


# --- urn:mamori:row:alignment:customer-scope ------------------------------------------------


def _customer_disclosure():
    customer = make.counterparty("顧客E社", kind=CounterpartyKind.CUSTOMER)
    make.disclosure(customer, codenamed=True)
    return customer


def customer_scope_ok() -> None:
    customer = _customer_disclosure()
    sample = make.sample(customer, lent_on=make.days_ago(20), due_back_on=make.days_ago(5))
    sample_services.sample_record_return(sample=sample, returned_on=make.days_ago(6))
    sample_services.sample_record_inspection(
        sample=sample, inspected_on=make.days_ago(5), reverse_engineering_signs=False
    )
    make.sample(customer, description="貸出中のサンプル")  # out, not yet due


def customer_scope_not_yet() -> None:
    make.overdue_sample(_customer_disclosure())


CASES: list[Case] = [
    Case(
        "urn:mamori:row:people:exhibitions",
        exhibitions_ok,
        exhibitions_not_yet,
        "説明・公表可能な範囲が未承認の展示会 (1)",
    ),
    Case(
        "urn:mamori:row:alignment:customer-scope",
        customer_scope_ok,
        customer_scope_not_yet,
        "返却期限を過ぎたサンプル (1)",
    ),
]
