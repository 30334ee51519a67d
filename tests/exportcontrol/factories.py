"""Builders for the export-control tests, through the services (so the audit log fills)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from mamori.assets import services as asset_services
from mamori.exportcontrol.services import authorizations, investment, screening
from mamori.partners import services as partner_services
from tests.assets import factories as assets

LIST_CSV = (
    "外国ユーザーリスト（テスト）\n"
    "\n"
    'No.,"国名・地域名\nCountry or Region","企業名・組織名\nCompany or Organization",'
    '"別名\nAlso Known As","懸念区分\nType of WMD",備考\n'
    '1,中国,Korvantis Precision Instruments Co.,"KPI Group;Korvantis Optics",ミサイル,x\n'
    "2,イラン,Delmaro Aerospace Industries,,核,\n"
    "3,北朝鮮,北辰光学研究所,,生物,\n"
)


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def counterparty(
    name: str = "Westfield Optics GmbH", *, country: str = "DE", kind: str = "customer"
):
    return partner_services.counterparty_save(name=name, kind=kind, country=country)


def controlled_technology(name: str = "高出力レーザー制御技術", **fields):
    technology = assets.technology(name, category="security")
    asset_services.classification_record(
        technology=technology,
        result="controlled",
        list_item="外為令別表 10項",
        judged_by="輸出管理担当",
        judged_on=fields.pop("judged_on", days_ago(30)),
        rejudge_due=fields.pop("rejudge_due", None),
    )
    return technology


def not_controlled_technology(name: str = "表面処理技術"):
    technology = assets.technology(name, category="core")
    asset_services.classification_record(
        technology=technology,
        result="not_controlled",
        judged_by="輸出管理担当",
        judged_on=days_ago(30),
        basis="項目別対比表で非該当",
    )
    return technology


def licence(technology, counterparty_, user, **fields):
    return authorizations.authorization_record(
        technology=technology,
        counterparty=counterparty_,
        kind=fields.pop("kind", "licence"),
        reference=fields.pop("reference", "経産省許可 第2026-001号"),
        decided_by="輸出管理担当",
        decided_on=fields.pop("decided_on", days_ago(10)),
        user=user,
        **fields,
    )


def imported_list(user=None, content: str = LIST_CSV, label: str = "2026年版"):
    return screening.end_user_list_import(
        content=content.encode("utf-8"), filename="list.csv", label=label, user=user
    )


def investor(name: str = "Pacific Frontier Fund L.P.", country: str = "KY"):
    return partner_services.counterparty_save(name=name, kind="investor", country=country)


def foreign_round(user, *, stake: str = "12.5", sectors=("dual_use",), listed: bool = False):
    fund = investor()
    investment.investor_profile_save(
        counterparty=fund, category="foreign_fund", checked_on=today(), basis="LPA確認"
    )
    if sectors is not None:
        investment.sector_declare(sectors=list(sectors), is_listed=listed, user=user)
    funding_round = investment.round_save(name="シリーズA", status="planned", planned_on=today())
    participation = investment.participation_save(
        funding_round=funding_round,
        investor=fund,
        stake=Decimal(stake),
        board_seat=True,
        technology_access=False,
    )
    return funding_round, participation


from mamori.exportcontrol.models import FundingRound  # noqa: E402,F401  (re-exported for tests)
