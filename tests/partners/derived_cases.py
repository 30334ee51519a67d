"""Derived-status cases for the partners rows (see tests/findings/cases.py)."""

from __future__ import annotations

from mamori.partners import services
from mamori.partners.models import ThemeDecision
from tests.findings.cases import Case
from tests.partners import factories as make

THEME_SELECTION = "urn:mamori:row:joint_research:theme-selection"
PUBLIC_INFO = "urn:mamori:row:joint_research:partner-dd-public-info"
PARTNER_DD = "urn:mamori:row:joint_research:partner-dd"
PRODUCTION_DD = "urn:mamori:row:overseas_production:partner-dd"


# --- theme selection ----------------------------------------------------------------------


def _theme(partner=None):
    partner = partner or make.university("東都工業大学 材料研究室")
    return services.theme_save(
        counterparty=partner,
        title="次世代電解質の評価手法",
        technologies=[make.technology(importance="medium")],
    )


def theme_decided():
    theme = _theme()
    services.theme_decide(
        theme=theme,
        decision=ThemeDecision.GO_WITH_CONDITIONS,
        conditions="評価手法に限定し、配合条件は開示しない。",
    )
    make.joint_research_contract(theme.counterparty)


def theme_undecided():
    _theme()


def research_partner_without_decided_theme():
    theme_decided()
    other = make.university("西都大学 電池研究室")
    make.joint_research_contract(other)


# --- joint research: due diligence from public information -------------------------------


def public_info_reviewed():
    make.approved_dd(make.university(), make.approver(), make.PUBLIC)


def public_info_capital_changed():
    partner = make.university()
    make.approved_dd(partner, make.approver(), make.PUBLIC, performed_on=make.days_ago(60))
    services.capital_change_record(
        counterparty=partner, occurred_on=make.days_ago(10), description="海外企業が筆頭株主に"
    )


def public_info_member_left_behind():
    partner = make.university()
    make.approved_dd(partner, make.approver(), make.PUBLIC)
    services.partner_member_add(counterparty=partner, name="伊藤 学生", role="学生")
    make.joint_research_contract(partner, ends_on=make.days_ago(30))


def public_info_not_reviewed():
    make.university()


# --- joint research: country, organisation and individual ---------------------------------


def perspectives_reviewed():
    make.approved_dd(make.university(), make.approver(), make.PERSPECTIVES)


def perspectives_missing():
    make.approved_dd(make.university(), make.approver(), make.PUBLIC)


# --- overseas production: manufacturers and licensees --------------------------------------


def manufacturer_reviewed():
    make.approved_dd(make.manufacturer(), make.approver(), make.MANUFACTURER)


def manufacturer_review_expired():
    make.approved_dd(
        make.manufacturer(), make.approver(), make.MANUFACTURER, performed_on=make.days_ago(400)
    )


def manufacturer_not_reviewed():
    make.manufacturer()


CASES: list[Case] = [
    Case(
        THEME_SELECTION,
        theme_decided,
        theme_undecided,
        "共同研究のテーマごとに、扱う技術の重要性と相手先を踏まえた判断が記録されている",
    ),
    Case(
        THEME_SELECTION,
        theme_decided,
        research_partner_without_decided_theme,
        "共同研究のテーマごとに、扱う技術の重要性と相手先を踏まえた判断が記録されている",
    ),
    Case(
        PUBLIC_INFO, public_info_reviewed, public_info_capital_changed, "資本変動後のDDが未実施 (1)"
    ),
    Case(
        PUBLIC_INFO,
        public_info_reviewed,
        public_info_member_left_behind,
        "共同研究終了後も相手方メンバーが登録されたまま (1)",
    ),
    Case(
        PUBLIC_INFO,
        public_info_reviewed,
        public_info_not_reviewed,
        "DDを実施していない取引先・共同研究先 (1)",
    ),
    Case(
        PARTNER_DD,
        perspectives_reviewed,
        perspectives_missing,
        "共同研究先のDDで、相手国・組織・個人の観点を確認している",
    ),
    Case(
        PARTNER_DD, perspectives_reviewed, public_info_capital_changed, "資本変動後のDDが未実施 (1)"
    ),
    Case(PRODUCTION_DD, manufacturer_reviewed, manufacturer_review_expired, "DDの有効期限切れ (1)"),
    Case(
        PRODUCTION_DD,
        manufacturer_reviewed,
        manufacturer_not_reviewed,
        "DDを実施していない取引先・共同研究先 (1)",
    ),
]
