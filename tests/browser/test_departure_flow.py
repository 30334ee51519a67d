"""Issue 3's story in the browser: a leaver's access is found, revoked in one action, and
the access-control row's derived status follows; the audit log shows every step."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mamori.assets import services as asset_services
from mamori.assets.models import AccessGrant, SecrecyClass
from mamori.audit.models import AuditEntry
from mamori.core.actor import acting_as
from mamori.people import services as people_services
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ACCESS_ROW = "urn:mamori:row:people:access-control"


@pytest.fixture
def leaver(officer, company_at_stage):
    """山本 holds access to a 極秘 process condition; 鈴木 keeps hers throughout."""
    company_at_stage("seed_early")
    # Browser tests flush the database between tests, data migrations included.
    top_secret, _ = SecrecyClass.objects.get_or_create(name="極秘", defaults={"rank": 1})
    with acting_as(officer):
        department = people_services.department_get_or_create(name="製造技術部")
        yamamoto = people_services.person_create(name="山本 翔太", department=department)
        suzuki = people_services.person_create(name="鈴木 花子", department=department)
        conditions = asset_services.asset_save(
            name="成膜条件シート",
            kind="process_condition",
            secrecy_class=top_secret,
            owner=suzuki,
            marking="ヘッダーに「極秘」",
            separation="極秘フォルダ",
        )
        drawing = asset_services.asset_save(
            name="装置図面",
            kind="drawing",
            secrecy_class=top_secret,
            owner=suzuki,
            marking="図枠に「極秘」",
            separation="施錠キャビネット",
        )
        for asset in (conditions, drawing):
            asset_services.grant_create(
                person=yamamoto, asset=asset, reason="成膜工程の担当", granted_by=officer
            )
        asset_services.grant_create(
            person=suzuki, asset=conditions, reason="工程の責任者", granted_by=officer
        )
    return yamamoto


def _derived_status(page) -> str:
    page.goto(f"{page.base_url}/checklist/rows/{ACCESS_ROW}/")
    return page.locator("[data-derived-status]").get_attribute("data-derived-status")


def test_departure_notice_finding_one_action_revoke_and_audit(page, officer, leaver):
    sign_in(page, "officer", PASSWORD)
    assert _derived_status(page) == "satisfied"

    # The notice, from the person's page.
    page.goto(f"{page.base_url}/people/{leaver.pk}/")
    page.get_by_role("link", name="退職の申出", exact=True).click()
    today = timezone.localdate()
    page.locator("input[name=notice_on]").fill(today.isoformat())
    page.locator("input[name=last_day]").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="申出を記録する").click()

    # The findings list names the leaver and the 極秘 asset.
    page.get_by_role("link", name="指摘事項", exact=True).click()
    finding = page.locator("li.finding[data-rule='assets.leaver_holds_access']")
    expect(finding).to_contain_text("山本 翔太")
    expect(finding).to_contain_text("成膜条件シート")
    assert _derived_status(page) == "not-yet"
    expect(page.locator("#derived")).to_contain_text("退職者・退職予定者にアクセス権が残っている")

    # One action on the departure checklist revokes everything (after asking).
    page.goto(f"{page.base_url}/lifecycle/people/{leaver.pk}/departure/")
    page.get_by_role("link", name="すべてのアクセス権を取り消す…").click()
    expect(page.locator("h1")).to_contain_text("すべてのアクセス権を取り消しますか")
    page.get_by_role("button", name="すべてのアクセス権を取り消す").click()
    assert not AccessGrant.objects.filter(person=leaver, revoked_on__isnull=True).exists()

    page.get_by_role("link", name="指摘事項", exact=True).click()
    expect(page.locator("li.finding[data-rule='assets.leaver_holds_access']")).to_have_count(0)
    assert _derived_status(page) == "satisfied"

    # The audit log shows the notice, the departure checklist and each revocation.
    page.goto(f"{page.base_url}/audit/?object_type=assets.accessgrant&action=update")
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody")).to_contain_text("取消日")
    actions = set(
        AuditEntry.objects.filter(actor_label="officer").values_list("object_type", "action")
    )
    assert {
        ("people.lifecycleevent", "create"),
        ("lifecycle.departure", "create"),
        ("assets.accessreview", "create"),
        ("assets.accessgrant", "update"),
    } <= actions
