"""Issue 4's story in the browser: a university counterparty with its due diligence, an NDA
with a scope of two assets, disclosures inside and outside it (warned; 極秘 blocked until
the officer overrides with a reason), then the NDA expires and the finding appears."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mamori.assets import services as asset_services
from mamori.assets.models import SecrecyClass
from mamori.catalog.selectors import get_catalog
from mamori.contracts.models import Contract
from mamori.core.actor import acting_as
from mamori.disclosures.models import Disclosure
from mamori.partners.models import Counterparty
from mamori.people import services as people_services
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PARTNER = "東都大学 材料研究室"
NDA = "秘密保持契約（東都大学）"
OVERRIDE = "試作評価に不可欠。追補契約で提供範囲に加える（取締役会承認済み）"


@pytest.fixture
def assets(officer, company_at_stage):
    """Two 社外秘 assets for the NDA's scope, one 社外秘 memo and one 極秘 condition."""
    company_at_stage("seed_early")
    # Browser tests flush the database between tests, data migrations included.
    top_secret, _ = SecrecyClass.objects.get_or_create(name="極秘", defaults={"rank": 1})
    internal, _ = SecrecyClass.objects.get_or_create(name="社外秘", defaults={"rank": 2})
    with acting_as(officer):
        department = people_services.department_get_or_create(name="研究開発部")
        owner = people_services.person_create(name="鈴木 花子", department=department)

        def asset(name: str, secrecy: SecrecyClass):
            return asset_services.asset_save(
                name=name,
                kind="document",
                secrecy_class=secrecy,
                owner=owner,
                marking=f"ヘッダーに「{secrecy.name}」",
                separation="アクセス制限付きフォルダ",
            )

        return {
            "drawing": asset("電極の図面", internal),
            "recipe": asset("電解液の配合表", internal),
            "memo": asset("評価メモ", internal),
            "conditions": asset("焼成条件", top_secret),
        }


def _submit(page, within: str = "main form.stacked") -> None:
    page.locator(f"{within} button[type=submit]").first.click()


def _record_disclosure(page, partner: Counterparty, contract: Contract, asset, purpose: str):
    page.goto(f"{page.base_url}/disclosures/new/?counterparty={partner.pk}&contract={contract.pk}")
    page.locator(f"input[name=assets][value='{asset.pk}']").check()
    page.locator("input[name=purpose]").fill(purpose)
    page.locator("select[name=method]").select_option("meeting")
    page.locator("main form[method=post] button[type=submit]").click()


def test_partner_due_diligence_nda_disclosures_and_expiry(page, officer, assets):
    today = timezone.localdate()
    sign_in(page, "officer", PASSWORD)

    # A university counterparty.
    page.goto(f"{page.base_url}/partners/new/")
    page.locator("input[name=name]").fill(PARTNER)
    page.locator("select[name=kind]").select_option("university")
    page.locator("input[name=country]").fill("JP")
    _submit(page)
    partner = Counterparty.objects.get(name=PARTNER)
    expect(page).to_have_url(f"{page.base_url}/partners/{partner.pk}/")

    # Its due diligence: answer every question, rate, approve.
    page.goto(f"{page.base_url}/partners/{partner.pk}/dd/new/")
    page.locator("input[name=questionnaire][value='urn:mamori:dd:joint-research-public']").check()
    page.locator("input[name=performed_by]").fill("佐藤 美咲")
    _submit(page)
    answers = page.locator("#questions textarea[name$='__answer']")
    for index in range(answers.count()):
        answers.nth(index).fill("公開情報（大学の公式サイト、報道）を確認し、懸念はなかった。")
    _submit(page, "#questions form")
    page.locator("#rating input[name=risk][value=low]").check()
    page.locator("#rating textarea[name=reasoning]").fill(
        "公開情報に懸念なし。情報管理の規程もある。"
    )
    _submit(page, "#rating form")
    _submit(page, "#approval form")
    expect(page.locator("[data-dd-approved]")).to_be_visible()
    assert partner.due_diligences.get().approved_by == officer

    # An NDA whose scope is the drawing and the recipe, with every clause an NDA needs.
    page.goto(f"{page.base_url}/contracts/new/?counterparty={partner.pk}")
    page.locator("input[name=title]").fill(NDA)
    page.locator("select[name=kind]").select_option("nda")
    page.locator("input[name=signed_on]").fill((today - datetime.timedelta(days=30)).isoformat())
    page.locator("input[name=ends_on]").fill((today + datetime.timedelta(days=335)).isoformat())
    for key in ("drawing", "recipe"):
        page.locator(f"input[name=scope][value='{assets[key].pk}']").check()
    _submit(page, "main .card form.stacked")
    expect(page.locator("h1")).to_contain_text("契約に定められている条項")
    required = get_catalog().required_clauses("nda")
    for index, article in enumerate(f"第{number}条" for number in range(2, len(required) + 2)):
        page.locator(f"input[name=held_{index}]").check()
        page.locator(f"input[name=article_{index}]").fill(article)
    _submit(page, "main .card form")
    contract = Contract.objects.get(title=NDA)
    expect(page).to_have_url(f"{page.base_url}/contracts/{contract.pk}/#clauses")
    expect(page.locator("[data-clause-state=missing]")).to_have_count(0)
    expect(page.locator("[data-scope-asset]")).to_have_count(2)

    # Inside the scope: recorded at once, without warnings.
    _record_disclosure(page, partner, contract, assets["drawing"], "電極材料の共同評価")
    expect(page.locator("#warnings .empty")).to_be_visible()
    assert Disclosure.objects.get().warnings == []

    # Outside the scope: warned, recorded once confirmed.
    _record_disclosure(page, partner, contract, assets["memo"], "評価結果の共有")
    warnings = page.locator("section#warnings")
    expect(warnings).to_have_attribute("data-blocked", "false")
    expect(warnings.locator("[data-warning=outside_scope]")).to_contain_text("評価メモ")
    expect(page.locator("input[name=purpose]")).to_have_value("評価結果の共有")
    page.locator("input[name=confirm]").check()
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("#warnings [data-warning=outside_scope]")).to_be_visible()
    assert Disclosure.objects.count() == 2

    # 極秘 outside the scope: blocked until the officer gives a reason.
    _record_disclosure(page, partner, contract, assets["conditions"], "焼成条件の確認")
    warnings = page.locator("section#warnings")
    expect(warnings).to_have_attribute("data-blocked", "true")
    expect(warnings).to_contain_text("焼成条件")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("section#warnings")).to_have_attribute("data-blocked", "true")
    assert Disclosure.objects.count() == 2
    page.locator("textarea[name=override_reason]").fill(OVERRIDE)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("#override")).to_contain_text(OVERRIDE)
    overridden = Disclosure.objects.get(override_by=officer)
    assert list(overridden.assets.values_list("name", flat=True)) == ["焼成条件"]

    # The NDA ends yesterday while the counterparty still holds the information.
    page.goto(f"{page.base_url}/contracts/{contract.pk}/edit/")
    page.locator("input[name=ends_on]").fill((today - datetime.timedelta(days=1)).isoformat())
    _submit(page, "main .card form.stacked")
    expect(page.locator("h1 [data-status]")).to_have_attribute("data-status", "ended")
    page.get_by_role("link", name="指摘事項", exact=True).click()
    finding = page.locator("li.finding[data-rule='contracts.nda_expired']")
    expect(finding).to_contain_text(NDA)
    expect(finding).to_contain_text(PARTNER)
