"""The demo company's export control: a small end-user list (fictional entries), a
counterparty that resembles one of them — a hit the officer cleared — and a Series A
round in which an overseas fund takes 15% with a board seat, flagged for prior
notification because the officer declared a designated sector."""

from __future__ import annotations

import datetime
from decimal import Decimal

from mamori.accounts.models import User
from mamori.core.actor import acting_as
from mamori.exportcontrol.models import ScreeningHit
from mamori.exportcontrol.services import investment, screening
from mamori.partners import services as partner_services

# Fictional organisations, in the layout of METI's list (title row, bilingual headers).
END_USER_LIST = """外国ユーザーリスト（デモ用・架空）
No.,"国名・地域名
Country or Region","企業名・組織名
Company or Organization","別名
Also Known As","懸念区分
Type of WMD"
1,ロシア,Nordlicht Photonik,"NPRC;Nordlicht Optics Research Center",ミサイル
2,イラン,Delmaro Aerospace Industries,DAI,ミサイル
3,中国,華東星光精密材料研究所,East China Starlight Precision Materials Institute,核
4,北朝鮮,Korvantis Trading Corporation,,核
5,パキスタン,Quotrex Advanced Materials,,核
6,シリア,Scientific Studies Technical Centre,SSTC,化学
"""


def build_exportcontrol(users: dict[str, User], today: datetime.date) -> None:
    officer = users["sato"]
    with acting_as(officer):
        photonics = partner_services.counterparty_save(
            name="Nordlicht Photonics GmbH",
            kind="customer",
            country="DE",
            business_record="ドイツの光学部品メーカー。太陽電池用保護膜の評価を打診されている。",
        )
        screening.end_user_list_import(
            content=END_USER_LIST.encode("utf-8"),
            filename="foreign_user_list_demo.csv",
            label="外国ユーザーリスト（デモ・架空）",
            published_on=today - datetime.timedelta(days=30),
            user=officer,
        )
        for hit in ScreeningHit.objects.filter(counterparty=photonics):
            screening.hit_decide(
                hit=hit,
                status="cleared",
                note="所在国（ドイツ）・住所・代表者が掲載企業（ロシア）と異なり、資本関係もない。別会社と判断。",
                user=officer,
            )

        fund = partner_services.counterparty_save(
            name="Horizon Deep Tech Fund L.P.", kind="investor", country="SG"
        )
        investment.investor_profile_save(
            counterparty=fund,
            category="foreign_fund",
            checked_on=today - datetime.timedelta(days=7),
            relation="financial",
            basis="LPAと出資者一覧で確認。GPはシンガポール法人、LPの過半が海外投資家。",
        )
        domestic = partner_services.counterparty_save(
            name="つくばイノベーション投資事業有限責任組合", kind="investor", country="JP"
        )
        investment.investor_profile_save(
            counterparty=domestic,
            category="domestic",
            checked_on=today - datetime.timedelta(days=7),
            basis="GP・LPとも国内。",
        )
        investment.sector_declare(
            sectors=["dual_use"],
            is_listed=False,
            note="封止材料の一部が輸出貿易管理令別表第1の5項（先端材料）に関係する可能性があるため、"
            "該当するものとして扱う（経済産業省に確認中）。",
            user=officer,
            declared_on=today - datetime.timedelta(days=5),
        )
        series_a = investment.round_save(
            name="シリーズA",
            status="planned",
            planned_on=today + datetime.timedelta(days=45),
            note="リード投資家はHorizon Deep Tech Fund。",
        )
        investment.participation_save(
            funding_round=series_a,
            investor=fund,
            stake=Decimal("15"),
            board_seat=True,
            technology_access=False,
        )
        investment.participation_save(
            funding_round=series_a, investor=domestic, stake=Decimal("8"), board_seat=False
        )
        # A domestic competitor's venture arm: not a foreign investor, but its access to
        # non-public technology is a capital-policy question (the handbook's STEP 1).
        competitor_cvc = partner_services.counterparty_save(
            name="大和コーティング・ベンチャーズ合同会社", kind="investor", country="JP"
        )
        investment.investor_profile_save(
            counterparty=competitor_cvc,
            category="domestic",
            relation="competitor",
            checked_on=today - datetime.timedelta(days=7),
            basis="大和コーティング株式会社（保護膜の競合メーカー）の100%子会社。",
        )
        investment.participation_save(
            funding_round=series_a,
            investor=competitor_cvc,
            stake=Decimal("5"),
            board_seat=False,
            technology_access=True,
        )
