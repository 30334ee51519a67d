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
    empty = client.get(reverse("contracts:check"))
    assert empty.status_code == 200
    assert ">チェックする</button>" in empty.content.decode()  # an action, not a table header
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
    # model wording of no_equipment_relocation
    assert "製造装置、金型及び治具を、別紙に定める工場から移設し" in text


def _weak_and_missing(client):
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
    response = _check(client, text.encode(), "秘密保持契約.txt", kind="nda")
    return ContractCheck.objects.get(), _page(client.get(response["Location"]))


def test_the_result_page_puts_what_needs_work_first_and_names_it_in_the_summary(client_as, editor):
    import re

    _check_row, page = _weak_and_missing(client_as(editor))
    clauses = page[page.index('id="clauses"') :]
    statuses = re.findall(
        r'<tr id="clause-[a-z_]+" data-clause="[a-z_]+" data-status="(\w+)"', clauses
    )
    assert statuses[:2] == ["missing", "weak"] and set(statuses[2:]) == {"present"}
    summary = page[page.index('id="summary"') : page.index('id="clauses"')]
    assert re.search(r'data-needing="missing">.*リバースエンジニアリングの禁止', summary, re.S)
    assert re.search(r'data-needing="weak">.*秘密保持義務', summary, re.S)
    assert 'href="#clause-no_reverse_engineering"' in summary


def test_reason_and_model_wording_are_open_and_the_columns_are_distinct(client_as, editor):
    import re

    _check_row, page = _weak_and_missing(client_as(editor))
    clauses = page[page.index('id="clauses"') :]
    assert "<details" not in clauses
    assert 'data-open="confidentiality"' in clauses and 'data-model="confidentiality"' in clauses
    headers = re.findall(r"<th>([^<]+)</th>", clauses[: clauses.index("</thead>")])
    assert len(headers) == len(set(headers)) == 4
    # Article numbers such as 第2条（秘密保持義務） are kept on one line.
    assert re.search(r'<td class="nowrap" data-article>第2条（秘密保持義務）</td>', clauses)


def test_one_status_vocabulary_on_the_page_the_pdf_the_word_report_and_the_command_line(
    client_as, editor
):
    from docx import Document
    from pdfminer.high_level import extract_text

    from mamori.contracts.statuses import status_label

    client = client_as(editor)
    check, page = _weak_and_missing(client)
    labels = {status: status_label(status, "ja") for status in ("missing", "weak", "present")}
    assert labels == {"missing": "欠落", "weak": "不十分", "present": "あり"}
    for label in labels.values():
        assert f">{label}</span>" in page
    assert "弱い" not in page
    pdf = client.get(reverse("contracts:check_download", kwargs={"pk": check.pk, "fmt": "pdf"}))
    pdf_text = extract_text(io.BytesIO(b"".join(pdf.streaming_content)))
    word = client.get(reverse("contracts:check_download", kwargs={"pk": check.pk, "fmt": "docx"}))
    document = Document(io.BytesIO(b"".join(word.streaming_content)))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for label in labels.values():
        assert label in pdf_text and label in cells
    assert "欠落: リバースエンジニアリングの禁止" in "\n".join(p.text for p in document.paragraphs)
    article_cells = [cell for table in document.tables for row in table.rows for cell in row.cells]
    assert any(
        cell._tc.tcPr is not None
        and cell._tc.tcPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}noWrap"
        )
        is not None
        for cell in article_cells
    )


def test_downloads_have_meaningful_names(client_as, editor):
    from urllib.parse import unquote

    from django.utils import timezone

    client = client_as(editor)
    check, _page_text = _weak_and_missing(client)
    day = timezone.localtime(check.created_at).strftime("%Y%m%d")
    for fmt in ("pdf", "docx"):
        response = client.get(
            reverse("contracts:check_download", kwargs={"pk": check.pk, "fmt": fmt})
        )
        disposition = unquote(response["Content-Disposition"])
        assert f"契約書チェック_秘密保持契約_{day}.{fmt}" in disposition


