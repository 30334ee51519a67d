"""Derived-status cases for the sites rows (see tests/findings/cases.py).

Sites and equipment are built through their services; disclosures, counterparties and
contracts with the models directly (tests/sites/factories.py).
"""

from __future__ import annotations

from mamori.partners.models import CounterpartyKind
from mamori.sites.models import SiteKind
from tests.findings.cases import Case
from tests.sites import factories as make

# --- urn:mamori:row:overseas_production:country-checks -------------------------------------


def country_checks_ok() -> None:
    make.site("蘇州工場")  # laws checked, with what they allow


def country_checks_not_yet() -> None:
    make.site("蘇州工場")
    make.site("ハノイ工場", country="VN", laws_checked_on=None, laws_note="")


# --- urn:mamori:row:overseas_production:overseas-rd-sites ---------------------------------

RESTRICTIONS = "研究棟は登録者のみ入館、試験データは本社サーバーにのみ保存"


def rd_sites_ok() -> None:
    make.site(
        "上海研究所",
        kind=SiteKind.RESEARCH,
        access_restrictions=RESTRICTIONS,
        opened_on=make.days_ago(30),
    )


def rd_sites_not_yet() -> None:
    make.site(
        "上海研究所",
        kind=SiteKind.RESEARCH,
        access_restrictions=RESTRICTIONS,
        opened_on=make.days_ago(500),  # no audit for more than a year
    )


# --- urn:mamori:row:alignment:outside-supply-chain ----------------------------------------


def _maker_under_nda():
    """An equipment maker that received information under an NDA in force."""
    maker = make.counterparty("装置メーカーF社", kind=CounterpartyKind.EQUIPMENT_MAKER)
    make.contract(maker, title="装置メーカーF社との秘密保持契約")
    make.disclosure(maker, purpose="装置カスタマイズのための運転条件の提供", codenamed=True)
    return maker


def outside_supply_chain_ok() -> None:
    make.dispatch(_maker_under_nda())  # customisations reverted, checked


def outside_supply_chain_not_yet() -> None:
    make.dispatch(_maker_under_nda(), customisations_reverted=False, checked_by="")


CASES: list[Case] = [
    Case(
        "urn:mamori:row:overseas_production:country-checks",
        country_checks_ok,
        country_checks_not_yet,
        "進出先国の制度・労働慣行が未確認 (1)",
    ),
    Case(
        "urn:mamori:row:overseas_production:overseas-rd-sites",
        rd_sites_ok,
        rd_sites_not_yet,
        "海外拠点の監査期限切れ (1)",
    ),
    Case(
        "urn:mamori:row:alignment:outside-supply-chain",
        outside_supply_chain_ok,
        outside_supply_chain_not_yet,
        "カスタマイズを戻さずに送った製造装置 (1)",
    ),
]
