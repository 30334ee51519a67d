"""Issue 13: lowering the secrecy class of a 秘 or 極秘 asset needs the approval of its
owner or the officer (page, API, import), like access to it; nobody approves their own."""

from __future__ import annotations

import pytest

from mamori.accounts.roles import Role
from mamori.api import services as api_services
from mamori.approvals import services as approvals
from mamori.approvals.models import ApprovalRequest, ApprovalStatus
from mamori.assets import services
from mamori.audit.models import AuditEntry
from mamori.core.actor import acting_as
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.exchange.planning import plan_import
from mamori.exchange.services import exchange_import
from mamori.notify.digest import digest_build
from mamori.notify.selectors import digest_collect

from ..api.conftest import TokenClient
from ..exchange.conftest import xlsx
from . import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(editor, officer, make_user):
    """A 極秘 asset owned by an employee; the editor holds a grant in force to it."""
    owner_user = make_user(Role.EMPLOYEE, "owner")
    owner = make.person("管理 太郎", user=owner_user)
    me = make.person("鈴木 大輔", user=editor)
    with acting_as(officer):
        asset = make.asset("焼成条件", owner=owner)
        services.grant_create(person=me, asset=asset, reason="担当", granted_by=officer)
    return {"asset": asset, "owner": owner, "owner_user": owner_user}


def _page_edit(client, asset, secrecy_class, **changes):
    data = {
        "name": asset.name,
        "kind": asset.kind,
        "secrecy_class": secrecy_class.pk if secrecy_class else "",
        "owner": asset.owner_id or "",
        "description": asset.description,
        "storage_location": asset.storage_location,
        "marking": asset.marking,
        "separation": asset.separation,
        **changes,
    }
    return client.post(f"/assets/{asset.pk}/edit/", data)


def _class_of(asset):
    asset.refresh_from_db()
    return asset.secrecy_class.name if asset.secrecy_class_id else None


