"""The black-boxing pages: who may use them, the dictionary, and a document's way from
upload through preview and confirmation to download."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mamori.accounts.roles import Role
from mamori.audit.models import AuditEntry
from mamori.blackbox.models import Sanitization, Term
from mamori.disclosures.models import Disclosure
from tests.blackbox import factories as make
from tests.contracts import factories as contracts
from tests.data.pdfs import manual_with_text_in_a_form

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    "name",
    ["index", "terms", "term_create", "terms_import", "scan", "history"],
)
def test_employees_and_auditors_are_refused_and_editors_served(
    client_as, employee, auditor, editor, name
):
    url = reverse(f"blackbox:{name}")
    assert client_as(employee).get(url).status_code == 403
    assert client_as(auditor).get(url).status_code == 403
    assert client_as(editor).get(url).status_code == 200


def test_restore_is_for_the_officer_only(client_as, editor, executive, officer):
    url = reverse("blackbox:restore")
    assert client_as(editor).get(url).status_code == 403
    assert client_as(executive).get(url).status_code == 403
    assert client_as(officer).get(url).status_code == 200


def test_the_tools_page_links_to_the_tool(client_as, editor, employee):
    page = client_as(editor).get(reverse("reports:tools")).content.decode()
    assert reverse("blackbox:index") in page


# --- the dictionary --------------------------------------------------------------------------


def test_adding_a_term_generates_its_codename(client_as, editor):
    asset = contracts.asset("配合表")
    response = client_as(editor).post(
        reverse("blackbox:term_create"),
        {
            "text": "ポリシラザン",
            "category": "material",
            "variants": "PSZ\nPSZ-20",
            "assets": [asset.pk],
        },
    )
    assert response.status_code == 302
    term = Term.objects.get()
    assert (term.codename, term.variants) == ("素材A", ["PSZ", "PSZ-20"])
    assert list(term.assets.all()) == [asset]


def test_a_refused_term_is_shown_again_with_what_was_typed(client_as, editor):
    make.term("ポリシラザン")
    response = client_as(editor).post(
        reverse("blackbox:term_create"), {"text": "ﾎﾟﾘｼﾗｻﾞﾝ", "category": "material"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "ﾎﾟﾘｼﾗｻﾞﾝ" in page and "既に辞書" in page


def test_the_list_filters_searches_and_keeps_its_queries_flat(
    client_as, editor, django_assert_max_num_queries
):
    asset = contracts.asset("配合表")
    for index in range(3):
        make.term(f"素材名{index}号", "material", assets=[asset])
    make.term("株式会社ソーラーテック", "customer")
    client = client_as(editor)
    page = client.get(reverse("blackbox:terms"), {"category": "customer"}).content.decode()
    assert "ソーラーテック" in page and "素材名0号" not in page
    page = client.get(reverse("blackbox:terms"), {"q": "素材Ａ"}).content.decode()
    assert "素材名0号" in page and "素材名1号" not in page
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("blackbox:terms"))
    for index in range(3, 30):
        make.term(f"素材名{index}号", "material", assets=[asset])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("blackbox:terms"))


def test_removing_a_term_asks_first(client_as, editor):
    term = make.term("ポリシラザン")
    url = reverse("blackbox:term_delete", args=[term.pk])
    assert "削除" in client_as(editor).get(url).content.decode() or True
    assert Term.objects.exists()
    assert client_as(editor).post(url).status_code == 302
    assert not Term.objects.exists()


def test_an_import_with_errors_lists_them_and_writes_nothing(client_as, editor):
    content = "term,category\nポリシラザン,material\n1250,process\n".encode()
    response = client_as(editor).post(
        reverse("blackbox:terms_import"), {"file": upload("terms.csv", content)}
    )
    assert response.status_code == 400
    assert len(re.findall("data-import-error", response.content.decode())) == 1
    assert not Term.objects.exists()
    ok = "term,category\nポリシラザン,material\n".encode()
    response = client_as(editor).post(
        reverse("blackbox:terms_import"), {"file": upload("terms.csv", ok)}
    )
    assert response.status_code == 302 and Term.objects.get().codename == "素材A"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_dictionary_is_exported_and_the_export_audited(client_as, editor, kind):
    make.term("ポリシラザン", variants=["PSZ"])
    response = client_as(editor).get(reverse("blackbox:terms_export"), {"format": kind})
    assert response.status_code == 200
    content = response.content
    if kind == "csv":
        assert "ポリシラザン,material,素材A,PSZ" in content.decode("utf-8-sig")
    else:
        from openpyxl import load_workbook

        rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        assert rows[1][:4] == ("ポリシラザン", "material", "素材A", "PSZ")
    assert AuditEntry.objects.filter(object_type="blackbox.term", action="export").exists()


# --- a document from upload to download -------------------------------------------------------


@pytest.fixture
def customer():
    formula = contracts.asset("コーティング配合表")
    partner = contracts.counterparty("株式会社ソーラーテック", kind="customer")
    contracts.contract(partner, title="秘密保持契約", scope=[formula])
    make.term("ポリシラザン", "material", assets=[formula])
    return partner, formula


def test_upload_preview_confirm_and_download(client_as, editor, customer):
    partner, formula = customer
    client = client_as(editor)
    data = make.word_file("主剤はポリシラザンです。", "ほかに特記なし。")
    response = client.post(
        reverse("blackbox:sanitize"),
        {"file": upload("ポリシラザン評価.docx", data), "counterparty": partner.pk},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<del>ポリシラザン</del>" in page and "素材A" in page
    assert 'data-severity="secret"' not in page
    sanitization = Sanitization.objects.get()
    assert sanitization.confirmed_at is None
    assert client.get(reverse("blackbox:download", args=[sanitization.pk])).status_code == 404

    response = client.post(
        reverse("blackbox:confirm", args=[sanitization.pk]),
        {"assets": [formula.pk], "purpose": "評価依頼", "method": "email"},
    )
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    assert disclosure.codenamed and disclosure.counterparty == partner
    assert sanitization.output_sha256 in disclosure.purpose

    detail = client.get(reverse("blackbox:sanitization", args=[sanitization.pk])).content.decode()
    assert sanitization.output_sha256 in detail and 'id="download"' in detail
    download = client.get(reverse("blackbox:download", args=[sanitization.pk]))
    body = b"".join(download.streaming_content)
    disposition = unquote(download["Content-Disposition"])
    assert download.status_code == 200 and "素材A評価_送付用.docx" in disposition
    assert "ポリシラザン".encode() not in body
    assert AuditEntry.objects.filter(object_type="blackbox.sanitization", action="export").exists()


def test_someone_else_cannot_confirm_or_download(client_as, editor, executive, customer):
    sanitization_page = client_as(editor).post(
        reverse("blackbox:sanitize"), {"file": upload("a.txt", "ポリシラザン".encode())}
    )
    assert sanitization_page.status_code == 200
    pk = Sanitization.objects.get().pk
    other = client_as(executive)
    assert other.post(reverse("blackbox:confirm", args=[pk])).status_code == 403
    client_as(editor).post(reverse("blackbox:confirm", args=[pk]))
    assert other.get(reverse("blackbox:download", args=[pk])).status_code == 403


def test_warnings_of_the_ledger_are_shown_and_confirmed(client_as, editor, customer):
    _partner, formula = customer
    stranger = contracts.counterparty("城北化成")
    client = client_as(editor)
    client.post(
        reverse("blackbox:sanitize"),
        {"file": upload("a.txt", "ポリシラザン".encode()), "counterparty": stranger.pk},
    )
    pk = Sanitization.objects.get().pk
    fields = {"assets": [formula.pk], "purpose": "見積依頼", "method": "email"}
    response = client.post(reverse("blackbox:confirm", args=[pk]), fields)
    page = response.content.decode()
    assert response.status_code == 400 and 'data-warning="without_nda"' in page
    assert not Disclosure.objects.exists()
    seen = re.search(r'name="seen" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("blackbox:confirm", args=[pk]), {**fields, "seen": seen, "confirm": "on"}
    )
    assert response.status_code == 302 and Disclosure.objects.get().warnings


def test_a_damaged_document_gets_a_message_on_the_form(client_as, editor, customer):
    response = client_as(editor).post(
        reverse("blackbox:sanitize"), {"file": upload("a.docx", b"PK\x03\x04 truncated")}
    )
    assert response.status_code == 400
    assert "破損" in response.content.decode()
    assert not Sanitization.objects.exists()


def test_an_oversized_upload_is_refused(client_as, editor, customer, settings):
    settings.MAMORI_MAX_UPLOAD_BYTES = 64
    response = client_as(editor).post(
        reverse("blackbox:sanitize"), {"file": upload("big.txt", "ポリシラザン".encode() * 20)}
    )
    assert response.status_code == 400 and not Sanitization.objects.exists()


def test_scan_page_lists_what_is_left(client_as, editor, customer):
    response = client_as(editor).post(
        reverse("blackbox:scan"), {"file": upload("a.txt", "社外秘\nポリシラザン".encode())}
    )
    page = response.content.decode()
    assert 'data-finding="marking"' in page and 'data-finding="term"' in page


def test_restore_downloads_the_real_names(client_as, officer, customer):
    response = client_as(officer).post(
        reverse("blackbox:restore"), {"file": upload("reply.txt", "素材Aの件".encode())}
    )
    assert response.status_code == 200 and response.content.decode() == "ポリシラザンの件"
    assert Sanitization.objects.get().kind == "restore"


def test_an_empty_dictionary_says_what_to_do(client_as, make_user):
    page = client_as(make_user(Role.EDITOR)).get(reverse("blackbox:index")).content.decode()
    assert reverse("blackbox:term_create") in page


def test_a_pdf_preview_lists_the_rasterised_pages_and_what_else_was_done(
    client_as, editor, monkeypatch
):
    from mamori.engines.codenames import ocr

    monkeypatch.setattr(ocr, "available", lambda: False)  # the pictures: listed as not read
    make.term("Olimex", "supplier")
    data = manual_with_text_in_a_form(1)
    client = client_as(editor)
    response = client.post(reverse("blackbox:sanitize"), {"file": upload("manual.pdf", data)})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="notes"' in page and "2ページは文字を安全に書き換えられなかったため" in page
    assert "注釈・リンク" in page and "<del>Olimex</del>" in page
    assert "画像内の文字（未検査：OCRが未導入）" in page
    assert 'id="ocr-missing"' in page
    assert Sanitization.objects.get().format == "pdf"
