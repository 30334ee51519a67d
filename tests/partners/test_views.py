"""The counterparty pages: who may do what, forms that explain errors, the due-diligence
review from start to approval, and research themes."""

from __future__ import annotations

import pytest
from django.utils.formats import date_format
from django.utils.translation import override

from mamori.accounts.roles import Role
from mamori.disclosures.models import Disclosure
from mamori.partners import services
from mamori.partners.models import (
    CapitalChange,
    Counterparty,
    DueDiligence,
    DueDiligenceAnswer,
    PartnerMember,
    ResearchTheme,
    Risk,
    Shareholder,
)
from tests.findings import factories as asset_factories
from tests.partners import factories as make

pytestmark = pytest.mark.django_db

READERS = [Role.OFFICER, Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR]
WRITERS = [Role.OFFICER, Role.EXECUTIVE, Role.EDITOR]


@pytest.fixture
def world(officer):
    """A university with a shareholder, a member, an approved review, a review in
    progress and a theme: one object behind every partners page."""
    partner = make.university("東都工業大学 材料研究室")
    holder = services.shareholder_add(counterparty=partner, name="学校法人東都", share=100)
    member = services.partner_member_add(counterparty=partner, name="高橋 教授", role="教授")
    approved = make.approved_dd(partner, officer)
    draft = make.started_dd(partner, make.PERSPECTIVES)
    theme = services.theme_save(counterparty=partner, title="次世代電解質の評価手法")
    return {
        "partner": partner,
        "shareholder": holder,
        "member": member,
        "approved": approved,
        "draft": draft,
        "theme": theme,
    }


def read_urls(world) -> list[str]:
    return [
        "/partners/",
        f"/partners/{world['partner'].pk}/",
        f"/partners/dd/{world['approved'].pk}/",
        f"/partners/dd/{world['draft'].pk}/",
        "/partners/themes/",
        f"/partners/themes/{world['theme'].pk}/",
    ]


def write_urls(world) -> list[str]:
    partner = world["partner"]
    return [
        "/partners/new/",
        f"/partners/{partner.pk}/edit/",
        f"/partners/{partner.pk}/dd/new/",
        f"/partners/shareholders/{world['shareholder'].pk}/edit/",
        f"/partners/shareholders/{world['shareholder'].pk}/remove/",
        f"/partners/members/{world['member'].pk}/end/",
        "/partners/themes/new/",
        f"/partners/themes/{world['theme'].pk}/edit/",
    ]


# --- permissions --------------------------------------------------------------------------


def test_an_employee_gets_403_on_every_partners_page(client_as, employee, world):
    client = client_as(employee)
    for url in read_urls(world) + write_urls(world):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"action": "answers"}).status_code == 403, url


def test_an_employee_cannot_read_or_write_due_diligence_answers(client_as, employee, world):
    draft = world["draft"]
    services.dd_answer(due_diligence=draft, question="members", answer="経歴に懸念なし")
    client = client_as(employee)
    page = client.get(f"/partners/dd/{draft.pk}/")
    assert page.status_code == 403 and "経歴に懸念なし" not in page.content.decode()
    posted = client.post(
        f"/partners/dd/{draft.pk}/", {"action": "answers", "members__answer": "書き換え"}
    )
    assert posted.status_code == 403
    assert DueDiligenceAnswer.objects.get(due_diligence=draft).answer == "経歴に懸念なし"


