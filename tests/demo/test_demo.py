"""``mamori demo`` builds a realistic company with a user for each role."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from mamori.accounts.models import User
from mamori.approvals.models import ApprovalRequest
from mamori.assessment.models import ChecklistAnswer, Evidence
from mamori.audit.services import audit_verify
from mamori.company.selectors import company_get, stage_decision_current
from mamori.demo.builder import DEMO_PASSWORD, LATER_PARTS

pytestmark = pytest.mark.django_db


def test_demo_builds_the_company_and_prints_the_logins(capsys):
    call_command("demo")
    out, err = capsys.readouterr()
    assert "sato" in out and DEMO_PASSWORD in out
    steps = 4 + len(LATER_PARTS)
    assert "デモ会社を作成中" in err and f"{steps}/{steps}" in err  # the bar, on stderr only
    assert "デモ会社を作成中" not in out
    assert {u.role for u in User.objects.all()} == {
        "officer",
        "executive",
        "editor",
        "employee",
        "auditor",
    }
    assert User.objects.get(username="sato").check_password(DEMO_PASSWORD)
    assert company_get().name == "株式会社ルミナス素材研究所"
    assert stage_decision_current().stage == "seed_early"
    statuses = set(ChecklistAnswer.objects.values_list("status", flat=True))
    assert statuses == {"done", "in_progress", "not_applicable", "needs_review"}
    # One done row the registers stopped supporting, with its history.
    (review,) = ChecklistAnswer.objects.filter(status="needs_review")
    assert review.row_id == "urn:mamori:row:people:information-rules"
    assert review.status_changes.get().to_status == "needs_review"
    # One disclosure the ledger blocked, asked for by the editor and approved by the officer.
    (asked,) = ApprovalRequest.objects.filter(kind="disclosures.disclosure")
    assert asked.status == "approved" and asked.requested_by.username == "suzuki"
    assert asked.decided_by.username == "sato" and asked.result_id
    assert Evidence.objects.filter(kind="file").exists()
    assert audit_verify().ok


def test_demo_if_empty_leaves_an_existing_database_alone(capsys):
    call_command("demo", "-v", "0")
    assert capsys.readouterr().err == ""  # no bar at verbosity 0
    users = User.objects.count()
    call_command("demo", "--if-empty")
    assert User.objects.count() == users
    assert "sato" in capsys.readouterr().out


def test_demo_refuses_a_database_that_has_users(officer):
    with pytest.raises(CommandError):
        call_command("demo")


def test_demo_has_a_checked_contract_whose_result_page_offers_the_negotiation_draft(client):
    from django.urls import reverse

    from mamori.contracts.models import ContractCheck

    call_command("demo", verbosity=0)
    check = ContractCheck.objects.get(contract__isnull=True)
    statuses = {row["key"]: row["status"] for row in check.results if row["required"]}
    assert statuses["no_reverse_engineering"] == "missing" and statuses["confidentiality"] == "weak"
    client.force_login(User.objects.get(username="suzuki"))
    page = client.get(reverse("contracts:check_report", kwargs={"pk": check.pk})).content.decode()
    assert 'data-download="redline"' in page
    response = client.get(reverse("contracts:check_redline", kwargs={"pk": check.pk}))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as draft:
        body = draft.read("word/document.xml").decode()
    assert 'w:author="mamori"' in body and "第6条の3（リバースエンジニアリングの禁止）" in body
