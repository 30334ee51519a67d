"""The company profile and its responsible officer (STEP 1)."""

from __future__ import annotations

import pytest

from mamori.company import services
from mamori.company.models import Company
from mamori.company.services import OFFICER_MUST_HAVE_ROLE
from mamori.core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_officer_enters_the_profile_and_is_sent_on_to_the_stage_wizard(client_as, officer):
    response = client_as(officer).post(
        "/company/edit/",
        {
            "name": "株式会社テスト技研",
            "corporate_number": "1234567890123",
            "officer": officer.pk,
            "officer_appointed_on": "2026-04-01",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/company/stage/"
    company = Company.objects.get()
    assert company.officer == officer and str(company.officer_appointed_on) == "2026-04-01"


def test_bad_input_is_named_and_kept(client_as, officer):
    response = client_as(officer).post(
        "/company/edit/",
        {"name": "株式会社テスト技研", "corporate_number": "12-34", "founded_on": "2026-02-30"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "法人番号は13桁の数字です。" in page
    assert "日付を正しく入力してください" in page
    assert 'value="株式会社テスト技研"' in page
    assert not Company.objects.exists()


def test_the_responsible_officer_must_hold_the_officer_role(officer, editor):
    with pytest.raises(ApplicationError) as error:
        services.company_save(name="株式会社テスト技研", officer=editor)
    assert error.value.message == OFFICER_MUST_HAVE_ROLE


def test_saving_twice_updates_the_one_company(officer):
    services.company_save(name="株式会社テスト技研")
    services.company_save(name="株式会社テスト技研（新社名）")
    assert Company.objects.get().name == "株式会社テスト技研（新社名）"


def test_auditor_reads_but_cannot_edit_the_profile(client_as, auditor, officer):
    services.company_save(name="株式会社テスト技研")
    client = client_as(auditor)
    assert "株式会社テスト技研" in client.get("/company/").content.decode()
    assert client.post("/company/edit/", {"name": "乗っ取り"}).status_code == 403
