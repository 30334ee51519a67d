"""API tokens and the API docs in a browser: a token is created on My page and shown once,
and Swagger UI renders the schema under mamori's Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mamori.api.models import ApiToken
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_create_a_token_and_read_the_docs(page, editor):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, "editor", PASSWORD)
    page.goto(f"{page.base_url}/accounts/me/")
    page.get_by_role("link", name="APIトークン").click()
    page.locator("main input[name=name]").fill("夜間バッチ")
    page.get_by_role("button", name="作成").click()
    key = page.locator("#new-token").inner_text()
    assert key.startswith("mamori_")
    assert ApiToken.objects.get(user=editor).name == "夜間バッチ"

    answer = page.request.get(f"{page.base_url}/api/me/", headers={"Authorization": f"Token {key}"})
    assert answer.ok and answer.json()["username"] == "editor"

    page.goto(f"{page.base_url}/accounts/me/tokens/")  # the key is not shown again
    expect(page.locator("#new-token")).to_have_count(0)

    page.get_by_role("link", name="APIドキュメント").click()
    # Swagger UI renders after the schema is generated, which takes seconds on a busy machine.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("mamori API", timeout=60_000)
    people = page.locator("#operations-people-people_list")
    people.locator(".opblock-summary").click()
    people.get_by_role("button", name="Try it out").click()
    people.get_by_role("button", name="Execute").click()
    status = people.locator(".live-responses-table tbody .response-col_status")
    expect(status.first).to_contain_text("200", timeout=60_000)
    assert violations == []
