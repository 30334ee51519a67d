"""The capital-policy check beyond foreign investment: a competitor or a corporate venture
arm (CVC), domestic or foreign, taking a board seat or access to non-public technology is
flagged until the officer records the review (the handbook's STEP 1)."""

from __future__ import annotations

import pytest

from mamori.audit.models import AuditEntry
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.exportcontrol.services import investment
from mamori.findings.registry import RuleContext, registry, specs
from tests.exportcontrol import factories as f

pytestmark = pytest.mark.django_db

RULE = "exportcontrol.strategic_investor_unreviewed"


def _hits() -> list:
    return registry.run(specs(), RuleContext(today=f.today()), only=[RULE])


def _participation(relation: str, *, board_seat=False, technology_access=False, country="JP"):
    cvc = f.investor("大和コーティング・ベンチャーズ", country)
    investment.investor_profile_save(
        counterparty=cvc,
        category="domestic" if country == "JP" else "foreign_company",
        relation=relation,
        checked_on=f.today(),
    )
    funding_round = investment.round_save(name="シリーズA", status="planned")
    return investment.participation_save(
        funding_round=funding_round,
        investor=cvc,
        stake=5,
        board_seat=board_seat,
        technology_access=technology_access,
    )


@pytest.mark.parametrize("relation", ["competitor", "corporate"])
def test_a_domestic_competitor_or_cvc_with_technology_access_is_flagged(relation):
    _participation(relation, technology_access=True)
    [finding] = _hits()
    assert finding.params["investor"] == "大和コーティング・ベンチャーズ"
    assert "非公開の技術情報へのアクセス" in finding.params["reason"]["ja"]
    assert "資本政策" in finding.params["reason"]["ja"]
    assert [o.type for o in finding.objects] == [
        "exportcontrol.fundinground",
        "partners.counterparty",
    ]


def test_a_board_seat_is_flagged_for_a_foreign_competitor_too():
    _participation("competitor", board_seat=True, country="US")
    [finding] = _hits()
    assert "取締役の派遣" in finding.params["reason"]["ja"]


@pytest.mark.parametrize(
    "relation, seat, access",
    [
        ("financial", True, True),  # a financial investor is not a capital-policy flag
        ("", True, True),  # nothing recorded about the relation
        ("competitor", False, False),  # a competitor without a seat or access
    ],
)
def test_not_flagged_without_both_a_strategic_investor_and_a_seat_or_access(relation, seat, access):
    _participation(relation, board_seat=seat, technology_access=access)
    assert _hits() == []


def test_the_officers_review_resolves_it_and_new_terms_reopen_it(officer):
    participation = _participation("competitor", technology_access=True)
    investment.participation_review_leakage(
        participation=participation,
        review="情報請求権を決算資料に限定。技術資料は開示しない。",
        user=officer,
    )
    assert _hits() == []
    assert AuditEntry.objects.filter(
        object_type="exportcontrol.roundparticipation", object_id=str(participation.pk)
    ).exists()
    investment.participation_save(
        funding_round=participation.funding_round,
        investor=participation.investor,
        stake=5,
        board_seat=True,
        technology_access=True,
        participation=participation,
    )
    assert len(_hits()) == 1


def test_only_the_officer_reviews_and_a_review_needs_words(officer, editor):
    participation = _participation("corporate", board_seat=True)
    with pytest.raises(NotPermitted):
        investment.participation_review_leakage(
            participation=participation, review="確認済み", user=editor
        )
    with pytest.raises(ApplicationError) as caught:
        investment.participation_review_leakage(
            participation=participation, review=" ", user=officer
        )
    assert caught.value.field == "review"
    with pytest.raises(ApplicationError) as caught:
        investment.participation_review_leakage(
            participation=participation,
            review="確認済み",
            user=officer,
            reviewed_on=f.today().replace(year=f.today().year + 1),
        )
    assert caught.value.field == "reviewed_on"


def test_the_round_page_shows_the_flag_and_the_officer_records_the_review(
    officer, editor, client_as
):
    participation = _participation("competitor", technology_access=True)
    url = f"/export-control/investment/rounds/{participation.funding_round_id}/"
    review_url = f"/export-control/investment/participations/{participation.pk}/review/"
    page = client_as(editor).get(url).content.decode()
    assert 'data-capital-policy="open"' in page and review_url not in page
    assert client_as(editor).get(review_url).status_code == 403
    client = client_as(officer)
    assert client.get(review_url).status_code == 200
    assert client.post(review_url, {"review": "", "reviewed_on": ""}).status_code == 200
    overview = client.get("/export-control/investment/").content.decode()
    assert 'data-relation="competitor"' in overview
    response = client.post(
        review_url, {"review": "オブザーバー派遣のみ", "reviewed_on": f.today().isoformat()}
    )
    assert response.status_code == 302
    assert 'data-capital-policy="reviewed"' in client.get(url).content.decode()


def test_the_api_serves_the_relation_and_the_review(officer, client_as):
    participation = _participation("competitor", technology_access=True)
    rows = client_as(officer).get("/api/funding-rounds/").json()["results"]
    [served] = rows[0]["participations"]
    assert served["investor_relation"] == "competitor"
    assert served["leakage_reviewed_on"] is None
    assert participation.pk == served["id"]


def test_the_workbook_lists_round_investors_with_relation_and_review(officer):
    import io

    from openpyxl import load_workbook

    from mamori.exchange.export import export_workbook
    from mamori.exchange.spec import get_registry

    participation = _participation("competitor", technology_access=True)
    investment.participation_review_leakage(
        participation=participation, review="技術資料は開示しない", user=officer
    )
    chosen = [r for r in get_registry() if r.name == "round_participations"]
    book = load_workbook(io.BytesIO(export_workbook(user=officer, registers=chosen).content))
    header, row = list(book["資金調達の投資家"].iter_rows(values_only=True))
    values = dict(zip(header, row, strict=True))
    assert values["投資家"] == "大和コーティング・ベンチャーズ"
    assert values["事業上の関係"] == "競合事業者またはそのCVC"
    assert values["資本政策上の検討"] == "技術資料は開示しない"