def test_the_result_page_offers_the_negotiation_draft_of_a_word_file(client_as, editor):
    import zipfile
    from urllib.parse import unquote

    client = client_as(editor)
    original = sample("nda_ja_word")
    data = original.data
    text = apply_edits(original.text, [{"remove": "第7条"}], HEAD_JA)
    del text  # the Word sample is complete; check it as a manufacturing contract instead
    _check(client, data, "取引先NDA.docx", kind="manufacturing")
    check = ContractCheck.objects.get()
    assert check.source  # the file is kept for the draft
    page = _page(client.get(reverse("contracts:check_report", kwargs={"pk": check.pk})))
    url = reverse("contracts:check_redline", kwargs={"pk": check.pk})
    assert f'href="{url}" data-download="redline"' in page and "data-redline" in page
    response = client.get(url)
    assert response.status_code == 200
    assert "取引先NDA_mamori修正案.docx" in unquote(response["Content-Disposition"])
    draft = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(draft)) as archive, zipfile.ZipFile(io.BytesIO(data)) as before:
        body = archive.read("word/document.xml").decode()
        assert 'w:author="mamori"' in body and "<w:ins " in body
        for name in before.namelist():
            if name not in {
                "word/document.xml",
                "word/comments.xml",
                "[Content_Types].xml",
                "word/_rels/document.xml.rels",
            }:
                assert archive.read(name) == before.read(name)
    assert AuditEntry.objects.filter(
        action=Action.EXPORT, object_id=str(check.pk), changes__format="redline"
    ).exists()


def test_a_text_contract_gets_a_word_list_of_proposals_and_an_old_check_none(
    client_as, editor, make_user
):
    from docx import Document

    from mamori.accounts.roles import Role

    client = client_as(editor)
    check, page = _weak_and_missing(client)
    assert "data-redline" in page
    response = client.get(reverse("contracts:check_redline", kwargs={"pk": check.pk}))
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "リバースエンジニアリングの禁止" in text and "の後に追加" in text
    other = make_user(Role.EDITOR, "editor3")
    url = reverse("contracts:check_redline", kwargs={"pk": check.pk})
    assert client_as(other).get(url).status_code == 404
    ContractCheck.objects.filter(pk=check.pk).update(source="")
    page = _page(client.get(reverse("contracts:check_report", kwargs={"pk": check.pk})))
    assert 'data-download="redline"' not in page
    response = client.get(url, follow=True)
    assert "修正案を作成できません" in _page(response)


def test_the_report_shows_each_clauses_true_source_on_the_page_and_in_the_downloads(
    client_as, editor
):
    from docx import Document

    client = client_as(editor)
    text = apply_edits(NDA.text, [{"remove": "第7条"}], HEAD_JA)
    response = _check(client, text.encode(), "nda.txt", kind="nda")
    page = _page(client.get(response["Location"]))
    assert page.count('data-source="mamori"') == 4  # need-to-know, return, term, remedies
    assert page.count('data-source="handbook"') == len(make.required(ContractKind.NDA)) - 4
    assert "ハンドブックが求める条項について" not in _page(client.get(reverse("contracts:check")))
    # A missing handbook clause names its page; nothing calls mamori's own the handbook's.
    assert "出典：ハンドブック8ページ" in page
    check = ContractCheck.objects.get()
    word = client.get(reverse("contracts:check_download", kwargs={"pk": check.pk, "fmt": "docx"}))
    paragraphs = [p.text for p in Document(io.BytesIO(b"".join(word.streaming_content))).paragraphs]
    assert any(p.startswith("出典：ハンドブック") for p in paragraphs)
    assert not any(p.startswith("根拠：") for p in paragraphs)


def test_a_scanned_contract_is_read_by_ocr_and_the_report_says_so(client_as, editor, monkeypatch):
    """A PDF of pictures only: the checker reads it with OCR (here a stand-in that reads
    the sample NDA's lines) and the report gives the OCR's confidence."""
    from types import SimpleNamespace

    from PIL import Image

    from mamori.contracts import checker

    lines = [line for line in NDA.text.splitlines() if line.strip()]

    def read(image):
        return SimpleNamespace(
            lines=[
                SimpleNamespace(
                    text=text, box=(100, 60 + 30 * i, 1500, 85 + 30 * i), confidence=88.0
                )
                for i, text in enumerate(lines)
            ]
        )

    monkeypatch.setattr(checker, "ocr_reader", lambda: read)
    scan = io.BytesIO()
    Image.new("L", (1654, 2339), 255).save(scan, "PDF", resolution=200)
    client = client_as(editor)
    response = _check(client, scan.getvalue(), "scan.pdf")
    check = ContractCheck.objects.get()
    assert response.status_code == 302 and check.ocr_confidence == 88.0
    page = _page(client.get(response["Location"]))
    assert "data-ocr" in page and "OCRで読み取りました（信頼度 88%）" in page
    assert 'data-clause="confidentiality" data-status="present"' in page
