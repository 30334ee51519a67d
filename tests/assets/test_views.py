"""The register pages: who may do what, forms that explain errors, confirmation first."""

from __future__ import annotations

import datetime
import re

import pytest

from mamori.accounts.roles import Role
from mamori.approvals.models import ApprovalRequest
from mamori.assets import services
from mamori.assets.models import (
    AccessGrant,
    AccessReview,
    Decision,
    ExportClassification,
    ProcessStep,
    SecrecyClass,
    Technology,
)
from mamori.audit.models import Action, AuditEntry
from tests.assets import factories as make

pytestmark = pytest.mark.django_db

TECHNOLOGY_DATA = {
    "name": "固体電解質の焼成技術",
    "description": "低温焼成で高いイオン伝導度を得る",
    "category": "core",
    "competitiveness": "3",
    "damage_if_leaked": "3",
    "others_interest": "2",
    "protection": "trade_secret",
    "owner": "",
}


# --- technologies --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICER, Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR])
def test_programme_readers_see_the_technology_list_and_page(client_as, make_user, role):
    technology = make.technology("全固体電池の界面制御")
    client = client_as(make_user(role))
    listing = client.get("/assets/technologies/")
    assert listing.status_code == 200 and "全固体電池の界面制御" in listing.content.decode()
    assert client.get(f"/assets/technologies/{technology.pk}/").status_code == 200


def test_employee_sees_no_technology(client_as, employee):
    technology = make.technology()
    client = client_as(employee)
    assert client.get("/assets/technologies/").status_code == 403
    assert client.get(f"/assets/technologies/{technology.pk}/").status_code == 403


def test_technology_list_filters_by_category_and_search(client_as, editor):
    make.technology("界面制御")
    make.technology("暗号モジュール", category="security")
    client = client_as(editor)
    page = client.get("/assets/technologies/?category=security").content.decode()
    assert "暗号モジュール" in page and "界面制御" not in page
    page = client.get("/assets/technologies/?q=界面").content.decode()
    assert "界面制御" in page and "暗号モジュール" not in page


def test_editor_creates_a_technology_and_the_level_follows(client_as, editor):
    response = client_as(editor).post("/assets/technologies/new/", TECHNOLOGY_DATA)
    technology = Technology.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/assets/technologies/{technology.pk}/"
    assert technology.importance == "high"
    page = client_as(editor).get(response["Location"]).content.decode()
    assert "8" in page and "競争力の源泉となるコア技術" in page  # handbook's explanation


def test_technology_form_shows_the_four_categories_from_the_handbook(client_as, editor):
    page = client_as(editor).get("/assets/technologies/new/").content.decode()
    for title in (
        "競争力の源泉となるコア技術",
        "安全保障上の重要技術",
        "経済安全保障に関わる重要技術",
    ):
        assert title in page


def test_technology_form_errors_are_shown_with_what_was_typed(client_as, editor):
    response = client_as(editor).post("/assets/technologies/new/", {**TECHNOLOGY_DATA, "name": ""})
    assert response.status_code == 400
    assert "低温焼成で高いイオン伝導度を得る" in response.content.decode()
    assert not Technology.objects.exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.EMPLOYEE])
def test_readers_cannot_create_or_edit_technologies(client_as, make_user, role):
    technology = make.technology()
    client = client_as(make_user(role))
    assert client.post("/assets/technologies/new/", TECHNOLOGY_DATA).status_code == 403
    edit = f"/assets/technologies/{technology.pk}/edit/"
    assert client.post(edit, TECHNOLOGY_DATA).status_code == 403
    assert Technology.objects.count() == 1


def test_editor_edits_a_technology(client_as, editor):
    technology = make.technology()
    data = {**TECHNOLOGY_DATA, "competitiveness": "1", "damage_if_leaked": "1"}
    response = client_as(editor).post(f"/assets/technologies/{technology.pk}/edit/", data)
    assert response.status_code == 302
    technology.refresh_from_db()
    assert technology.importance == "low" and technology.protection == "trade_secret"


