"""Writes to counterparties, shareholders, members, capital changes, due diligence and
research themes: what is accepted, and what is refused with which message."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from mamori.audit.models import AuditEntry
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.partners import selectors, services
from mamori.partners.models import (
    CapitalChange,
    Counterparty,
    DueDiligenceAnswer,
    ResearchTheme,
    Risk,
    Shareholder,
    ThemeDecision,
)
from tests.partners import factories as make

pytestmark = pytest.mark.django_db


# --- counterparties -----------------------------------------------------------------------


def test_counterparty_save_creates_and_updates_with_a_normalised_country():
    partner = services.counterparty_save(
        name="  Lumen Photonics Inc. ", kind="joint_research", country="us"
    )
    assert partner.name == "Lumen Photonics Inc." and partner.country == "US"
    assert partner.is_foreign
    services.counterparty_save(counterparty=partner, business_record="光学部品の開発")
    partner.refresh_from_db()
    assert partner.business_record == "光学部品の開発" and partner.name == "Lumen Photonics Inc."


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "", "kind": "university"}, "name"),
        ({"name": "X大学", "kind": "bank"}, "kind"),
        ({"name": "X大学", "kind": "university", "country": "Japan"}, "country"),
        (
            {
                "name": "X大学",
                "kind": "university",
                "established_on": datetime.date.today() + datetime.timedelta(days=30),
            },
            "established_on",
        ),
    ],
)
def test_counterparty_save_refuses_bad_input(fields, field):
    with pytest.raises(ApplicationError) as error:
        services.counterparty_save(**fields)
    assert error.value.field == field
    assert not Counterparty.objects.exists()


def test_counterparty_save_rejects_unknown_fields():
    with pytest.raises(TypeError):
        services.counterparty_save(name="X", kind="other", secret="y")


# --- shareholders -------------------------------------------------------------------------


def test_shareholders_and_foreign_share():
    partner = make.counterparty()
    services.shareholder_add(counterparty=partner, name="創業者", share=Decimal("40"))
    services.shareholder_add(counterparty=partner, name="Sino Fund", share="35.5", country="cn")
    services.shareholder_add(
        counterparty=partner,
        name="State Capital",
        share=3,
        country="CN",
        is_government_related=True,
    )
    assert selectors.foreign_share(partner) == Decimal("38.5")
    assert [h.name for h in selectors.shareholders(partner)] == [
        "創業者",
        "Sino Fund",
        "State Capital",
    ]
    assert [h.name for h in selectors.major_shareholders(partner)] == ["創業者", "Sino Fund"]
    assert selectors.counterparty_detail(partner.pk).foreign_share == Decimal("38.5")


def test_foreign_share_is_zero_without_foreign_shareholders():
    partner = make.counterparty()
    assert selectors.foreign_share(partner) == 0
    services.shareholder_add(counterparty=partner, name="国内VC", share=10)
    assert selectors.foreign_share(partner) == 0
    assert selectors.counterparty_detail(partner.pk).foreign_share is None


@pytest.mark.parametrize("share", [Decimal("-1"), Decimal("100.01"), "abc", "NaN"])
def test_a_share_outside_0_to_100_is_refused(share):
    partner = make.counterparty()
    with pytest.raises(ApplicationError) as error:
        services.shareholder_add(counterparty=partner, name="X", share=share)
    assert error.value.field == "share"
    assert str(services.SHARE_RANGE) in str(error.value)


def test_shares_may_reach_but_not_exceed_100_percent():
    partner = make.counterparty()
    services.shareholder_add(counterparty=partner, name="A", share=60)
    services.shareholder_add(counterparty=partner, name="B", share=40)
    with pytest.raises(ApplicationError) as error:
        services.shareholder_add(counterparty=partner, name="C", share="0.5")
    assert error.value.field == "share"
    assert "100.5%" in str(error.value) and "100%" in str(error.value)
    assert Shareholder.objects.filter(counterparty=partner).count() == 2


def test_updating_a_shareholder_counts_the_others_only():
    partner = make.counterparty()
    first = services.shareholder_add(counterparty=partner, name="A", share=60)
    services.shareholder_add(counterparty=partner, name="B", share=30)
    services.shareholder_update(shareholder=first, name="A社", share=70, country="JP")
    first.refresh_from_db()
    assert first.share == 70 and first.name == "A社"
    with pytest.raises(ApplicationError):
        services.shareholder_update(shareholder=first, name="A社", share=71, country="JP")
    first.refresh_from_db()
    assert first.share == 70


def test_another_counterpartys_shares_do_not_count():
    services.shareholder_add(counterparty=make.counterparty(), name="A", share=90)
    services.shareholder_add(counterparty=make.counterparty(), name="A", share=90)
    assert Shareholder.objects.count() == 2


def test_shareholder_remove_is_audited():
    holder = services.shareholder_add(counterparty=make.counterparty(), name="A", share=10)
    services.shareholder_remove(shareholder=holder)
    assert not Shareholder.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_repr__startswith="A").exists()


# --- members ------------------------------------------------------------------------------


def test_members_current_and_past():
    partner = make.university()
    professor = services.partner_member_add(
        counterparty=partner, name="高橋 教授", role="教授", since=make.days_ago(300)
    )
    student = services.partner_member_add(
        counterparty=partner, name="伊藤 学生", role="学生", since=make.days_ago(200)
    )
    services.partner_member_end(member=student, until=make.days_ago(10))
    members = selectors.members(partner)
    assert members.current == [professor]
    assert members.past == [student]


def test_member_dates_must_be_in_order_and_ended_once():
    partner = make.university()
    with pytest.raises(ApplicationError) as error:
        services.partner_member_add(
            counterparty=partner,
            name="X",
            since=make.days_ago(1),
            until=make.days_ago(5),
        )
    assert error.value.field == "until"
    member = services.partner_member_add(counterparty=partner, name="X", since=make.days_ago(5))
    with pytest.raises(ApplicationError):
        services.partner_member_end(member=member, until=make.days_ago(6))
    services.partner_member_end(member=member, until=make.days_ago(1))
    with pytest.raises(ApplicationError) as error:
        services.partner_member_end(member=member, until=make.today())
    assert error.value.field == "until"
    member.refresh_from_db()
    assert member.until == make.days_ago(1)


def test_a_member_needs_a_name():
    with pytest.raises(ApplicationError) as error:
        services.partner_member_add(counterparty=make.university(), name="  ")
    assert error.value.field == "name"


# --- capital changes ----------------------------------------------------------------------


def test_capital_change_makes_the_due_diligence_due_again(officer):
    partner = make.university()
    make.approved_dd(partner, officer, performed_on=make.days_ago(60))
    assert selectors.counterparty_detail(partner.pk).dd_status == selectors.DDStatus.VALID

    services.capital_change_record(
        counterparty=partner,
        occurred_on=make.days_ago(20),
        description="海外ファンドが筆頭株主に",
        foreign_share_after="51",
    )
    detail = selectors.counterparty_detail(partner.pk)
    assert detail.dd_status == selectors.DDStatus.CAPITAL_CHANGE
    assert detail.last_capital_change == make.days_ago(20)

    # A review performed before the change does not count, even if approved afterwards.
    make.approved_dd(partner, officer, performed_on=make.days_ago(21))
    assert selectors.counterparty_detail(partner.pk).dd_status == "capital_change"
    make.approved_dd(partner, officer, performed_on=make.days_ago(20))
    assert selectors.counterparty_detail(partner.pk).dd_status == "valid"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"occurred_on": datetime.date.today() + datetime.timedelta(days=1)}, "occurred_on"),
        ({"description": " "}, "description"),
        ({"foreign_share_after": "120"}, "foreign_share_after"),
    ],
)
def test_capital_change_refuses_bad_input(fields, field):
    values = {"occurred_on": make.today(), "description": "買収", **fields}
    with pytest.raises(ApplicationError) as error:
        services.capital_change_record(counterparty=make.university(), **values)
    assert error.value.field == field
    assert not CapitalChange.objects.exists()


# --- due diligence ------------------------------------------------------------------------


def test_due_diligence_from_start_to_approval(officer):
    partner = make.university()
    review = make.started_dd(partner, performed_on=datetime.date(2026, 1, 31))
    assert not review.is_approved
    make.answer_all(review, concern_on="capital_structure")
    assert review.answers.filter(concern=True).get().question == "capital_structure"
    services.dd_rate(due_diligence=review, risk=Risk.MEDIUM, reasoning="資本構成に海外比率")
    approved = services.dd_approve(due_diligence=review, user=officer)
    assert approved.approved_by == officer and approved.approved_on == make.today()
    # The public-information questionnaire is valid for 12 months (end of month kept).
    assert approved.valid_until == datetime.date(2027, 1, 31)


def test_valid_until_may_be_given_and_must_follow_the_review(officer):
    review = make.started_dd(make.university(), performed_on=make.days_ago(10))
    make.answer_all(review)
    services.dd_rate(due_diligence=review, risk=Risk.LOW, reasoning="問題なし")
    with pytest.raises(ApplicationError) as error:
        services.dd_approve(due_diligence=review, user=officer, valid_until=make.days_ago(10))
    assert error.value.field == "valid_until"
    approved = services.dd_approve(
        due_diligence=review, user=officer, valid_until=make.days_ago(-90)
    )
    assert approved.valid_until == make.days_ago(-90)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 3, 15), 12, datetime.date(2027, 3, 15)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2027, 11, 30), 3, datetime.date(2028, 2, 29)),
    ],
)
def test_add_months(day, months, expected):
    assert services.add_months(day, months) == expected


def test_dd_start_refuses_an_unknown_questionnaire_a_future_date_and_no_performer():
    partner = make.university()
    with pytest.raises(ApplicationError) as error:
        make.started_dd(partner, "urn:mamori:dd:nothing")
    assert error.value.field == "questionnaire"
    with pytest.raises(ApplicationError) as error:
        make.started_dd(partner, performed_on=make.days_ago(-1))
    assert error.value.field == "performed_on"
    with pytest.raises(ApplicationError) as error:
        services.dd_start(
            counterparty=partner,
            questionnaire=make.PUBLIC,
            performed_on=make.today(),
            performed_by=" ",
        )
    assert error.value.field == "performed_by"


def test_any_questionnaire_may_be_used_on_request():
    review = make.started_dd(make.university(), make.MANUFACTURER)
    assert review.questionnaire == make.MANUFACTURER


def test_answers_must_belong_to_the_questionnaire_and_say_something():
    review = make.started_dd(make.university())
    with pytest.raises(ApplicationError):
        services.dd_answer(due_diligence=review, question="finances", answer="黒字")
    with pytest.raises(ApplicationError) as error:
        services.dd_answer(
            due_diligence=review, question="violations", answer=" ", evidence="https://x"
        )
    assert error.value.field == "answer"
    services.dd_answer(due_diligence=review, question="violations", answer="なし")
    services.dd_answer(due_diligence=review, question="violations", answer="なし（再確認）")
    assert review.answers.get().answer == "なし（再確認）"


def test_answers_save_skips_blank_questions_and_removes_cleared_answers():
    review = make.started_dd(make.university())
    blank = {"answer": "", "concern": False, "evidence": ""}
    saved = services.dd_answers_save(
        due_diligence=review,
        answers={
            "violations": {"answer": "報道なし", "concern": False, "evidence": "新聞検索"},
            "record": blank,
        },
    )
    assert saved == 1
    services.dd_answers_save(due_diligence=review, answers={"violations": blank})
    assert not review.answers.exists()


def test_answers_save_is_all_or_nothing_and_names_the_field():
    review = make.started_dd(make.university())
    with pytest.raises(ApplicationError) as error:
        services.dd_answers_save(
            due_diligence=review,
            answers={
                "violations": {"answer": "なし", "concern": False, "evidence": ""},
                "record": {"answer": "", "concern": True, "evidence": ""},
            },
        )
    assert error.value.field == "record__answer"
    assert not DueDiligenceAnswer.objects.exists()


def test_rating_needs_a_known_risk_and_reasoning():
    review = make.started_dd(make.university())
    with pytest.raises(ApplicationError) as error:
        services.dd_rate(due_diligence=review, risk="extreme", reasoning="x")
    assert error.value.field == "risk"
    with pytest.raises(ApplicationError) as error:
        services.dd_rate(due_diligence=review, risk=Risk.LOW, reasoning="")
    assert error.value.field == "reasoning"


def test_only_the_officer_approves(editor, executive):
    review = make.started_dd(make.university())
    make.answer_all(review)
    services.dd_rate(due_diligence=review, risk=Risk.LOW, reasoning="問題なし")
    for user in (editor, executive):
        with pytest.raises(NotPermitted):
            services.dd_approve(due_diligence=review, user=user)
    review.refresh_from_db()
    assert not review.is_approved


def test_approval_needs_a_rating_with_reasoning_and_every_answer(officer):
    review = make.started_dd(make.university())
    services.dd_answer(due_diligence=review, question="violations", answer="なし")
    with pytest.raises(ApplicationError) as error:
        services.dd_approve(due_diligence=review, user=officer)
    assert str(error.value) == str(services.RATING_NEEDED)
    services.dd_rate(due_diligence=review, risk=Risk.LOW, reasoning="問題なし")
    with pytest.raises(ApplicationError) as error:
        services.dd_approve(due_diligence=review, user=officer)
    assert "資本構成" in str(error.value) and "過去の法令違反" not in str(error.value)
    make.answer_all(review)
    assert services.dd_approve(due_diligence=review, user=officer).is_approved


def test_an_approved_review_cannot_be_changed(officer):
    review = make.approved_dd(make.university(), officer)
    attempts = [
        lambda: services.dd_answer(due_diligence=review, question="violations", answer="変更"),
        lambda: services.dd_answers_save(
            due_diligence=review,
            answers={"violations": {"answer": "", "concern": False, "evidence": ""}},
        ),
        lambda: services.dd_rate(due_diligence=review, risk=Risk.HIGH, reasoning="変更"),
        lambda: services.dd_approve(due_diligence=review, user=officer),
    ]
    for attempt in attempts:
        with pytest.raises(ApplicationError) as error:
            attempt()
        assert str(error.value) == str(services.DD_LOCKED)
    review.refresh_from_db()
    assert review.risk == Risk.LOW and review.answers.count() == 4


# --- due-diligence status -----------------------------------------------------------------


def test_dd_status_none_valid_expired(officer):
    none = make.university("未確認大学")
    valid = make.university("確認済大学")
    expired = make.university("期限切れ大学")
    open_ended = make.university("期限なし大学")
    make.approved_dd(valid, officer, performed_on=make.days_ago(30))
    make.approved_dd(expired, officer, performed_on=make.days_ago(400))
    make.approved_dd(
        open_ended, officer, performed_on=make.days_ago(400), valid_until=make.days_ago(10)
    )
    # A second review valid until later keeps it valid.
    make.approved_dd(open_ended, officer, performed_on=make.days_ago(5))
    make.started_dd(none)  # a review in progress is not an approved one
    status = {c.name: c.dd_status for c in selectors.counterparty_register()}
    assert status == {
        "未確認大学": "none",
        "確認済大学": "valid",
        "期限切れ大学": "expired",
        "期限なし大学": "valid",
    }
    assert [c.name for c in selectors.counterparty_register(dd_status="expired")] == [
        "期限切れ大学"
    ]
    assert selectors.counterparty_detail(none.pk).dd_in_progress


def test_register_filters(officer):
    make.university("東都大学")
    make.manufacturer("台北精密", corporate_number="TW-123")
    make.counterparty("Lumen Inc.", kind="customer", country="US")
    names = lambda **kw: [c.name for c in selectors.counterparty_register(**kw)]  # noqa: E731
    assert names(query="台北") == ["台北精密"]
    assert names(query="tw-1") == ["台北精密"]
    assert names(kind="customer") == ["Lumen Inc."]
    assert names(country="JP") == ["東都大学"]
    assert selectors.countries() == ["JP", "TW", "US"]


# --- research themes ----------------------------------------------------------------------


# (importances of the technologies touched, partner's approved rating or None) -> risk
RISK_CASES = [
    (["high"], Risk.LOW, Risk.MEDIUM),
    (["high"], Risk.MEDIUM, Risk.HIGH),
    (["high"], Risk.HIGH, Risk.HIGH),
    (["medium"], Risk.LOW, Risk.LOW),
    (["medium"], Risk.MEDIUM, Risk.MEDIUM),
    (["medium"], Risk.HIGH, Risk.HIGH),
    (["low"], Risk.LOW, Risk.LOW),
    (["low"], Risk.MEDIUM, Risk.LOW),
    (["low"], Risk.HIGH, Risk.MEDIUM),
    (["low"], None, Risk.MEDIUM),  # no approved DD counts as high
    (["medium"], None, Risk.HIGH),
    (["low", "high", "medium"], Risk.LOW, Risk.MEDIUM),  # the most important decides
    (["low", "medium"], Risk.MEDIUM, Risk.MEDIUM),
    ([], Risk.LOW, ""),  # nothing to assess
]


@pytest.mark.parametrize(("importances", "rating", "expected"), RISK_CASES)
def test_theme_risk_table(importances, rating, expected):
    assert selectors.theme_risk(importances, rating) == expected


@pytest.mark.parametrize(("importances", "rating", "expected"), RISK_CASES)
def test_theme_save_stores_the_risk_from_the_registers(officer, importances, rating, expected):
    partner = make.university()
    if rating is not None:
        make.approved_dd(partner, officer, risk=rating)
    technologies = [
        make.technology(f"技術{index}", importance=importance)
        for index, importance in enumerate(importances)
    ]
    theme = services.theme_save(
        counterparty=partner, title="次世代電解質の共同研究", technologies=technologies
    )
    assert theme.risk == expected
    assert selectors.theme_assessment(theme).risk == expected


# (leakage part from the table, reputational, foreign law) -> resulting risk: the highest
# of what has been assessed.
COMBINED_CASES = [
    ((["low"], Risk.LOW), "", "", Risk.LOW),
    ((["low"], Risk.LOW), Risk.HIGH, "", Risk.HIGH),
    ((["low"], Risk.LOW), "", Risk.MEDIUM, Risk.MEDIUM),
    ((["high"], Risk.HIGH), Risk.LOW, Risk.LOW, Risk.HIGH),  # never lowers the leakage part
    (([], Risk.LOW), "", Risk.MEDIUM, Risk.MEDIUM),  # no technology: what is assessed counts
    (([], Risk.LOW), "", "", ""),
]


@pytest.mark.parametrize(("leakage", "reputational", "foreign_law", "expected"), COMBINED_CASES)
def test_theme_risk_counts_reputational_and_foreign_law_risk(
    leakage, reputational, foreign_law, expected
):
    importances, rating = leakage
    risk = selectors.theme_risk(
        importances, rating, reputational=reputational, foreign_law=foreign_law
    )
    assert risk == expected


def test_theme_save_stores_the_combined_risk_and_wants_reasons(officer):
    partner = make.university()
    make.approved_dd(partner, officer, risk=Risk.LOW)
    technology = make.technology(importance="low")
    with pytest.raises(ApplicationError) as caught:
        services.theme_save(
            counterparty=partner,
            title="A",
            technologies=[technology],
            foreign_law_risk=Risk.HIGH,
        )
    assert caught.value.field == "foreign_law_note"
    assert not ResearchTheme.objects.exists()
    theme = services.theme_save(
        counterparty=partner,
        title="A",
        technologies=[technology],
        reputational_risk=Risk.LOW,
        foreign_law_risk=Risk.HIGH,
        foreign_law_note=" 相手国の輸出規制が成果に及ぶ ",
    )
    assert theme.risk == Risk.HIGH and theme.foreign_law_note == "相手国の輸出規制が成果に及ぶ"
    assessment = selectors.theme_assessment(theme)
    assert (assessment.leakage, assessment.risk) == (Risk.LOW, Risk.HIGH)
    with pytest.raises(ApplicationError) as caught:
        services.theme_save(counterparty=partner, title="B", reputational_risk="extreme")
    assert caught.value.field == "reputational_risk"


def test_the_latest_approved_review_gives_the_partners_rating(officer):
    partner = make.university()
    make.approved_dd(partner, officer, performed_on=make.days_ago(100), risk=Risk.HIGH)
    make.approved_dd(partner, officer, performed_on=make.days_ago(10), risk=Risk.LOW)
    unapproved = make.started_dd(partner)
    services.dd_rate(due_diligence=unapproved, risk=Risk.HIGH, reasoning="草稿")
    assert selectors.partner_rating(partner.pk) == Risk.LOW


def test_approving_a_review_updates_undecided_themes_only(officer):
    partner = make.university()
    technology = make.technology(importance="medium")
    undecided = services.theme_save(counterparty=partner, title="A", technologies=[technology])
    decided = services.theme_save(counterparty=partner, title="B", technologies=[technology])
    services.theme_decide(theme=decided, decision=ThemeDecision.NO_GO, conditions="リスク大")
    assert undecided.risk == decided.risk == Risk.HIGH
    make.approved_dd(partner, officer, risk=Risk.LOW)
    undecided.refresh_from_db()
    decided.refresh_from_db()
    assert undecided.risk == Risk.LOW
    assert decided.risk == Risk.HIGH  # what was weighed when deciding
    assert selectors.theme_assessment(decided).risk == Risk.LOW


def test_theme_decisions():
    theme = services.theme_save(counterparty=make.university(), title="A")
    with pytest.raises(ApplicationError) as error:
        services.theme_decide(theme=theme, decision=ThemeDecision.GO_WITH_CONDITIONS)
    assert error.value.field == "conditions"
    assert str(error.value) == str(services.CONDITIONS_NEEDED)
    with pytest.raises(ApplicationError) as error:
        services.theme_decide(theme=theme, decision=ThemeDecision.GO, conditions=" ")
    assert str(error.value) == str(services.DECISION_REASON_NEEDED)
    with pytest.raises(ApplicationError) as error:
        services.theme_decide(theme=theme, decision="maybe", conditions="x")
    assert error.value.field == "decision"
    with pytest.raises(ApplicationError) as error:
        services.theme_decide(
            theme=theme, decision="go", conditions="x", decided_on=make.days_ago(-1)
        )
    assert error.value.field == "decided_on"

    services.theme_decide(
        theme=theme,
        decision=ThemeDecision.GO_WITH_CONDITIONS,
        conditions="成膜条件は開示しない。段階的に提供する。",
    )
    theme.refresh_from_db()
    assert theme.decision == "conditions" and theme.decided_on == make.today()
    services.theme_decide(theme=theme, decision=ThemeDecision.UNDECIDED)
    theme.refresh_from_db()
    assert theme.decision == "undecided" and theme.decided_on is None


def test_a_theme_needs_a_title():
    with pytest.raises(ApplicationError) as error:
        services.theme_save(counterparty=make.university(), title=" ")
    assert error.value.field == "title"