def test_an_editor_lowering_the_class_on_the_page_asks_for_it(client_as, editor, setting):
    asset = setting["asset"]
    response = _page_edit(
        client_as(editor),
        asset,
        make.secrecy("社外秘"),
        storage_location="新サーバー",
        class_change_reason="公開済みの内容になった",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # The class stays until someone decides; the other change is saved.
    assert _class_of(asset) == "極秘" and asset.storage_location == "新サーバー"
    request = ApprovalRequest.objects.get()
    assert request.kind == services.CLASS_CHANGE_KIND and request.requested_by == editor
    assert request.request_reason == "公開済みの内容になった"
    assert services.class_change_describe(request) == "焼成条件: 極秘 → 社外秘"
    # Nobody approves their own request.
    refused = client_as(editor).post(f"/approvals/{request.pk}/", {"action": "approve"})
    assert refused.status_code == 400 and _class_of(asset) == "極秘"


def test_removing_the_class_is_lowering_it(client_as, editor, setting):
    _page_edit(client_as(editor), setting["asset"], None)
    assert _class_of(setting["asset"]) == "極秘"
    assert ApprovalRequest.objects.get().data["to"] is None


def test_the_owner_approves_and_the_class_is_lowered(client_as, editor, setting):
    asset = setting["asset"]
    _page_edit(client_as(editor), asset, make.secrecy("秘"))
    request = ApprovalRequest.objects.get()
    owner = client_as(setting["owner_user"])
    assert f"/approvals/{request.pk}/" in owner.get("/approvals/").content.decode()
    response = owner.post(f"/approvals/{request.pk}/", {"action": "approve", "reason": "妥当"})
    assert response.status_code == 302
    assert _class_of(asset) == "秘"
    request.refresh_from_db()
    assert request.status == ApprovalStatus.APPROVED
    assert request.decided_by == setting["owner_user"]
    change = AuditEntry.objects.filter(object_type="assets.informationasset").latest("seq")
    assert change.actor_id == setting["owner_user"].pk
    assert "secrecy_class" in change.changes


def test_declined_with_a_reason_keeps_the_class(editor, officer, setting):
    asset = setting["asset"]
    with acting_as(editor):
        _, request = services.asset_change(
            asset=asset, changed_by=editor, secrecy_class=make.secrecy("社外秘")
        )
    with acting_as(officer), pytest.raises(ApplicationError):
        approvals.approval_decline(request=request, user=officer, reason=" ")
    with acting_as(officer):
        approvals.approval_decline(request=request, user=officer, reason="まだ秘密")
    assert _class_of(asset) == "極秘"
    request.refresh_from_db()
    assert (request.status, request.decision_reason) == (ApprovalStatus.DECLINED, "まだ秘密")


def test_the_owner_asks_too_and_only_the_officer_decides(officer, make_user, setting):
    """The owner's own lowering is a request (they cannot approve it); another editor
    may not decide it; the officer may."""
    asset, owner_user = setting["asset"], setting["owner_user"]
    with acting_as(owner_user):
        _, request = services.asset_change(
            asset=asset, changed_by=owner_user, secrecy_class=make.secrecy("秘")
        )
    assert request is not None and _class_of(asset) == "極秘"
    with pytest.raises(NotPermitted):
        approvals.approval_approve(request=request, user=owner_user)
    with pytest.raises(NotPermitted):
        approvals.approval_approve(request=request, user=make_user(Role.EDITOR, "other"))
    with acting_as(officer):
        approvals.approval_approve(request=request, user=officer)
    assert _class_of(asset) == "秘"


def test_the_officer_lowers_directly_and_raising_needs_nobody(editor, officer, setting):
    asset = setting["asset"]
    with acting_as(officer):
        _, request = services.asset_change(
            asset=asset, changed_by=officer, secrecy_class=make.secrecy("秘")
        )
    assert request is None and _class_of(asset) == "秘"
    internal = make.asset("社内手順", secrecy_class="社外秘")
    with acting_as(editor):
        _, request = services.asset_change(
            asset=internal, changed_by=editor, secrecy_class=make.secrecy("極秘")
        )
        assert request is None and _class_of(internal) == "極秘"
        # 社外秘 needs no approval for access, so lowering from it needs none either.
        lower = make.asset("掲示物", secrecy_class="社外秘")
        _, request = services.asset_change(asset=lower, changed_by=editor, secrecy_class=None)
    assert request is None and _class_of(lower) is None


def test_a_request_overtaken_by_another_change_is_refused(editor, officer, setting):
    asset = setting["asset"]
    with acting_as(editor):
        _, request = services.asset_change(
            asset=asset, changed_by=editor, secrecy_class=make.secrecy("社外秘")
        )
    with acting_as(officer):
        services.asset_change(asset=asset, changed_by=officer, secrecy_class=make.secrecy("秘"))
        with pytest.raises(ApplicationError):
            approvals.approval_approve(request=request, user=officer)
    assert _class_of(asset) == "秘"
    request.refresh_from_db()
    assert request.is_pending


def test_the_api_asks_instead_of_lowering(editor, setting):
    asset = setting["asset"]
    with acting_as(editor):
        key = api_services.token_create(user=editor, name="script").key
    response = TokenClient(key).patch_json(
        f"/api/assets/{asset.pk}/",
        {"secrecy_class": make.secrecy("社外秘").pk, "storage_location": "API"},
    )
    assert response.status_code == 202, response.content
    body = response.json()
    request = ApprovalRequest.objects.get()
    assert body["approval_request"] == request.pk and body["status"] == "pending"
    assert body["url"] == f"/approvals/{request.pk}/"
    assert body["asset"]["storage_location"] == "API"
    assert _class_of(asset) == "極秘" and asset.storage_location == "API"


def test_the_import_asks_instead_of_lowering(editor, setting):
    content = xlsx(
        {"情報資産": [["資産名", "種類", "秘密区分"], ["焼成条件", "製造条件", "社外秘"]]}
    )
    plan = plan_import(content, "assets.xlsx", user=editor)
    assert not plan.errors, plan.errors
    with acting_as(editor):
        result = exchange_import(plan=plan, user=editor)
    assert result.counts["assets"]["requested"] == 1
    assert _class_of(setting["asset"]) == "極秘"
    assert ApprovalRequest.objects.get().kind == services.CLASS_CHANGE_KIND


def test_pending_lowering_is_in_the_deciders_digests(editor, officer, setting):
    with acting_as(editor):
        services.asset_change(
            asset=setting["asset"], changed_by=editor, secrecy_class=make.secrecy("秘")
        )
    data = digest_collect()
    for user in (officer, setting["owner_user"]):
        titles = [item.title for item in digest_build(user, data).items("waiting")]
        assert any("焼成条件: 極秘 → 秘" in title for title in titles), titles
    assert not digest_build(editor, data).items("waiting")