def test_classification_is_recorded_and_shown_in_history(client_as, editor):
    technology = make.technology()
    url = f"/assets/technologies/{technology.pk}/"
    client = client_as(editor)
    missing = client.post(
        url,
        {
            "action": "classification",
            "result": "controlled",
            "judged_by": "輸出管理担当 高橋",
            "judged_on": "2026-04-01",
        },
    )
    assert missing.status_code == 400
    assert "輸出管理担当 高橋" in missing.content.decode()
    assert not ExportClassification.objects.exists()

    done = client.post(
        url,
        {
            "action": "classification",
            "result": "controlled",
            "list_item": "別表第1 8項(1)",
            "basis": "該非判定書 No.12",
            "judged_by": "輸出管理担当 高橋",
            "approved_by": "代表取締役",
            "judged_on": "2026-04-01",
            "rejudge_due": "2027-04-01",
        },
    )
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "別表第1 8項(1)" in page and "該非判定書 No.12" in page and "代表取締役" in page
    listing = client.get("/assets/technologies/").content.decode()
    assert "該当" in listing


def test_deemed_export_approval_is_recorded(client_as, editor):
    technology, person = make.technology(), make.person("李 明")
    response = client_as(editor).post(
        f"/assets/technologies/{technology.pk}/",
        {
            "action": "approval",
            "person": person.pk,
            "reference": "許可番号 2026-001",
            "approved_on": "2026-03-01",
        },
    )
    assert response.status_code == 302
    assert technology.deemed_export_approvals.get().person == person


def test_auditor_cannot_post_on_the_technology_page(client_as, auditor):
    technology = make.technology()
    response = client_as(auditor).post(
        f"/assets/technologies/{technology.pk}/",
        {"action": "step", "order": "1", "name": "配合"},
    )
    assert response.status_code == 403
    assert (
        'name="action"'
        not in client_as(auditor).get(f"/assets/technologies/{technology.pk}/").content.decode()
    )


def test_process_steps_are_added_edited_and_removed_after_confirmation(client_as, editor):
    technology = make.technology()
    first = make.asset("原料配合", technologies=[technology])
    second = make.asset("焼成条件", technologies=[technology])
    make.asset("他技術の資料")
    url = f"/assets/technologies/{technology.pk}/"
    client = client_as(editor)
    page = client.get(url).content.decode()
    assert "原料配合" in page and "他技術の資料" not in page  # only the technology's assets

    assert (
        client.post(
            url, {"action": "step", "order": "1", "name": "配合", "assets": [first.pk]}
        ).status_code
        == 302
    )
    clash = client.post(url, {"action": "step", "order": "1", "name": "焼成"})
    assert clash.status_code == 400
    step = ProcessStep.objects.get()

    edit = client.post(
        f"/assets/steps/{step.pk}/edit/",
        {"order": "1", "name": "配合・混練", "assets": [first.pk, second.pk]},
    )
    assert edit.status_code == 302
    step.refresh_from_db()
    assert step.name == "配合・混練" and step.assets.count() == 2

    confirm = client.get(f"/assets/steps/{step.pk}/delete/")
    assert confirm.status_code == 200 and "配合・混練" in confirm.content.decode()
    assert ProcessStep.objects.exists()
    assert client.post(f"/assets/steps/{step.pk}/delete/").status_code == 302
    assert not ProcessStep.objects.exists()


