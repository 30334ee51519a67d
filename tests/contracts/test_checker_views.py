"""Contract checker pages: checking a file on its own or a contract's file, the report, its
downloads, who may see what, and clear messages for unreadable files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mamori.audit.models import Action, AuditEntry
from mamori.contracts.models import ContractCheck, ContractKind
from tests.contracts import factories as make
from tests.data.contracts.corpus import HEAD_JA, apply_edits, sample

pytestmark = pytest.mark.django_db

NDA = sample("nda_ja_word")


def _page(response) -> str:
    return response.content.decode()


def _check(client, data=NDA.data, name="nda.docx", **fields):
    return client.post(
        reverse("contracts:check"), {"file": SimpleUploadedFile(name, data), **fields}
    )


def test_the_checker_page_checks_a_file_and_shows_the_report(client_as, editor):
    client = client_as(editor)
    assert client.get(reverse("contracts:check")).status_code == 200
    response = _check(client)
    check = ContractCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:check_report", kwargs={"pk": check.pk})
    page = _page(client.get(response["Location"]))
    assert 'data-clause="confidentiality" data-status="present"' in page
    assert "第2条（秘密保持義務）" in page
    assert "乙は、秘密情報を厳に秘密として保持し" in page
    assert 'data-kind="nda"' in page
    assert page.count('data-status="') == len(make.required(ContractKind.NDA))
    listed = _page(client.get(reverse("contracts:check")))
    assert f'data-check="{check.pk}"' in listed


def test_missing_and_weak_clauses_come_with_the_reason_and_a_model_wording(client_as, editor):
    client = client_as(editor)
    text = apply_edits(
        NDA.text,
        [
            {"remove": "第7条"},
            {
                "replace": {
                    "article": "第2条",
                    "old": "しなければならない",
                    "new": "努めるものとする",
                }
            },
        ],
        HEAD_JA,
    )
    response = _check(client, text.encode(), "nda.txt", kind="nda")
    page = _page(client.get(response["Location"]))
    assert 'data-clause="no_reverse_engineering" data-status="missing"' in page
    assert 'data-clause="confidentiality" data-status="weak"' in page
    assert "義務ではなく努力義務" in page  # the reason
    assert 'data-model="no_reverse_engineering"' in page and 'data-model="confidentiality"' in page
    assert 'data-model="definition"' not in page


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04garbage", "broken.docx", "破損"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "l.docx",
            "パスワード",
        ),
    ],
)
def test_an_unreadable_file_is_explained_on_the_form(client_as, editor, data, name, message):
    response = _check(client_as(editor), data, name)
    assert response.status_code == 400
    page = _page(response)
    assert name in page and message in page
    assert ContractCheck.objects.count() == 0


def test_checking_a_contracts_file_updates_its_clauses_and_shows_its_findings(client_as, editor):
    client = client_as(editor)
    contract = make.contract(make.counterparty("東邦精機"), kind=ContractKind.NDA, title="NDA東邦")
    text = apply_edits(NDA.text, [{"remove": "第7条"}], HEAD_JA)
    response = client.post(
        reverse("contracts:check_contract", kwargs={"pk": contract.pk}),
        {"file": SimpleUploadedFile("nda.txt", text.encode())},
    )
    check = ContractCheck.objects.get()
    assert check.contract == contract
    assert response["Location"] == reverse("contracts:check_report", kwargs={"pk": check.pk})
    page = _page(client.get(response["Location"]))
    assert 'id="findings"' in page and "必要な条項が欠けている契約" in page
    contract_page = _page(client.get(reverse("contracts:contract", kwargs={"pk": contract.pk})))
    assert (
        'data-clause="urn:mamori:clause:no_reverse_engineering" data-clause-state="missing"'
        in contract_page
    )
    assert "found by the contract checker" in contract_page or "契約書チェック" in contract_page
    assert f'data-check="{check.pk}"' in contract_page


def test_an_unreadable_contract_file_is_explained_on_the_contract_page(client_as, editor):
    contract = make.contract(kind=ContractKind.NDA)
    response = client_as(editor).post(
        reverse("contracts:check_contract", kwargs={"pk": contract.pk}),
        {"file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 garbage")},
    )
    assert response.status_code == 400
    page = _page(response)
    assert "scan.pdf" in page and 'id="check"' in page
    assert ContractCheck.objects.count() == 0


def test_only_editors_check_a_contracts_file(client_as, auditor, executive):
    contract = make.contract(kind=ContractKind.NDA)
    url = reverse("contracts:check_contract", kwargs={"pk": contract.pk})
    data = {"file": SimpleUploadedFile("nda.docx", NDA.data)}
    assert client_as(auditor).post(url, data).status_code == 403
    assert client_as(executive).get(url).status_code == 302


def test_a_check_on_its_own_is_seen_by_whoever_ran_it_the_officer_and_the_auditor(
    client_as, editor, make_user, officer, auditor, employee
):
    from mamori.accounts.roles import Role

    _check(client_as(editor))
    check = ContractCheck.objects.get()
    url = reverse("contracts:check_report", kwargs={"pk": check.pk})
    other_editor = make_user(Role.EDITOR, "editor2")
    assert client_as(other_editor).get(url).status_code == 404
    assert client_as(officer).get(url).status_code == 200
    assert client_as(auditor).get(url).status_code == 200
    assert client_as(employee).get(url).status_code == 403
    assert client_as(employee).get(reverse("contracts:check")).status_code == 403
    assert client_as(auditor).get(reverse("contracts:check")).status_code == 200
    assert _check(client_as(auditor)).status_code == 403


def test_the_report_downloads_as_pdf_and_word_and_the_download_is_logged(client_as, editor):
    from docx import Document
    from pdfminer.high_level import extract_text

    client = client_as(editor)
    _check(client)
    check = ContractCheck.objects.get()
    pdf = client.get(reverse("contracts:check_download", kwargs={"pk": check.pk, "fmt": "pdf"}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    text = extract_text(io.BytesIO(b"".join(pdf.streaming_content)))
    assert "秘密保持義務" in text and "nda.docx" in text
    word = client.get(reverse("contracts:check_download", kwargs={"pk": check.pk, "fmt": "docx"}))
    document = Document(io.BytesIO(b"".join(word.streaming_content)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "秘密保持義務" in cells and "第2条（秘密保持義務）" in cells
    assert AuditEntry.objects.filter(action=Action.EXPORT, object_id=str(check.pk)).count() == 2
    bad = client.get(reverse("contracts:check_download", kwargs={"pk": check.pk, "fmt": "exe"}))
    assert bad.status_code == 404


def test_the_report_of_missing_clauses_carries_the_model_wording_in_the_downloads(
    client_as, editor
):
    from docx import Document

    client = client_as(editor)
    _check(client, kind="manufacturing")
    check = ContractCheck.objects.get()
    word = client.get(reverse("contracts:check_download", kwargs={"pk": check.pk, "fmt": "docx"}))
    text = "\n".join(
        p.text for p in Document(io.BytesIO(b"".join(word.streaming_content))).paragraphs
    )
    assert "図面、仕様書その他の技術資料を複製し" in text  # model wording of no_drawing_copy
