"""Assets through the API: names and classes for every reader, details on need-to-know
only (and audited), writes through the services with the same need-to-know."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from mamori.accounts.roles import Role
from mamori.assets import services
from mamori.assets.models import AccessGrant, InformationAsset
from mamori.audit.models import Action, AuditEntry
from mamori.core.actor import acting_as
from tests.assets import factories as make
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIST_FIELDS = {"id", "name", "kind", "secrecy_class", "owner"}
DETAIL_FIELDS = {"description", "storage_location", "marking", "separation", "evidence_note"}


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def views_of(asset):
    return AuditEntry.objects.filter(
        action=Action.VIEW, object_type="assets.informationasset", object_id=str(asset.pk)
    )


def test_user_who_must_change_password_is_refused(make_user):
    user = make_user(Role.EDITOR, must_change_password=True)
    assert Client().get("/api/assets/", **basic(user.username)).status_code == 403


def test_asset_list_has_names_and_classes_never_details(client_as, auditor):
    owner = make.person("所有 花子")
    make.asset("電解質配合表", owner=owner)
    make.asset("区分なしメモ", secrecy_class=None)
    data = client_as(auditor).get("/api/assets/").json()
    assert data["count"] == 2
    rows = {row["name"]: row for row in data["results"]}
    assert set(rows["電解質配合表"]) == LIST_FIELDS
    assert rows["電解質配合表"]["secrecy_class"] == "極秘"
    assert rows["電解質配合表"]["owner"] == {"id": owner.pk, "name": "所有 花子"}
    assert rows["区分なしメモ"]["secrecy_class"] is None and rows["区分なしメモ"]["owner"] is None
    assert not AuditEntry.objects.filter(action=Action.VIEW).exists()


def test_asset_list_filters_and_pages(client_as, editor):
    technology = make.technology("焼成技術")
    for index in range(5):
        make.asset(
            f"資料{index}",
            secrecy_class="社外秘" if index % 2 else "極秘",
            technologies=[technology] if index < 2 else [],
        )
    make.asset("区分なし", secrecy_class=None)
    client = client_as(editor)
    data = client.get("/api/assets/?limit=2&offset=0").json()
    assert data["count"] == 6 and len(data["results"]) == 2 and data["next"]
    assert [r["name"] for r in client.get("/api/assets/?q=資料3").json()["results"]] == ["資料3"]
    assert client.get(f"/api/assets/?technology={technology.pk}").json()["count"] == 2
    assert client.get("/api/assets/?unclassified=true").json()["count"] == 1
    secret = make.secrecy("社外秘").pk
    assert client.get(f"/api/assets/?secrecy_class={secret}").json()["count"] == 2


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("kind=poem", "kind"), ("owner=abc", "owner"), ("unclassified=maybe", "unclassified")],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(client_as, editor, query, parameter):
    response = client_as(editor).get(f"/api/assets/?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [parameter]


def test_asset_detail_without_grant_hides_details(client_as, editor):
    asset = make.asset("焼成条件書")
    response = client_as(editor).get(f"/api/assets/{asset.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["details_visible"] is False and data["name"] == "焼成条件書"
    assert all(data[field] is None for field in DETAIL_FIELDS | {"technologies"})
    assert "焼成温度" not in response.content.decode()
    assert not views_of(asset).exists()


def test_asset_detail_for_grant_holder_shows_details_and_is_audited(api, editor):
    technology = make.technology("焼成技術")
    asset = make.asset("焼成条件書", technologies=[technology])
    make.grant(make.person(user=editor), asset)
    data = api(editor).get(f"/api/assets/{asset.pk}/").json()
    assert data["details_visible"] is True
    assert data["description"] == "焼成温度プロファイルと保持時間の一覧"
    assert data["technologies"] == [{"id": technology.pk, "name": "焼成技術"}]
    assert data["is_secret_managed"] is True
    assert views_of(asset).get().actor == editor  # attributed to the token's owner


@pytest.mark.parametrize("who", ["owner", "officer"])
def test_owner_and_officer_see_details(client_as, officer, executive, who):
    user = officer if who == "officer" else executive
    asset = make.asset(owner=make.person(user=executive))
    data = client_as(user).get(f"/api/assets/{asset.pk}/").json()
    assert data["details_visible"] is True and data["storage_location"]
    assert views_of(asset).filter(actor=user).count() == 1


def test_basic_authentication_still_works_for_scripts(editor):
    asset = make.asset()
    make.grant(make.person(user=editor), asset)
    response = Client().get(f"/api/assets/{asset.pk}/", **basic("editor"))
    assert response.status_code == 200 and response.json()["details_visible"] is True
    assert views_of(asset).get().actor == editor


def test_basic_authentication_with_a_wrong_password_is_refused(editor):
    response = Client().get("/api/assets/", **basic("editor", "wrong-password-1"))
    assert response.status_code == 401


@pytest.mark.parametrize("pk", ["999999", "0", "-1", "abc", "99999999999999999999999"])
def test_unknown_asset_is_a_json_404(api, editor, pk):
    response = api(editor).get(f"/api/assets/{pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_editor_creates_an_asset_through_the_service(api, editor):
    technology = make.technology("焼成技術")
    owner = make.person("所有 花子")
    response = api(editor).post_json(
        "/api/assets/",
        {
            "name": "新しい配合表",
            "kind": "document",
            "secrecy_class": make.secrecy("極秘").pk,
            "owner": owner.pk,
            "technologies": [technology.pk],
            "description": "配合比の一覧",
        },
    )
    assert response.status_code == 201, response.content
    asset = InformationAsset.objects.get(name="新しい配合表")
    assert list(asset.technologies.all()) == [technology]
    # The editor is neither owner nor grant holder: the answer keeps the details back.
    assert response.json()["details_visible"] is False
    created = AuditEntry.objects.get(
        action=Action.CREATE, object_type="assets.informationasset", object_id=str(asset.pk)
    )
    assert created.actor == editor


def test_changing_an_asset_needs_to_know(api, editor, officer):
    asset = make.asset("焼成条件書")
    refused = api(editor).patch_json(f"/api/assets/{asset.pk}/", {"description": "上書き"})
    assert refused.status_code == 403
    asset.refresh_from_db()
    assert asset.description == "焼成温度プロファイルと保持時間の一覧"
    allowed = api(officer).patch_json(f"/api/assets/{asset.pk}/", {"description": "改訂版"})
    assert allowed.status_code == 200 and allowed.json()["description"] == "改訂版"


def test_auditor_cannot_write(api, auditor):
    response = api(auditor).post_json("/api/assets/", {"name": "x", "kind": "document"})
    assert response.status_code == 403
    assert not InformationAsset.objects.exists()


def test_grant_and_revoke_through_the_api(api, editor):
    # 社外秘: no approval needed (a 極秘 asset answers 202: tests/assets/test_grant_approval.py).
    person = make.person("山田 太郎")
    asset = make.asset("焼成条件書", secrecy_class="社外秘")
    client = api(editor)
    response = client.post_json(
        "/api/grants/", {"person": person.pk, "asset": asset.pk, "reason": "工程改善の担当"}
    )
    assert response.status_code == 201, response.content
    grant = AccessGrant.objects.get(person=person, asset=asset)
    assert grant.granted_by == editor and response.json()["is_active"] is True
    twice = client.post_json(
        "/api/grants/", {"person": person.pk, "asset": asset.pk, "reason": "再度"}
    )
    assert twice.status_code == 400 and list(twice.json()) == ["asset"]
    revoked = client.post_json(f"/api/grants/{grant.pk}/revoke/", {"reason": "担当外れ"})
    assert revoked.status_code == 200 and revoked.json()["revoked_on"]
    again = client.post_json(f"/api/grants/{grant.pk}/revoke/", {})
    assert again.status_code == 400 and "non_field_errors" in again.json()


def test_a_grant_without_a_reason_is_refused_by_the_service(api, editor):
    person, asset = make.person(), make.asset()
    response = api(editor).post_json(
        "/api/grants/", {"person": person.pk, "asset": asset.pk, "reason": " "}
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    assert not AccessGrant.objects.exists()


def test_technology_importance_follows_the_scores(api, editor):
    response = api(editor).post_json(
        "/api/technologies/",
        {
            "name": "低温成膜",
            "category": "core",
            "competitiveness": 3,
            "damage_if_leaked": 3,
            "others_interest": 3,
        },
    )
    assert response.status_code == 201 and response.json()["importance"] == "high"
    pk = response.json()["id"]
    changed = api(editor).patch_json(f"/api/technologies/{pk}/", {"others_interest": 1})
    assert changed.json()["importance"] == "medium"


def test_a_review_counts_its_decisions(api, officer):
    person = make.person()
    grants = [make.grant(person, make.asset()) for _ in range(3)]
    with acting_as(officer):
        review = services.review_open(kind="periodic", title="2026年上期", grants=grants)
        first, second, _third = review.items.order_by("pk")
        services.review_decide(item=first, decision="confirmed", user=officer)
        services.review_decide(item=second, decision="revoked", user=officer)
    data = api(officer).get(f"/api/reviews/{review.pk}/").json()
    assert (data["pending"], data["confirmed"], data["revoked"]) == (1, 1, 1)
    assert data["closed_on"] is None
    assert api(officer).get("/api/reviews/?open=true").json()["count"] == 1