def test_whole_process_people_and_limit_on_the_page(client_as, officer, editor):
    technology = make.technology()
    first, second = make.asset("原料配合"), make.asset("焼成条件")
    services.process_step_save(technology=technology, order=1, name="配合", assets=[first])
    services.process_step_save(technology=technology, order=2, name="焼成", assets=[second])
    foreman = make.person("職長 太郎")
    make.grant(foreman, first)
    make.grant(foreman, second)
    make.grant(make.person("配合 次郎"), first)
    url = f"/assets/technologies/{technology.pk}/"

    assert (
        client_as(editor).post(url, {"action": "limit", "full_process_limit": "5"}).status_code
        == 403
    )
    assert 'value="limit"' not in client_as(editor).get(url).content.decode()

    response = client_as(officer).post(url, {"action": "limit", "full_process_limit": "0"})
    assert response.status_code == 400
    assert (
        client_as(officer).post(url, {"action": "limit", "full_process_limit": "1"}).status_code
        == 302
    )
    technology.refresh_from_db()
    assert technology.full_process_limit == 1

    page = client_as(editor).get(url).content.decode()
    section = page[page.index('id="limit"') :]
    assert "職長 太郎" in section and "配合 次郎" not in section


def test_technology_page_lists_findings_and_assets(client_as, editor):
    technology = make.technology("界面制御")
    page = client_as(editor).get(f"/assets/technologies/{technology.pk}/").content.decode()
    assert 'data-rule="assets.core_technology_unmanaged"' in page
    make.asset("界面処理条件", technologies=[technology])
    page = client_as(editor).get(f"/assets/technologies/{technology.pk}/").content.decode()
    assert 'data-rule="assets.core_technology_unmanaged"' not in page
    assert "界面処理条件" in page


# --- information assets --------------------------------------------------------------------


ASSET_DATA = {
    "name": "電解質配合表",
    "kind": "document",
    "secrecy_class": "",
    "owner": "",
    "description": "配合比率と原料ロットの一覧",
    "storage_location": "ファイルサーバー /rd/secret",
    "is_useful": "on",
    "usefulness_note": "歩留まりに直結",
    "marking": "「極秘」透かし",
    "separation": "アクセス制限フォルダ",
    "is_non_public": "on",
    "non_public_note": "論文・特許に未記載",
    "evidence_note": "情報管理規程 第5条",
}


def test_asset_list_shows_names_and_classes_not_details(client_as, auditor):
    make.asset("電解質配合表", description="配合比率は秘密")
    page = client_as(auditor).get("/assets/").content.decode()
    assert "電解質配合表" in page and "極秘" in page
    assert "配合比率は秘密" not in page


def test_asset_list_filters(client_as, editor):
    technology = make.technology()
    owner = make.person("所有 花子")
    make.asset("極秘の配合表", technologies=[technology], owner=owner)
    make.asset("社外秘の手順書", secrecy_class="社外秘", kind="document")
    make.asset("区分なしメモ", secrecy_class=None)
    client = client_as(editor)

    def names(query: str) -> set[str]:
        page = client.get(f"/assets/?{query}").content.decode()
        return {name for name in ("極秘の配合表", "社外秘の手順書", "区分なしメモ") if name in page}

    internal = SecrecyClass.objects.get(name="社外秘")
    assert names("q=手順") == {"社外秘の手順書"}
    assert names("kind=document") == {"社外秘の手順書"}
    assert names(f"secrecy_class={internal.pk}") == {"社外秘の手順書"}
    assert names("secrecy_class=none") == {"区分なしメモ"}
    assert names(f"technology={technology.pk}") == {"極秘の配合表"}
    assert names(f"owner={owner.pk}") == {"極秘の配合表"}
    assert names("kind=bogus&owner=x") == {"極秘の配合表", "社外秘の手順書", "区分なしメモ"}


def test_editor_creates_an_asset_linked_to_a_technology(client_as, editor):
    technology = make.technology()
    form = client_as(editor).get(f"/assets/new/?technology={technology.pk}").content.decode()
    assert re.search(rf'name="technologies" value="{technology.pk}"[^>]*checked', form)
    data = {
        **ASSET_DATA,
        "secrecy_class": SecrecyClass.objects.get(name="極秘").pk,
        "technologies": [technology.pk],
    }
    response = client_as(editor).post("/assets/new/", data)
    assert response.status_code == 302
    asset = technology.assets.get()
    assert asset.name == "電解質配合表" and asset.is_secret_managed


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.EMPLOYEE])
def test_readers_cannot_create_assets(client_as, make_user, role):
    assert client_as(make_user(role)).post("/assets/new/", ASSET_DATA).status_code == 403


