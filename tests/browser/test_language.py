"""The UI is Japanese by default, and English once the user switches."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mamori.accounts.models import User
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_japanese_by_default_and_english_after_switching(page, officer):
    page.goto(f"{page.base_url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("h1")).to_have_text("ログイン")

    sign_in(page, "officer", PASSWORD)
    expect(page.locator("h1")).to_have_text("ダッシュボード")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(page.get_by_role("link", name="Checklist")).to_be_visible()
    assert User.objects.get(pk=officer.pk).language == "en"

    page.reload()
    expect(page.locator("h1")).to_have_text("Dashboard")
    page.get_by_role("button", name="日本語").click()
    expect(page.locator("h1")).to_have_text("ダッシュボード")
