"""Problem 5 of issue 13: access to 秘 and 極秘 assets needs the approval of the asset's
owner or the officer; an editor can no longer grant themself access (page, API, import)."""

from __future__ import annotations

import datetime

import pytest

from mamori.accounts.roles import Role
from mamori.api import services as api_services
from mamori.approvals import services as approvals
from mamori.approvals.models import ApprovalRequest, ApprovalStatus
from mamori.assets import services
from mamori.assets.models import AccessGrant
from mamori.audit.models import AuditEntry
from mamori.core.actor import acting_as
from mamori.core.errors import NotPermitted
from mamori.exchange.planning import plan_import
from mamori.exchange.services import exchange_import
from mamori.notify.digest import digest_build
from mamori.notify.selectors import digest_collect

from ..api.conftest import TokenClient
from ..exchange.conftest import xlsx
from . import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(editor, make_user):
    """An editor with a person record, an owner (an employee) of a 極秘 asset."""
    owner_user = make_user(Role.EMPLOYEE, "owner")
    me = make.person("鈴木 大輔", user=editor)
    owner = make.person("管理 太郎", user=owner_user)
    asset = make.asset("焼成条件", owner=owner)
    return {"me": me, "owner": owner, "owner_user": owner_user, "asset": asset}


def _page_grant(client, person, asset):
    return client.post(
        "/assets/grants/new/",
        {
            "person": person.pk,
            "asset": asset.pk,
            "reason": "量産立ち上げ",
            "valid_from": "2026-04-01",
        },
    )


def test_an_editor_cannot_grant_themself_a_secret_on_the_page(client_as, editor, setting):
    response = _page_grant(client_as(editor), setting["me"], setting["asset"])
    request = ApprovalRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/approvals/{request.pk}/"
    assert not AccessGrant.objects.exists()
    assert request.status == ApprovalStatus.PENDING and request.requested_by == editor
    assert request.data["person"] == setting["me"].pk
    # Nobody approves their own request.
    refused = client_as(editor).post(f"/approvals/{request.pk}/", {"action": "approve"})
    assert refused.status_code == 400 and not AccessGrant.objects.exists()


def test_the_owner_approves_and_the_grant_is_made(client_as, editor, setting):
    _page_grant(client_as(editor), setting["me"], setting["asset"])
    request = ApprovalRequest.objects.get()
    owner = client_as(setting["owner_user"])
    assert f"/approvals/{request.pk}/" in owner.get("/approvals/").content.decode()
    response = owner.post(f"/approvals/{request.pk}/", {"action": "approve", "reason": "担当"})
    assert response.status_code == 302
    grant = AccessGrant.objects.get()
    assert grant.person == setting["me"] and grant.granted_by == setting["owner_user"]
    assert grant.valid_from == datetime.date(2026, 4, 1)
    request.refresh_from_db()
    assert request.status == ApprovalStatus.APPROVED
    assert (request.result_type, request.result_id) == ("assets.accessgrant", str(grant.pk))
    audited = AuditEntry.objects.filter(object_type="approvals.approvalrequest").order_by("seq")
    assert [e.action for e in audited] == ["create", "update"]
    assert audited[1].actor_id == setting["owner_user"].pk


def test_another_editor_may_not_approve_but_the_officer_may(editor, officer, make_user, setting):
    with acting_as(editor):
        request = services.grant_give(
            person=setting["me"], asset=setting["asset"], reason="試作", granted_by=editor
        )
    assert isinstance(request, ApprovalRequest)
    with pytest.raises(NotPermitted):
        approvals.approval_approve(request=request, user=make_user(Role.EDITOR, "other"))
    with acting_as(officer):
        approvals.approval_approve(request=request, user=officer)
    assert AccessGrant.objects.get().granted_by == officer


def test_declined_with_a_reason_grants_nothing(editor, officer, setting):
    with acting_as(editor):
        request = services.grant_give(
            person=setting["me"], asset=setting["asset"], reason="試作", granted_by=editor
        )
    with acting_as(officer):
        approvals.approval_decline(request=request, user=officer, reason="担当外")
    assert not AccessGrant.objects.exists()
    request.refresh_from_db()
    assert (request.status, request.decision_reason) == (ApprovalStatus.DECLINED, "担当外")