def test_editing_needs_the_details(client_as, editor, make_user):
    asset = make.asset("電解質配合表")
    url = f"/assets/{asset.pk}/edit/"
    assert client_as(editor).get(url).status_code == 403
    assert client_as(editor).post(url, ASSET_DATA).status_code == 403

    make.grant(make.person("鈴木 大輔", user=editor), asset)
    response = client_as(editor).get(url)
    assert response.status_code == 200 and "焼成温度プロファイル" in response.content.decode()
    assert AuditEntry.objects.filter(
        action=Action.VIEW, object_id=str(asset.pk), actor=editor
    ).exists()
    assert client_as(editor).post(url, ASSET_DATA).status_code == 302
    asset.refresh_from_db()
    assert asset.description == "配合比率と原料ロットの一覧"
    # Removing the 極秘 class is lowering it: asked for, not done (test_class_change_approval).
    assert asset.secrecy_class.name == "極秘"
    assert ApprovalRequest.objects.get().kind == services.CLASS_CHANGE_KIND


def test_owner_without_grants_may_edit(client_as, executive):
    asset = make.asset(owner=make.person(user=executive))
    assert client_as(executive).get(f"/assets/{asset.pk}/edit/").status_code == 200


# --- secrecy classes -----------------------------------------------------------------------


def test_officer_adds_renames_and_reranks_classes(client_as, officer):
    client = client_as(officer)
    assert client.get("/assets/classes/").status_code == 200
    assert (
        client.post("/assets/classes/", {"name": "関係者外秘", "name_en": "Restricted"}).status_code
        == 302
    )
    added = SecrecyClass.objects.get(name="関係者外秘")
    assert added.rank == 4
    duplicate = client.post("/assets/classes/", {"name": "極秘"})
    assert duplicate.status_code == 400

    assert client.post(f"/assets/classes/{added.pk}/", {"name": "部外秘"}).status_code == 302
    assert client.post(f"/assets/classes/{added.pk}/move/", {"direction": "up"}).status_code == 302
    names = list(SecrecyClass.objects.order_by("rank").values_list("name", flat=True))
    assert names == ["極秘", "秘", "部外秘", "社外秘"]


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR])
def test_only_the_officer_manages_classes(client_as, make_user, role):
    client = client_as(make_user(role))
    top = SecrecyClass.objects.get(name="極秘")
    assert client.get("/assets/classes/").status_code == 403
    assert client.post("/assets/classes/", {"name": "新区分"}).status_code == 403
    assert client.post(f"/assets/classes/{top.pk}/move/", {"direction": "down"}).status_code == 403
    assert SecrecyClass.objects.count() == 3


# --- grants --------------------------------------------------------------------------------


def test_grant_form_preselects_person_and_asset(client_as, editor):
    person, asset = make.person("高橋 翔"), make.asset("焼成条件書")
    page = (
        client_as(editor)
        .get(f"/assets/grants/new/?person={person.pk}&asset={asset.pk}")
        .content.decode()
    )
    assert f'<option value="{person.pk}" selected>' in page
    assert f'<option value="{asset.pk}" selected>' in page


def test_grant_form_search_narrows_the_choices(client_as, editor):
    make.person("高橋 翔")
    make.person("伊藤 光")
    page = client_as(editor).get("/assets/grants/new/?person_q=高橋").content.decode()
    assert "高橋 翔" in page and "伊藤 光" not in page