@pytest.mark.parametrize("role", READERS)
def test_programme_readers_see_every_page(client_as, make_user, role, world):
    client = client_as(make_user(role))
    for url in read_urls(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", WRITERS)
def test_writers_open_every_form(client_as, make_user, role, world):
    client = client_as(make_user(role))
    for url in write_urls(world):
        assert client.get(url).status_code == 200, url


def test_an_auditor_reads_but_cannot_write(client_as, auditor, world):
    client = client_as(auditor)
    for url in write_urls(world):
        assert client.get(url).status_code == 403, url
    partner = world["partner"]
    refused = client.post(
        f"/partners/{partner.pk}/",
        {"action": "capital_change", "occurred_on": "2026-01-05", "description": "買収"},
    )
    assert refused.status_code == 403 and not CapitalChange.objects.exists()
    page = client.get(f"/partners/{partner.pk}/").content.decode()
    assert 'name="action"' not in page


def test_an_editor_records_a_review_but_cannot_approve_it(client_as, editor, world):
    draft = world["draft"]
    client = client_as(editor)
    page = client.get(f"/partners/dd/{draft.pk}/").content.decode()
    assert 'value="answers"' in page and 'value="rate"' in page
    assert 'value="approve"' not in page
    answers = {f"{q}__answer": "確認済み" for q in _question_ids(draft)}
    saved = client.post(f"/partners/dd/{draft.pk}/", {"action": "answers", **answers})
    assert saved.status_code == 302
    rated = client.post(
        f"/partners/dd/{draft.pk}/", {"action": "rate", "risk": "low", "reasoning": "懸念なし"}
    )
    assert rated.status_code == 302
    refused = client.post(f"/partners/dd/{draft.pk}/", {"action": "approve"})
    assert refused.status_code == 403
    draft.refresh_from_db()
    assert draft.risk == Risk.LOW and not draft.is_approved


def test_only_the_officer_approves(client_as, officer, executive, world):
    draft = world["draft"]
    make.answer_all(draft)
    services.dd_rate(due_diligence=draft, risk=Risk.MEDIUM, reasoning="相手国の法制度に留意")
    executive_client = client_as(executive)
    assert (
        executive_client.post(f"/partners/dd/{draft.pk}/", {"action": "approve"}).status_code == 403
    )
    client = client_as(officer)
    assert 'value="approve"' in client.get(f"/partners/dd/{draft.pk}/").content.decode()
    response = client.post(
        f"/partners/dd/{draft.pk}/", {"action": "approve", "approved_on": str(make.today())}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.approved_by == officer and draft.valid_until is not None


# --- counterparties -----------------------------------------------------------------------


def test_create_and_edit_a_counterparty(client_as, editor):
    client = client_as(editor)
    response = client.post(
        "/partners/new/",
        {"name": "Lumen Photonics Inc.", "kind": "joint_research", "country": "us"},
    )
    partner = Counterparty.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/partners/{partner.pk}/"
    assert partner.country == "US"
    edited = client.post(
        f"/partners/{partner.pk}/edit/",
        {
            "name": "Lumen Photonics Inc.",
            "kind": "joint_research",
            "country": "US",
            "website": "https://lumen.example.com",
            "information_management": "ISMS認証あり",
        },
    )
    assert edited.status_code == 302
    partner.refresh_from_db()
    assert partner.information_management == "ISMS認証あり"


def test_a_refused_counterparty_is_shown_again_with_what_was_typed(client_as, editor):
    response = client_as(editor).post(
        "/partners/new/", {"name": "入力した名前", "kind": "university", "country": "Japan"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "入力した名前" in page and "errorlist" in page
    assert not Counterparty.objects.exists()


def test_counterparty_page_shows_the_whole_record(client_as, officer, world):
    partner = world["partner"]
    services.shareholder_update(
        shareholder=world["shareholder"], name="学校法人東都", share=60, country="JP"
    )
    services.shareholder_add(counterparty=partner, name="Sino Fund", share=25, country="CN")
    past = services.partner_member_add(
        counterparty=partner, name="伊藤 学生", since=make.days_ago(300)
    )
    services.partner_member_end(member=past, until=make.days_ago(20))
    contract = make.joint_research_contract(partner, title="材料評価に関する共同研究契約")
    asset = asset_factories.asset("電解液の配合表")
    disclosure = Disclosure.objects.create(
        counterparty=partner,
        contract=contract,
        disclosed_on=make.days_ago(5),
        purpose="評価用サンプルの条件共有",
        method="email",
    )
    disclosure.assets.add(asset)
    page = client_as(officer).get(f"/partners/{partner.pk}/").content.decode()
    assert "data-foreign-share>25%" in page
    assert "Sino Fund" in page and "高橋 教授" in page
    assert f'data-past-member="{past.pk}"' in page
    assert f'data-dd="{world["approved"].pk}"' in page and f'data-dd="{world["draft"].pk}"' in page
    assert "次世代電解質の評価手法" in page
    assert "材料評価に関する共同研究契約" in page
    assert "評価用サンプルの条件共有" in page and "電解液の配合表" in page
    assert 'data-dd-status="valid"' in page


def test_counterparty_page_lists_its_open_findings(client_as, officer):
    partner = make.university("東都工業大学")
    page = client_as(officer).get(f"/partners/{partner.pk}/").content.decode()
    assert "承認されたDDの記録がありません" in page


def test_a_capital_change_makes_the_page_say_dd_is_due_again(client_as, make_user, officer):
    partner = make.university()
    make.approved_dd(partner, officer, performed_on=make.days_ago(30))
    client = client_as(officer)
    response = client.post(
        f"/partners/{partner.pk}/",
        {
            "action": "capital_change",
            "occurred_on": str(make.days_ago(7)),
            "description": "海外ファンドが株式の過半を取得",
            "foreign_share_after": "55",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/partners/{partner.pk}/").content.decode()
    with override("ja"):
        date = date_format(make.days_ago(7), "DATE_FORMAT")
    assert f"{date}以降、DDの再実施が必要です" in page
    assert 'data-dd-status="capital_change"' in page
    assert "資本変動がありましたが、その後のDDが実施されていません" in page  # the finding

    english_reader = client_as(make_user(Role.AUDITOR, "auditor-en", language="en"))
    english = english_reader.get(f"/partners/{partner.pk}/").content.decode()
    with override("en"):
        assert f"DD due again since {date_format(make.days_ago(7), 'DATE_FORMAT')}" in english

    # A new approved review performed after the change clears it.
    make.approved_dd(partner, officer, performed_on=make.days_ago(1))
    page = client.get(f"/partners/{partner.pk}/").content.decode()
    assert "data-dd-due-since" not in page and 'data-dd-status="valid"' in page


def test_shareholders_over_100_percent_are_refused_on_the_page(client_as, editor, world):
    partner = world["partner"]  # one shareholder holds 100%
    response = client_as(editor).post(
        f"/partners/{partner.pk}/",
        {"action": "shareholder", "name": "新株主", "country": "JP", "share": "1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "101%" in page and "新株主" in page
    assert Shareholder.objects.filter(counterparty=partner).count() == 1


def test_edit_and_remove_a_shareholder(client_as, editor, world):
    holder = world["shareholder"]
    client = client_as(editor)
    edited = client.post(
        f"/partners/shareholders/{holder.pk}/edit/",
        {"name": "学校法人東都", "country": "JP", "share": "80"},
    )
    assert edited.status_code == 302
    holder.refresh_from_db()
    assert holder.share == 80
    confirm = client.get(f"/partners/shareholders/{holder.pk}/remove/")
    assert confirm.status_code == 200 and Shareholder.objects.filter(pk=holder.pk).exists()
    removed = client.post(f"/partners/shareholders/{holder.pk}/remove/")
    assert removed.status_code == 302 and not Shareholder.objects.filter(pk=holder.pk).exists()


def test_add_a_member_and_record_when_they_stopped(client_as, editor, world):
    partner = world["partner"]
    client = client_as(editor)
    added = client.post(
        f"/partners/{partner.pk}/",
        {"action": "member", "name": "伊藤 学生", "role": "学生", "since": "2026-04-01"},
    )
    assert added.status_code == 302
    member = PartnerMember.objects.get(name="伊藤 学生")
    early = client.post(f"/partners/members/{member.pk}/end/", {"until": "2026-03-01"})
    assert early.status_code == 400
    ended = client.post(f"/partners/members/{member.pk}/end/", {"until": str(make.today())})
    assert ended.status_code == 302
    member.refresh_from_db()
    assert member.until == make.today()


def test_list_filters_and_says_what_to_do_when_empty(client_as, officer):
    client = client_as(officer)
    empty = client.get("/partners/").content.decode()
    assert 'href="/partners/new/"' in empty
    make.university("東都大学")
    manufacturer = make.manufacturer("台北精密")
    make.approved_dd(manufacturer, officer, make.MANUFACTURER)
    page = client.get("/partners/?dd=none").content.decode()
    assert "東都大学" in page and "台北精密" not in page
    page = client.get("/partners/?dd=valid&country=TW").content.decode()
    assert "台北精密" in page and "東都大学" not in page
    page = client.get("/partners/?kind=customer").content.decode()
    assert "東都大学" not in page and "台北精密" not in page
    assert client.get("/partners/?dd=bogus&page=x").status_code == 200


def test_list_paginates(client_as, officer):
    for index in range(55):
        make.counterparty(f"取引先{index:02d}")
    client = client_as(officer)
    first = client.get("/partners/").content.decode()
    second = client.get("/partners/?page=2").content.decode()
    assert "取引先00" in first and "取引先54" not in first
    assert "取引先54" in second


# --- due diligence ------------------------------------------------------------------------


def _question_ids(review: DueDiligence) -> list[str]:
    from mamori.catalog.selectors import get_catalog

    return [q.id for q in get_catalog().questionnaire(review.questionnaire).questions]


def test_start_offers_the_questionnaires_for_the_type_and_others_on_request(client_as, editor):
    partner = make.manufacturer()
    client = client_as(editor)
    page = client.get(f"/partners/{partner.pk}/dd/new/").content.decode()
    assert f'data-questionnaire="{make.MANUFACTURER}"' in page
    assert f'data-questionnaire="{make.PUBLIC}"' not in page
    everything = client.get(f"/partners/{partner.pk}/dd/new/?all=1").content.decode()
    assert f'data-questionnaire="{make.PUBLIC}"' in everything
    response = client.post(
        f"/partners/{partner.pk}/dd/new/?all=1",
        {"questionnaire": make.PUBLIC, "performed_on": str(make.today()), "performed_by": "鈴木"},
    )
    review = DueDiligence.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/partners/dd/{review.pk}/"
    assert review.questionnaire == make.PUBLIC


def test_start_refuses_a_questionnaire_not_offered(client_as, editor):
    partner = make.manufacturer()
    response = client_as(editor).post(
        f"/partners/{partner.pk}/dd/new/",
        {"questionnaire": make.PUBLIC, "performed_on": str(make.today()), "performed_by": "鈴木"},
    )
    assert response.status_code == 400 and not DueDiligence.objects.exists()


def test_review_page_shows_each_question_with_the_handbook_help(client_as, editor, world):
    page = client_as(editor).get(f"/partners/dd/{world['draft'].pk}/").content.decode()
    for question in _question_ids(world["draft"]):
        assert f'data-question="{question}"' in page
    assert "外国政府等による情報収集活動に協力する義務の有無" in page
    assert "実際に情報を扱うのは共同研究に参加する個人であるため" in page  # help text


def test_an_answer_without_text_is_shown_again_with_the_reason(client_as, editor, world):
    draft = world["draft"]
    response = client_as(editor).post(
        f"/partners/dd/{draft.pk}/",
        {"action": "answers", "members__concern": "on", "members__evidence": "面談記録"},
    )
    assert response.status_code == 400
    assert "面談記録" in response.content.decode()
    assert not DueDiligenceAnswer.objects.filter(due_diligence=draft).exists()


def test_approval_without_answers_is_refused_on_the_page(client_as, officer, world):
    draft = world["draft"]
    services.dd_rate(due_diligence=draft, risk=Risk.LOW, reasoning="懸念なし")
    response = client_as(officer).post(f"/partners/dd/{draft.pk}/", {"action": "approve"})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert not draft.is_approved


def test_an_approved_review_is_read_only(client_as, officer, world):
    approved = world["approved"]
    client = client_as(officer)
    page = client.get(f"/partners/dd/{approved.pk}/").content.decode()
    assert 'value="answers"' not in page and 'value="approve"' not in page
    assert f"/partners/{world['partner'].pk}/dd/new/" in page  # start a new one
    response = client.post(
        f"/partners/dd/{approved.pk}/",
        {"action": "rate", "risk": "high", "reasoning": "後から変更"},
    )
    assert response.status_code == 400
    approved.refresh_from_db()
    assert approved.risk == Risk.LOW


# --- research themes ----------------------------------------------------------------------


def test_create_a_theme_from_the_partner_and_decide_it(client_as, editor, officer):
    partner = make.university()
    make.approved_dd(partner, officer, risk=Risk.LOW)
    technology = make.technology(importance="high")
    client = client_as(editor)
    form = client.get(f"/partners/themes/new/?counterparty={partner.pk}").content.decode()
    assert f'value="{partner.pk}" selected' in form
    created = client.post(
        "/partners/themes/new/",
        {
            "counterparty": partner.pk,
            "title": "界面制御の共同研究",
            "technologies": [technology.pk],
        },
    )
    theme = ResearchTheme.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/partners/themes/{theme.pk}/"
    assert theme.risk == Risk.MEDIUM
    page = client.get(f"/partners/themes/{theme.pk}/").content.decode()
    assert 'data-theme-risk="medium"' in page and "固体電解質の焼成技術" in page
    refused = client.post(f"/partners/themes/{theme.pk}/", {"decision": "conditions"})
    assert refused.status_code == 400
    decided = client.post(
        f"/partners/themes/{theme.pk}/",
        {"decision": "conditions", "conditions": "配合条件は開示しない", "decided_on": ""},
    )
    assert decided.status_code == 302
    theme.refresh_from_db()
    assert theme.decision == "conditions" and theme.decided_on == make.today()


def test_the_theme_form_and_page_carry_reputational_and_foreign_law_risk(client_as, editor):
    partner = make.university()
    technology = make.technology(importance="low")
    client = client_as(editor)
    form = client.get("/partners/themes/new/").content.decode()
    assert 'name="reputational_risk"' in form and 'name="foreign_law_risk"' in form
    data = {
        "counterparty": partner.pk,
        "title": "界面制御の共同研究",
        "technologies": [technology.pk],
        "reputational_risk": "high",
        "reputational_note": "",
        "foreign_law_risk": "low",
    }
    assert client.post("/partners/themes/new/", data).status_code == 400
    data["reputational_note"] = "相手方の研究室が軍関係の資金を受けている"
    assert client.post("/partners/themes/new/", data).status_code == 302
    theme = ResearchTheme.objects.get()
    assert theme.risk == "high"
    page = client.get(f"/partners/themes/{theme.pk}/").content.decode()
    assert 'data-reputational-risk="high"' in page and 'data-foreign-law-risk="low"' in page
    assert 'data-leakage-risk="medium"' in page and "軍関係の資金" in page
    edit = client.get(f"/partners/themes/{theme.pk}/edit/").content.decode()
    assert "軍関係の資金" in edit


def test_theme_page_says_when_todays_registers_give_another_risk(client_as, officer):
    partner = make.university()
    theme = services.theme_save(
        counterparty=partner, title="A", technologies=[make.technology(importance="low")]
    )
    services.theme_decide(theme=theme, decision="go", conditions="重要度が低い")
    make.approved_dd(partner, officer, risk=Risk.LOW)  # decided: the stored risk stays
    page = client_as(officer).get(f"/partners/themes/{theme.pk}/").content.decode()
    assert 'data-risk-now="low"' in page


def test_theme_list_filters(client_as, officer):
    partner = make.university()
    services.theme_save(counterparty=partner, title="評価手法の研究")
    decided = services.theme_save(counterparty=partner, title="成膜条件の研究")
    services.theme_decide(theme=decided, decision="no_go", conditions="コア技術に近い")
    client = client_as(officer)
    page = client.get("/partners/themes/?decision=no_go").content.decode()
    assert "成膜条件の研究" in page and "評価手法の研究" not in page
    page = client.get("/partners/themes/?q=評価").content.decode()
    assert "評価手法の研究" in page and "成膜条件の研究" not in page


def test_a_review_whose_questionnaire_left_the_catalog_is_kept_and_refused(
    client_as, officer, world
):
    old = DueDiligence.objects.create(
        counterparty=world["partner"],
        questionnaire="urn:mamori:dd:retired",
        performed_on=make.days_ago(30),
        performed_by="鈴木",
        risk=Risk.LOW,
        reasoning="旧版で確認",
    )
    client = client_as(officer)
    assert client.get(f"/partners/dd/{old.pk}/").status_code == 200
    assert client.get(f"/partners/{world['partner'].pk}/").status_code == 200
    response = client.post(f"/partners/dd/{old.pk}/", {"action": "approve"})
    assert response.status_code == 400
    old.refresh_from_db()
    assert not old.is_approved