def test_the_officer_and_the_owner_grant_directly(officer, setting):
    with acting_as(officer):
        grant = services.grant_give(
            person=setting["me"], asset=setting["asset"], reason="監査対応", granted_by=officer
        )
    assert isinstance(grant, AccessGrant) and not ApprovalRequest.objects.exists()
    other = make.person("別の 人")
    with acting_as(setting["owner_user"]):
        grant = services.grant_give(
            person=other, asset=setting["asset"], reason="引継ぎ", granted_by=setting["owner_user"]
        )
    assert isinstance(grant, AccessGrant)


def test_an_internal_only_asset_needs_no_approval(client_as, editor, setting):
    internal = make.asset("社内手順", secrecy_class="社外秘")
    _page_grant(client_as(editor), setting["me"], internal)
    assert AccessGrant.objects.get().asset == internal and not ApprovalRequest.objects.exists()


def test_grant_create_refuses_an_editor_whatever_the_caller(editor, setting):
    with acting_as(editor), pytest.raises(NotPermitted):
        services.grant_create(
            person=setting["me"], asset=setting["asset"], reason="直接", granted_by=editor
        )
    with acting_as(editor), pytest.raises(NotPermitted):
        services.grant_create(
            person=setting["me"], asset=setting["asset"], reason="直接", granted_by=None
        )


def test_the_api_asks_instead_of_granting(editor, setting):
    with acting_as(editor):
        key = api_services.token_create(user=editor, name="script").key
    response = TokenClient(key).post_json(
        "/api/grants/",
        {"person": setting["me"].pk, "asset": setting["asset"].pk, "reason": "API から"},
    )
    assert response.status_code == 202, response.content
    body = response.json()
    request = ApprovalRequest.objects.get()
    assert body == {
        "approval_request": request.pk,
        "status": "pending",
        "url": f"/approvals/{request.pk}/",
    }
    assert not AccessGrant.objects.exists()


def test_the_import_asks_instead_of_granting(editor, setting):
    setting["me"].employee_number = "E-500"
    setting["me"].save()
    content = xlsx(
        {
            "アクセス権限": [
                ["対象者", "情報資産", "必要な理由", "開始日"],
                ["E-500", "焼成条件", "取込", "2026/04/01"],
            ]
        }
    )
    plan = plan_import(content, "grants.xlsx", user=editor)
    assert not plan.errors
    with acting_as(editor):
        result = exchange_import(plan=plan, user=editor)
    assert result.counts["grants"]["requested"] == 1
    assert not AccessGrant.objects.exists()
    assert ApprovalRequest.objects.get().requested_by == editor


def test_the_import_cannot_lengthen_a_secret_grant(editor, officer, setting):
    with acting_as(officer):
        grant = services.grant_create(
            person=setting["me"],
            asset=setting["asset"],
            reason="期間限定",
            granted_by=officer,
            valid_from=datetime.date(2026, 4, 1),
            valid_until=datetime.date(2026, 6, 30),
        )
    with acting_as(editor), pytest.raises(NotPermitted):
        services.grant_update(grant=grant, changed_by=editor, valid_until=None)
    with acting_as(editor):  # shortening is fine
        services.grant_update(grant=grant, changed_by=editor, valid_until=datetime.date(2026, 5, 1))


def test_pending_grants_are_in_the_deciders_digests(editor, officer, setting):
    with acting_as(editor):
        services.grant_give(
            person=setting["me"], asset=setting["asset"], reason="試作", granted_by=editor
        )
    data = digest_collect()
    for user in (officer, setting["owner_user"]):
        titles = [item.title for item in digest_build(user, data).items("waiting")]
        assert any("焼成条件" in title and "鈴木 大輔" in title for title in titles), titles
    assert not digest_build(editor, data).items("waiting")
