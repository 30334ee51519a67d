"""The REST API: capability on every endpoint, need-to-know on asset details, findings."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from mamori.accounts.roles import Role
from mamori.audit.models import Action, AuditEntry
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


@pytest.mark.parametrize("url", ["/api/assets/", "/api/assets/1/", "/api/findings/"])
def test_anonymous_is_challenged(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize("url", ["/api/assets/", "/api/findings/"])
def test_employee_is_refused(client_as, employee, url):
    assert client_as(employee).get(url).status_code == 403


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
    for index in range(5):
        make.asset(f"資料{index}", secrecy_class="社外秘" if index % 2 else "極秘")
    client = client_as(editor)
    data = client.get("/api/assets/?limit=2&offset=0").json()
    assert data["count"] == 5 and len(data["results"]) == 2 and data["next"]
    data = client.get("/api/assets/?q=資料3").json()
    assert [row["name"] for row in data["results"]] == ["資料3"]


def test_asset_detail_without_grant_hides_details(client_as, editor):
    asset = make.asset("焼成条件書")
    response = client_as(editor).get(f"/api/assets/{asset.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == LIST_FIELDS | {"details_visible"}
    assert data["details_visible"] is False and data["name"] == "焼成条件書"
    assert "焼成温度" not in response.content.decode()
    assert not views_of(asset).exists()


def test_asset_detail_for_grant_holder_shows_details_and_is_audited(client_as, editor):
    technology = make.technology("焼成技術")
    asset = make.asset("焼成条件書", technologies=[technology])
    make.grant(make.person(user=editor), asset)
    data = client_as(editor).get(f"/api/assets/{asset.pk}/").json()
    assert data["details_visible"] is True
    assert set(data) >= DETAIL_FIELDS
    assert data["description"] == "焼成温度プロファイルと保持時間の一覧"
    assert data["technologies"] == [{"id": technology.pk, "name": "焼成技術"}]
    assert data["is_secret_managed"] is True
    assert views_of(asset).get().actor == editor


@pytest.mark.parametrize("who", ["owner", "officer"])
def test_owner_and_officer_see_details(client_as, officer, executive, who):
    user = officer if who == "officer" else executive
    asset = make.asset(owner=make.person(user=executive))
    data = client_as(user).get(f"/api/assets/{asset.pk}/").json()
    assert data["details_visible"] is True and "storage_location" in data
    assert views_of(asset).filter(actor=user).count() == 1


def test_basic_authentication_for_scripts(editor):
    asset = make.asset()
    make.grant(make.person(user=editor), asset)
    response = Client().get(f"/api/assets/{asset.pk}/", **basic("editor"))
    assert response.status_code == 200 and response.json()["details_visible"] is True
    assert views_of(asset).get().actor == editor  # attributed to the script's user


def test_basic_authentication_with_a_wrong_password_is_refused(editor):
    response = Client().get("/api/assets/", **basic("editor", "wrong-password-1"))
    assert response.status_code == 401


def test_unknown_asset_is_404(client_as, editor):
    assert client_as(editor).get("/api/assets/999999/").status_code == 404


def test_findings_endpoint_lists_open_findings_in_the_cli_format(client_as, auditor):
    make.asset("管理者不在の資料", owner=None)
    data = client_as(auditor).get("/api/findings/").json()
    finding = next(row for row in data if row["rule"] == "assets.secret_without_owner")
    assert {"rule", "severity", "message", "objects"} <= set(finding)
    assert finding["severity"] == "medium"
    assert "管理者不在の資料" in finding["message"]
    (ref,) = finding["objects"]
    assert ref["type"] == "assets.informationasset" and ref["label"] == "管理者不在の資料"
    assert set(ref) >= {"type", "id", "label"}


def test_api_is_read_only(client_as, officer):
    assert client_as(officer).post("/api/assets/", {}).status_code in (403, 405)
