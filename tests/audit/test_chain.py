"""The audit log records every change with its fields, and detects tampering."""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from django.core.management import call_command
from django.db import connection

from mamori.assessment import services as checklist_services
from mamori.audit.export import CSV_HEADER
from mamori.audit.models import AuditEntry, AuditHead
from mamori.audit.services import audit_verify
from mamori.cli import main as mamori_main
from mamori.core.actor import acting_as

pytestmark = pytest.mark.django_db

ROW = "urn:mamori:row:common:organisation"


@pytest.fixture
def some_history(officer, editor, officer_appointed):
    # The organisation row is done only with the officer's appointment recorded: the log
    # starts with its two entries (the person, the appointment).
    with acting_as(editor):
        checklist_services.answer_update(row_id=ROW, status="in_progress", owner=editor)
        checklist_services.answer_update(row_id=ROW, status="done", owner=editor)
        checklist_services.comment_add(row_id=ROW, author=editor, body="権限の棚卸し完了")
    return AuditEntry.objects.order_by("seq")


def test_changes_are_recorded_with_who_and_which_fields(some_history, editor):
    creation, update = [e for e in some_history if e.object_type == "assessment.checklistanswer"]
    assert creation.action == "create" and creation.actor_label == "editor"
    assert creation.changes["status"] == [None, "in_progress"]
    assert update.action == "update"
    assert update.changes == {"status": ["in_progress", "done"]}
    comment = some_history.get(object_type="assessment.comment")
    assert comment.parent_type == "assessment.checklistanswer"
    assert comment.parent_id == creation.object_id


def test_each_entry_carries_the_previous_entrys_hash(some_history):
    entries = list(some_history)
    assert entries[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1
    assert AuditHead.objects.get(pk=1).hash == entries[-1].hash


def test_an_untouched_log_verifies(some_history):
    result = audit_verify()
    assert result.ok and result.checked == some_history.count()


def test_an_edited_entry_is_named(some_history):
    target = some_history[2]
    AuditEntry.objects.filter(pk=target.pk).update(object_repr="書き換えた記録")
    result = audit_verify()
    assert not result.ok and result.failed_seq == target.seq
    assert result.reason_code == "content"


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link(some_history):
    target = some_history[1]
    target.changes = {"status": ["in_progress", "not_applicable"]}
    target.hash = target.compute_hash()
    AuditEntry.objects.filter(pk=target.pk).update(changes=target.changes, hash=target.hash)
    result = audit_verify()
    assert not result.ok and result.failed_seq == target.seq + 1
    assert result.reason_code == "link"


def test_a_removed_entry_is_detected(some_history):
    AuditEntry.objects.filter(seq=2).delete()
    result = audit_verify()
    assert not result.ok and result.failed_seq == 2 and result.reason_code == "missing"


def test_removing_the_newest_entries_is_detected(some_history):
    last = some_history.last()
    AuditEntry.objects.filter(seq=last.seq).delete()
    result = audit_verify()
    assert not result.ok and result.failed_seq == last.seq and result.reason_code == "truncated"


def test_cli_verify_succeeds_on_an_intact_log(some_history, capsys):
    # Django's command runner exits only on failure; a clean run returns normally (exit 0).
    mamori_main(["audit", "verify"])
    assert "audit log intact: 7 entries verified" in capsys.readouterr().out


def test_cli_verify_exits_non_zero_naming_a_row_edited_in_the_database(some_history, capsys):
    target = some_history[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET actor_label = %s WHERE seq = %s",
            ["someone-else", target.seq],
        )
    with pytest.raises(SystemExit) as exit_info:
        mamori_main(["audit", "verify"])
    assert exit_info.value.code == 1
    assert f"entry #{target.seq}" in capsys.readouterr().err


def test_cli_verify_shows_progress_on_stderr_unless_verbosity_is_0(some_history):
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=err)
    assert "記録を検証中" in err.getvalue() and "7/7" in err.getvalue()
    assert out.getvalue().startswith("audit log intact: 7 entries verified")
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "-v", "0", "verify", stdout=out, stderr=err)
    assert err.getvalue() == "" and "7 entries verified" in out.getvalue()


def test_cli_export_to_standard_output_is_csv_alone(some_history):
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "export", stdout=out, stderr=err)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    total = AuditEntry.objects.count()  # the export is audited too
    assert rows[0] == CSV_HEADER and len(rows) == 1 + total
    assert [row[0] for row in rows[1:]] == [str(seq) for seq in range(1, total + 1)]
    assert f"{total}/{total}" in err.getvalue()
    assert err.getvalue().splitlines()[-1] == f"監査ログ {total} 件を標準出力に書き出しました。"
    err = io.StringIO()
    call_command("audit", "-v", "0", "export", stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""


def test_cli_export_to_a_file_prints_the_summary(some_history, tmp_path):
    target = tmp_path / "audit.csv"
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", "export", "-o", str(target), stdout=out, stderr=err)
    total = AuditEntry.objects.count()
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) == 1 + total
    assert out.getvalue() == f"監査ログ {total} 件を {target} に書き出しました。\n"
    assert "監査ログの出力" in err.getvalue()


def test_a_rolled_back_change_leaves_no_entry(editor, officer_appointed):
    from django.db import transaction

    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        checklist_services.answer_update(row_id=ROW, status="done")
        raise RuntimeError("abort")
    assert AuditEntry.objects.count() == before
    assert audit_verify().ok