def test_editor_grants_access_with_a_reason(client_as, editor):
    # 社外秘: access needs no approval (test_grant_approval.py has the secret classes).
    person, asset = make.person(), make.asset(secrecy_class="社外秘")
    client = client_as(editor)
    data = {"person": person.pk, "asset": asset.pk, "valid_from": "2026-04-01"}
    missing = client.post("/assets/grants/new/", {**data, "reason": ""})
    assert missing.status_code == 400 and not AccessGrant.objects.exists()

    response = client.post("/assets/grants/new/", {**data, "reason": "量産立ち上げ担当"})
    assert response.status_code == 302 and response["Location"] == f"/assets/{asset.pk}/"
    grant = AccessGrant.objects.get()
    assert grant.granted_by == editor and grant.reason == "量産立ち上げ担当"

    again = client.post("/assets/grants/new/", {**data, "reason": "重複"})
    assert again.status_code == 400 and "errorlist" in again.content.decode()
    assert AccessGrant.objects.count() == 1


def test_grant_end_before_start_is_refused(client_as, editor):
    person, asset = make.person(), make.asset()
    response = client_as(editor).post(
        "/assets/grants/new/",
        {
            "person": person.pk,
            "asset": asset.pk,
            "reason": "試験",
            "valid_from": "2026-04-01",
            "valid_until": "2026-03-01",
        },
    )
    assert response.status_code == 400 and not AccessGrant.objects.exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.EMPLOYEE])
def test_readers_cannot_grant_or_revoke(client_as, make_user, role):
    person, asset = make.person(), make.asset()
    grant = make.grant(person, asset)
    client = client_as(make_user(role))
    data = {
        "person": person.pk,
        "asset": make.asset().pk,
        "reason": "x",
        "valid_from": "2026-04-01",
    }
    assert client.post("/assets/grants/new/", data).status_code == 403
    assert client.get(f"/assets/grants/{grant.pk}/revoke/").status_code == 403
    assert client.post(f"/assets/grants/{grant.pk}/revoke/", {"reason": "x"}).status_code == 403
    grant.refresh_from_db()
    assert grant.revoked_on is None and AccessGrant.objects.count() == 1


def test_revoke_asks_first_then_revokes_in_one_audited_action(client_as, editor):
    person, asset = make.person("渡辺 誠"), make.asset("焼成条件書")
    grant = make.grant(person, asset)
    url = f"/assets/grants/{grant.pk}/revoke/"
    client = client_as(editor)

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "渡辺 誠" in confirm.content.decode() and "焼成条件書" in confirm.content.decode()
    grant.refresh_from_db()
    assert grant.revoked_on is None

    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "担当替え"})
    assert response.status_code == 302 and response["Location"] == f"/assets/{asset.pk}/"
    grant.refresh_from_db()
    assert grant.revoked_on is not None and grant.revoked_by == editor
    assert grant.revoke_reason == "担当替え"
    entry = AuditEntry.objects.filter(
        action=Action.UPDATE, object_type="assets.accessgrant", object_id=str(grant.pk)
    ).get()
    assert entry.actor == editor and "revoked_on" in entry.changes

    again = client.post(url, {"reason": "二度目"})
    assert again.status_code == 400


