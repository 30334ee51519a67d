"""Browser: upload a contract's Word file on its page in the register, read the clause
report, and see the finding the missing clause raises; then the same file fixed."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from mamori.contracts import services as contract_services
from mamori.contracts.models import ContractCheck
from mamori.core.actor import acting_as
from mamori.partners import services as partner_services
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from tests.data.contracts.corpus import HEAD_JA, apply_edits, build_docx, sample

pytestmark = pytest.mark.browser

NDA = sample("nda_ja_word")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload(page, name: str, data: bytes) -> None:
    page.locator("#check input[type=file]").set_input_files(
        {"name": name, "mimeType": DOCX, "buffer": data}
    )
    page.locator("#check button[type=submit]").click()


def test_upload_a_contract_see_the_clause_report_and_the_finding(page, officer, company_at_stage):
    company_at_stage("seed_early")
    with acting_as(officer):
        partner = partner_services.counterparty_save(name="東邦精機株式会社", kind="manufacturer")
        contract = contract_services.contract_save(
            title="秘密保持契約（東邦精機）",
            kind="nda",
            counterparty=partner,
            signed_on=officer.date_joined.date(),
        )
    sign_in(page, "officer", PASSWORD)

    # The draft without its reverse-engineering article, in Word with automatic numbering.
    text = apply_edits(NDA.text, [{"remove": "第7条"}], HEAD_JA)
    page.goto(f"{page.base_url}/contracts/{contract.pk}/")
    _upload(page, "秘密保持契約書_案.docx", build_docx(text, numbering="article_ja"))

    check = ContractCheck.objects.get()
    expect(page).to_have_url(f"{page.base_url}/contracts/check/{check.pk}/")
    expect(page.locator("h1")).to_contain_text("契約書チェック結果")
    rows = page.locator("#clauses tr[data-clause]")
    expect(rows).to_have_count(11)
    confidentiality = page.locator("tr[data-clause=confidentiality]")
    expect(confidentiality).to_have_attribute("data-status", "present")
    expect(confidentiality).to_contain_text("第2条（秘密保持義務）")
    expect(confidentiality).to_contain_text("厳に秘密として保持し")
    missing = page.locator("tr[data-clause=no_reverse_engineering]")
    expect(missing).to_have_attribute("data-status", "missing")
    # What needs work comes first, is named in the summary, and its model wording is open.
    expect(rows.first).to_have_attribute("data-clause", "no_reverse_engineering")
    expect(page.locator("[data-needing=missing]")).to_contain_text("リバースエンジニアリングの禁止")
    expect(missing.locator("[data-model=no_reverse_engineering]")).to_be_visible()
    # The negotiation draft: the uploaded Word file with the clause as a tracked insertion.
    with page.expect_download() as download:
        page.locator("[data-download=redline]").click()
    assert download.value.suggested_filename == "秘密保持契約書_案_mamori修正案.docx"
    with zipfile.ZipFile(download.value.path()) as draft:
        body = draft.read("word/document.xml").decode()
    assert 'w:author="mamori"' in body and "リバースエンジニアリングの禁止" in body
    expect(page.locator("#findings")).to_contain_text("必要な条項が欠けている契約")
    expect(page.locator("#findings")).to_contain_text("リバースエンジニアリングの禁止")

    # The contract's page: the clause list follows the file, the finding is there too.
    page.locator(".kicker a").click()
    expect(
        page.locator("[data-clause='urn:mamori:clause:no_reverse_engineering']")
    ).to_have_attribute("data-clause-state", "missing")
    expect(page.locator("[data-clause-state=missing]")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("必要な条項が欠けている契約")

    # The complete contract: nothing is missing any more, the finding is gone.
    _upload(page, "秘密保持契約書_最終.docx", NDA.data)
    expect(page.locator("[data-count=missing]")).to_have_text("0")
    expect(page.locator("#findings")).not_to_contain_text("必要な条項が欠けている契約")
