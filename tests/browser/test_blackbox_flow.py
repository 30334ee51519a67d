"""Issue 5's story in the browser: an editor uploads a Word file for a customer, sees every
replacement in context and what is left, confirms, downloads the sanitized file — and
the disclosure is in the ledger for that customer, codenamed, with the file's hash."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect

from mamori.assets.models import SecrecyClass
from mamori.blackbox.models import Sanitization
from mamori.core.actor import acting_as
from mamori.disclosures.models import Disclosure
from tests.blackbox import factories as make
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.contracts import factories as contracts

pytestmark = pytest.mark.browser


@pytest.fixture
def setting(officer, editor, company_at_stage):
    company_at_stage("seed_early")
    SecrecyClass.objects.get_or_create(name="極秘", defaults={"rank": 1})
    SecrecyClass.objects.get_or_create(name="社外秘", defaults={"rank": 2})
    with acting_as(officer):
        formula = contracts.asset("コーティング配合表", rank=2)
        customer = contracts.counterparty("株式会社ソーラーテック", kind="customer")
        contracts.contract(customer, title="秘密保持契約（ソーラーテック）", scope=[formula])
        make.term("ポリシラザンPSZ-20", "material", variants=["PSZ-20"], assets=[formula])
        make.term("東日本ケミカル株式会社", "supplier")
    return customer, formula


def test_upload_preview_confirm_download_and_the_disclosure(page, editor, setting):
    customer, formula = setting
    sign_in(page, "editor", PASSWORD)
    page.goto(f"{page.base_url}/tools/")
    page.locator("a[href='/blackbox/']").first.click()

    form = page.locator("#sanitize-form")
    form.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "評価依頼.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document",
                "buffer": make.word_file(
                    "主剤は東日本ケミカル株式会社のＰＳＺ－２０です。", "以上"
                ),
            }
        ]
    )
    form.locator("select[name=counterparty]").select_option(str(customer.pk))
    form.locator("button[type=submit]").click()

    # The preview: each replacement in context, and nothing secret left.
    replacements = page.locator("#replacements tr[data-replacement]")
    expect(replacements).to_have_count(2)
    expect(replacements.nth(0)).to_contain_text("東日本ケミカル株式会社")
    expect(replacements.nth(0)).to_contain_text("供給元A")
    expect(replacements.nth(1)).to_contain_text("ＰＳＺ－２０")
    expect(replacements.nth(1)).to_contain_text("素材A")
    expect(page.locator("#residual [data-severity=secret]")).to_have_count(0)

    # Confirm: the linked asset is offered, not ticked for us; tick it and say why.
    confirm = page.locator("#confirm-form")
    offered = confirm.locator(f"input[name=assets][value='{formula.pk}']")
    expect(offered).not_to_be_checked()
    offered.check()
    confirm.locator("input[name=purpose]").fill("試作品の評価依頼")
    confirm.locator("button[type=submit]").click()
    expect(page.locator("#disclosure-link")).to_be_visible()

    with page.expect_download() as download_info:
        page.locator("#download").click()
    download = download_info.value
    assert download.suggested_filename == "評価依頼_送付用.docx"
    import docx

    with open(download.path(), "rb") as handle:
        document = docx.Document(io.BytesIO(handle.read()))
    assert document.paragraphs[0].text == "主剤は供給元Aの素材Aです。"

    sanitization = Sanitization.objects.get()
    disclosure = Disclosure.objects.get()
    assert disclosure.counterparty == customer and disclosure.codenamed
    assert list(disclosure.assets.all()) == [formula]
    assert sanitization.disclosure == disclosure
    assert sanitization.output_sha256 in disclosure.purpose

    page.locator("#disclosure-link").click()
    expect(page.locator("main")).to_contain_text("株式会社ソーラーテック")