def test_revoke_returns_to_a_safe_next_page_only(client_as, editor):
    grant = make.grant(make.person(), make.asset())
    response = client_as(editor).post(
        f"/assets/grants/{grant.pk}/revoke/", {"reason": "不要", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/assets/{grant.asset_id}/"


# --- access reviews ------------------------------------------------------------------------


def _review_with_owner(editor_user=None):
    owner = make.person("所有者 一郎", user=editor_user)
    asset = make.asset("所有資産", owner=owner)
    other = make.asset("他人の資産")
    holder = make.person("利用者 二郎")
    mine = make.grant(holder, asset)
    theirs = make.grant(holder, other)
    review = services.review_open_periodic(title="定期見直し", due_on=datetime.date(2026, 12, 1))
    return review, mine, theirs


def test_review_list_shows_open_reviews_with_pending_counts(client_as, auditor):
    review, _, _ = _review_with_owner()
    page = client_as(auditor).get("/assets/reviews/").content.decode()
    assert "定期見直し" in page and f"/assets/reviews/{review.pk}/" in page
    assert 'name="title"' not in page  # an auditor cannot open reviews


def test_editor_opens_a_periodic_review(client_as, editor):
    make.grant(make.person(), make.asset())
    client = client_as(editor)
    assert 'name="title"' in client.get("/assets/reviews/").content.decode()
    response = client.post("/assets/reviews/", {"title": "2026年度 上期", "due_on": "2026-12-15"})
    review = AccessReview.objects.get(title="2026年度 上期")
    assert response["Location"] == f"/assets/reviews/{review.pk}/"
    assert review.items.count() == 1


def test_auditor_cannot_open_a_review(client_as, auditor):
    assert client_as(auditor).post("/assets/reviews/", {"title": "x"}).status_code == 403


def test_officer_decides_any_item(client_as, officer):
    review, _mine, theirs = _review_with_owner()
    client = client_as(officer)
    url = f"/assets/reviews/{review.pk}/"
    item = review.items.get(grant=theirs)
    assert client.post(url, {"item": item.pk, "decision": "revoked"}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.revoked_on is not None and theirs.revoked_by == officer
    item.refresh_from_db()
    assert item.decision == Decision.REVOKED


def test_owner_decides_only_items_of_their_assets(client_as, editor):
    review, mine, theirs = _review_with_owner(editor_user=editor)
    client = client_as(editor)
    url = f"/assets/reviews/{review.pk}/"
    page = client.get(url).content.decode()
    assert page.count('value="confirmed"') == 1

    other = review.items.get(grant=theirs)
    assert client.post(url, {"item": other.pk, "decision": "confirmed"}).status_code == 403
    own = review.items.get(grant=mine)
    assert client.post(url, {"item": own.pk, "decision": "confirmed"}).status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.decision == Decision.CONFIRMED and own.decided_by == editor
    assert other.decision == Decision.PENDING


def test_an_editor_who_owns_nothing_cannot_decide(client_as, editor):
    review, mine, _ = _review_with_owner()
    item = review.items.get(grant=mine)
    response = client_as(editor).post(
        f"/assets/reviews/{review.pk}/", {"item": item.pk, "decision": "revoked"}
    )
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.revoked_on is None


def test_employee_owner_sees_and_decides_only_their_items(client_as, employee):
    review, mine, _theirs = _review_with_owner(editor_user=employee)
    client = client_as(employee)
    listing = client.get("/assets/reviews/").content.decode()
    assert "定期見直し" in listing
    page = client.get(f"/assets/reviews/{review.pk}/").content.decode()
    assert "所有資産" in page and "他人の資産" not in page
    own = review.items.get(grant=mine)
    assert (
        client.post(
            f"/assets/reviews/{review.pk}/", {"item": own.pk, "decision": "confirmed"}
        ).status_code
        == 302
    )


def test_employee_without_items_cannot_open_a_review(client_as, employee):
    review, _, _ = _review_with_owner()
    assert client_as(employee).get(f"/assets/reviews/{review.pk}/").status_code == 403
    assert "定期見直し" not in client_as(employee).get("/assets/reviews/").content.decode()


def test_deciding_twice_says_so(client_as, officer):
    review, mine, _ = _review_with_owner()
    item = review.items.get(grant=mine)
    client = client_as(officer)
    client.post(f"/assets/reviews/{review.pk}/", {"item": item.pk, "decision": "confirmed"})
    response = client.post(
        f"/assets/reviews/{review.pk}/", {"item": item.pk, "decision": "revoked"}, follow=True
    )
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.revoked_on is None


def test_names_in_fast_selects_are_escaped(client_as, editor):
    owner = make.person('<script>alert("x")</script>')
    make.asset(owner=owner)
    for url in ("/assets/", "/assets/new/", "/assets/grants/new/"):
        page = client_as(editor).get(url).content.decode()
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page, url
        assert '<script>alert("x")' not in page, url
