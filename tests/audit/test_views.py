"""The officer and the auditor browse, filter, verify and export the audit log."""

from __future__ import annotations

import csv
import io

import pytest

from mamori.accounts.roles import Role
from mamori.assessment import services as checklist_services
from mamori.audit.models import AuditEntry
from mamori.core.actor import acting_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(editor):
    with acting_as(editor):
        checklist_services.answer_update(
            row_id="urn:mamori:row:common:organisation", status="in_progress"
        )
        checklist_services.comment_add(
            row_id="urn:mamori:row:common:organisation", author=editor, body="責任者候補を選定中"
        )


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AUDITOR])
def test_officer_and_auditor_read_the_log(client_as, make_user, history, role):
    page = client_as(make_user(role)).get("/audit/").content.decode()
    assert "組織体制の構築を検討する" in page and "責任者候補を選定中" in page


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.EDITOR, Role.EMPLOYEE])
def test_other_roles_cannot_read_the_log(client_as, make_user, role):
    client = client_as(make_user(role))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403


def test_log_filters_by_object_type_action_and_date(client_as, auditor, history):
    client = client_as(auditor)
    page = client.get("/audit/", {"object_type": "assessment.comment"}).content.decode()
    assert "責任者候補を選定中" in page
    assert "チェック項目の回答「組織体制の構築を検討する」を" not in page
    page = client.get("/audit/", {"date_from": "2000-01-01", "date_to": "2000-01-02"})
    assert "条件に合う記録はありません。" in page.content.decode()


def test_a_bad_date_in_the_filter_is_reported_not_fatal(client_as, auditor, history):
    response = client_as(auditor).get("/audit/", {"date_from": "2026-13-45"})
    assert response.status_code == 200
    assert "日付を正しく入力してください" in response.content.decode()


def test_csv_export_holds_every_entry_and_is_itself_audited(client_as, auditor, history):
    client = client_as(auditor)
    before = AuditEntry.objects.count()
    response = client.get("/audit/export.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["記録番号", "日時", "実行者"]
    # Every entry before the export, plus the export itself.
    assert len(rows) - 1 == before + 1
    assert AuditEntry.objects.filter(action="export", actor_label="auditor").exists()


def test_verify_button_reports_an_intact_chain(client_as, auditor, history):
    response = client_as(auditor).post("/audit/verify/", follow=True)
    assert "監査ログは改ざんされていません" in response.content.decode()


def test_verify_button_reports_the_tampered_entry(client_as, auditor, history):
    AuditEntry.objects.filter(seq=3).update(object_repr="forged")
    response = client_as(auditor).post("/audit/verify/", follow=True)
    assert "記録 #3 に改ざんの疑いがあります" in response.content.decode()
