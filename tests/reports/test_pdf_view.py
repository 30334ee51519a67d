"""The PDF report from the web: a download on the dashboard, for those who read the programme."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from mamori.audit.models import Action, AuditEntry
from mamori.reports import fonts

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def test_the_dashboard_offers_both_editions(client_as, officer, company_at_stage):
    company_at_stage("seed_early")
    page = client_as(officer).get("/").content.decode()
    assert 'href="/reports/pdf/"' in page
    assert 'href="/reports/pdf/?edition=outside"' in page


def test_the_officer_downloads_the_internal_report(client_as, officer, company_at_stage):
    company_at_stage("seed_early")
    response = client_as(officer).get("/reports/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.match(
        r'attachment; filename="mamori-report-\d{8}-ja\.pdf"', response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    text = _text(response)
    assert "株式会社テスト技研" in text and "佐藤美咲" in text
    entry = AuditEntry.objects.get(action=Action.EXPORT, object_type="reports.pdf")
    assert entry.actor_id == officer.pk


def test_the_outside_edition_leaves_out_the_officers_name(client_as, officer, company_at_stage):
    company_at_stage("seed_early")
    response = client_as(officer).get("/reports/pdf/?edition=outside")
    assert "-outside-ja.pdf" in response["Content-Disposition"]
    text = _text(response)
    assert "佐藤" not in text
    assert "選任済み（氏名は省略）" in text


def test_english_on_request(client_as, officer, company_at_stage):
    company_at_stage("seed_early")
    response = client_as(officer).get("/reports/pdf/?language=en")
    assert "-en.pdf" in response["Content-Disposition"]
    assert "Seed" in _text(response)


def test_an_employee_may_not_download_it(client_as, employee, company_at_stage):
    company_at_stage("seed_early")
    assert client_as(employee).get("/reports/pdf/").status_code == 403


def test_a_missing_font_is_a_message_not_an_error_page(
    client_as, officer, company_at_stage, monkeypatch
):
    company_at_stage("seed_early")
    monkeypatch.setattr(fonts, "_PACKAGE", "no_such_font_package")
    fonts.register_font.cache_clear()
    try:
        response = client_as(officer).get("/reports/pdf/", follow=True)
    finally:
        monkeypatch.undo()
        fonts.register_font.cache_clear()
    assert response.redirect_chain[-1][0] == "/"
    assert "matplotlib-fontja" in response.content.decode()
    assert not AuditEntry.objects.filter(object_type="reports.pdf").exists()
