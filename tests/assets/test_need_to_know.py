"""Need-to-know in mamori itself: an asset's details only for grant holders, the owner and
the officer, and every view of them in the audit log."""

from __future__ import annotations

import pytest

from mamori.assets import services
from mamori.assets.selectors import can_see_asset_details
from mamori.audit.models import Action, AuditEntry
from tests.assets import factories as make

pytestmark = pytest.mark.django_db

DESCRIPTION = "焼成温度プロファイルと保持時間の一覧"
LOCATION = "研究開発部 共有サーバー /secret/process"


def views_of(asset, user=None):
    entries = AuditEntry.objects.filter(
        action=Action.VIEW, object_type="assets.informationasset", object_id=str(asset.pk)
    )
    return entries.filter(actor=user) if user is not None else entries


def test_user_without_grant_sees_name_and_class_but_not_details(client_as, editor):
    asset = make.asset("焼成条件書", evidence_note="規程第5条に基づき管理")
    page = client_as(editor).get(f"/assets/{asset.pk}/").content.decode()
    assert "焼成条件書" in page and "極秘" in page
    for detail in (DESCRIPTION, LOCATION, "規程第5条に基づき管理", "ヘッダーに「極秘」"):
        assert detail not in page
    assert 'id="details"' in page  # the need-to-know notice takes the details' place
    assert not views_of(asset).exists()


def test_grant_holder_sees_details_and_the_view_is_audited(client_as, editor):
    asset = make.asset("焼成条件書")
    make.grant(make.person("鈴木 大輔", user=editor), asset)
    page = client_as(editor).get(f"/assets/{asset.pk}/").content.decode()
    assert DESCRIPTION in page and LOCATION in page and "アクセス制限フォルダ" in page
    entry = views_of(asset, editor).get()
    assert entry.object_repr == "焼成条件書" and entry.actor_label == editor.username


def test_every_view_is_audited_again(client_as, editor):
    asset = make.asset()
    make.grant(make.person(user=editor), asset)
    client = client_as(editor)
    client.get(f"/assets/{asset.pk}/")
    client.get(f"/assets/{asset.pk}/")
    assert views_of(asset, editor).count() == 2


def test_revoked_grant_no_longer_shows_details(client_as, editor, officer):
    asset = make.asset()
    grant = make.grant(make.person(user=editor), asset)
    services.grant_revoke(grant=grant, revoked_by=officer, reason="異動")
    assert DESCRIPTION not in client_as(editor).get(f"/assets/{asset.pk}/").content.decode()


def test_owner_sees_details(client_as, executive):
    asset = make.asset(owner=make.person("オーナー", user=executive))
    assert DESCRIPTION in client_as(executive).get(f"/assets/{asset.pk}/").content.decode()
    assert views_of(asset, executive).exists()


def test_officer_sees_details_without_grant(client_as, officer):
    asset = make.asset()
    assert DESCRIPTION in client_as(officer).get(f"/assets/{asset.pk}/").content.decode()
    assert views_of(asset, officer).count() == 1


def test_auditor_sees_who_has_access_but_not_details(client_as, auditor):
    asset = make.asset()
    make.grant(make.person("利用者 一郎"), asset)
    page = client_as(auditor).get(f"/assets/{asset.pk}/").content.decode()
    assert "利用者 一郎" in page and DESCRIPTION not in page


def test_employee_with_grant_sees_their_asset_but_not_who_else_has_access(client_as, employee):
    asset = make.asset()
    make.grant(make.person("本人", user=employee), asset)
    make.grant(make.person("同僚 二郎"), asset)
    response = client_as(employee).get(f"/assets/{asset.pk}/")
    page = response.content.decode()
    assert response.status_code == 200 and DESCRIPTION in page
    assert "同僚 二郎" not in page
    assert views_of(asset, employee).exists()


def test_employee_without_grant_cannot_open_the_asset(client_as, employee):
    asset = make.asset()
    make.person(user=employee)
    assert client_as(employee).get(f"/assets/{asset.pk}/").status_code == 403
    assert not views_of(asset).exists()


def test_deactivated_user_is_not_allowed_the_details(editor):
    asset = make.asset()
    make.grant(make.person(user=editor), asset)
    assert can_see_asset_details(editor, asset)
    editor.is_active = False
    assert not can_see_asset_details(editor, asset)
