"""The checklist pages: who may change what, uploads with clear errors, flat query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mamori.accounts.roles import Role
from mamori.assessment import services
from mamori.assessment.models import ChecklistAnswer, Evidence
from mamori.catalog.selectors import get_catalog

pytestmark = pytest.mark.django_db

ROW = "urn:mamori:row:common:organisation"
ROW_URL = f"/checklist/rows/{ROW}/"


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def test_editor_marks_a_row_done_with_owner_and_due_date(client_as, editor, officer_appointed):
    response = client_as(editor).post(
        ROW_URL,
        {"action": "answer", "status": "done", "owner": editor.pk, "due_date": "2026-12-01"},
    )
    assert response.status_code == 302
    answer = ChecklistAnswer.objects.get(row_id=ROW)
    assert answer.status == "done" and answer.owner == editor


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.AUDITOR])
def test_employee_and_auditor_cannot_change_rows(client_as, make_user, role):
    client = client_as(make_user(role))
    for data in (
        {"action": "answer", "status": "done"},
        {"action": "comment", "body": "勝手に書く"},
        {
            "action": "evidence_link",
            "url": "https://x.example",
            "title": "x",
            "effective_date": "2026-11-26",
        },
    ):
        assert client.post(ROW_URL, data).status_code == 403
    assert not ChecklistAnswer.objects.exists()


def test_auditor_reads_the_row_without_forms(client_as, auditor):
    page = client_as(auditor).get(ROW_URL).content.decode()
    assert "組織体制の構築を検討する" in page and "経営層のリーダーシップ" in page
    assert 'name="action"' not in page


def test_employee_does_not_see_the_checklist(client_as, employee):
    client = client_as(employee)
    assert client.get("/checklist/").status_code == 403
    assert client.get(ROW_URL).status_code == 403


def test_not_applicable_without_reason_is_shown_again_with_the_message(client_as, editor):
    response = client_as(editor).post(ROW_URL, {"action": "answer", "status": "not_applicable"})
    assert response.status_code == 400
    assert "この項目が自社に該当しない理由を記入してください。" in response.content.decode()
    assert not ChecklistAnswer.objects.exists()


def test_evidence_upload_and_download(client_as, editor):
    client = client_as(editor)
    response = client.post(
        ROW_URL,
        {
            "action": "evidence_file",
            "file": _upload("任命書.txt", "責任者を任命する".encode()),
            "title": "責任者任命書",
            "effective_date": "2026-11-01",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    download = client.get(f"/checklist/evidence/{evidence.pk}/download/")
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "application/octet-stream"
    assert b"".join(download.streaming_content) == "責任者を任命する".encode()


def test_oversized_upload_is_refused_by_name_and_nothing_is_stored(client_as, editor, settings):
    settings.MAMORI_MAX_UPLOAD_BYTES = 1024
    response = client_as(editor).post(
        ROW_URL,
        {
            "action": "evidence_file",
            "file": _upload("議事録.pdf", b"x" * 5000),
            "title": "取締役会議事録",
            "effective_date": "2026-11-01",
        },
    )
    page = response.content.decode().replace("\xa0", " ")
    assert response.status_code == 400
    assert "「議事録.pdf」は上限（1.0 KB）を超えています。保存していません。" in page
    assert "このフィールドは必須です。" not in page
    assert 'value="取締役会議事録"' in page  # what was typed is kept
    assert not Evidence.objects.exists()
    assert not ChecklistAnswer.objects.exists()


def test_empty_upload_is_refused_by_name(client_as, editor):
    response = client_as(editor).post(
        ROW_URL,
        {"action": "evidence_file", "file": _upload("空.txt", b""), "effective_date": "2026-11-01"},
    )
    assert response.status_code == 400
    assert "「空.txt」は空のファイルです。保存していません。" in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_delete_asks_first(client_as, editor):
    services.evidence_add_link(
        row_id=ROW,
        added_by=editor,
        url="https://intra.example/rule",
        title="規程",
        effective_date=datetime.date(2026, 11, 1),
    )
    evidence = Evidence.objects.get()
    client = client_as(editor)
    confirm = client.get(f"/checklist/evidence/{evidence.pk}/delete/")
    assert "このエビデンスを削除しますか？" in confirm.content.decode()
    assert Evidence.objects.exists()
    client.post(f"/checklist/evidence/{evidence.pk}/delete/")
    assert not Evidence.objects.exists()


def test_unknown_row_is_a_404(client_as, editor):
    assert client_as(editor).get("/checklist/rows/urn:mamori:row:nope/").status_code == 404


def _queries(client, url: str) -> int:
    """Count the queries of a page in steady state (findings already evaluated)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("url", ["/checklist/", "/checklist/?stage=later", "/", ROW_URL])
def test_query_count_does_not_grow_with_the_data(client_as, editor, company_at_stage, url):
    company_at_stage("seed_early")
    client = client_as(editor)
    services.answer_update(row_id=ROW, status="in_progress", owner=editor)
    few = _queries(client, url)
    for row in get_catalog().rows:
        services.answer_update(row_id=row.id, status="in_progress", owner=editor)
        for index in range(3):
            services.evidence_add_link(
                row_id=row.id,
                added_by=editor,
                url=f"https://intra.example/{index}",
                title=f"資料{index}",
                effective_date=datetime.date(2026, 11, 1),
            )
            services.comment_add(row_id=row.id, author=editor, body=f"コメント{index}")
    assert _queries(client, url) == few
