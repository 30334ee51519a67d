"""Problem 6 of issue 13: the audit chain is keyed with a key outside the database, and
signed checkpoints outside the database catch removed newest entries."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from mamori.assessment import services as checklist_services
from mamori.audit.chain import GENESIS_HASH, content_of, plain_hash
from mamori.audit.checkpoints import checkpoint_write, checkpoints_latest
from mamori.audit.models import Action, AuditEntry, AuditHead
from mamori.audit.services import audit_record, audit_verify
from mamori.core.actor import acting_as

pytestmark = pytest.mark.django_db

ROW = "urn:mamori:row:common:organisation"


@pytest.fixture
def checkpoints(settings, tmp_path):
    settings.MAMORI_AUDIT_CHECKPOINT_DIR = tmp_path / "audit"
    return tmp_path / "audit"


@pytest.fixture
def history(editor, officer_appointed):
    with acting_as(editor):
        checklist_services.answer_update(row_id=ROW, status="in_progress", owner=editor)
        checklist_services.answer_update(row_id=ROW, status="done", owner=editor)
        checklist_services.comment_add(row_id=ROW, author=editor, body="権限の棚卸し完了")
    return list(AuditEntry.objects.order_by("seq"))


def _recompute_without_the_key(entries, start: int) -> None:
    """What a database writer can do: rewrite and re-chain with a plain SHA-256."""
    previous = entries[start - 1].hash if start else GENESIS_HASH
    for entry in entries[start:]:
        entry.prev_hash = previous
        entry.hash = plain_hash(content_of(entry))
        AuditEntry.objects.filter(pk=entry.pk).update(
            changes=entry.changes,
            object_repr=entry.object_repr,
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )
        previous = entry.hash
    AuditHead.objects.filter(pk=1).update(seq=entries[-1].seq, hash=previous)


def test_a_rewritten_and_recomputed_chain_is_caught(history):
    target = 1
    history[target].changes = {"status": ["in_progress", "not_applicable"]}
    _recompute_without_the_key(history, target)
    result = audit_verify()
    assert not result.ok and result.failed_seq == history[target].seq
    assert result.reason_code == "content"


def test_a_whole_log_recomputed_without_the_key_is_caught(history):
    history[0].object_repr = "書き換え"
    _recompute_without_the_key(history, 0)
    result = audit_verify()
    assert not result.ok and result.reason_code == "unkeyed"


def test_another_key_does_not_verify(history, settings):
    settings.MAMORI_AUDIT_KEY = "another key"
    assert not audit_verify().ok


def test_removing_the_newest_entries_and_moving_the_head_is_caught(history, checkpoints):
    checkpoint = checkpoint_write()
    assert checkpoint.seq == history[-1].seq
    assert len(list(checkpoints.glob("checkpoints-*.jsonl"))) == 1
    AuditEntry.objects.filter(seq__gte=history[-2].seq).delete()
    AuditHead.objects.filter(pk=1).update(seq=history[-3].seq, hash=history[-3].hash)
    result = audit_verify()
    assert not result.ok and result.reason_code == "truncated"
    assert result.failed_seq == history[-2].seq
    assert f"#{checkpoint.seq}" in str(result)


@pytest.fixture
def journal(settings, checkpoints):
    """Production's settings: a checkpoint at most every minute, and the journal."""
    settings.MAMORI_AUDIT_CHECKPOINT_SECONDS = 60
    settings.MAMORI_AUDIT_JOURNAL = True


def test_removing_entries_younger_than_the_last_checkpoint_is_caught(
    history, journal, django_capture_on_commit_callbacks
):
    checkpoint_write()  # the periodic checkpoint, a moment ago
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("CSV", "Excel", "PDF"):
            with transaction.atomic():
                audit_record(action=Action.EXPORT, object_type="audit.auditentry", object_repr=name)
    newest = list(AuditEntry.objects.order_by("seq"))
    assert audit_verify().ok
    AuditEntry.objects.filter(seq__gte=newest[-2].seq).delete()
    AuditHead.objects.filter(pk=1).update(seq=newest[-3].seq, hash=newest[-3].hash)
    result = audit_verify()
    assert not result.ok and result.reason_code == "truncated"
    assert result.failed_seq == newest[-2].seq


def test_an_entry_rolled_back_is_not_in_the_journal(
    history, journal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit_record(action=Action.EXPORT, object_type="audit.auditentry", object_repr="ok")
        try:
            with transaction.atomic():
                audit_record(action=Action.EXPORT, object_repr="rolled back")
                raise RuntimeError
        except RuntimeError:
            pass
    assert [c.seq for c in checkpoints_latest()] == [history[-1].seq + 1]
    assert audit_verify().ok


def test_entries_after_the_checkpoint_verify(history, checkpoints):
    checkpoint_write()
    audit_record(action=Action.EXPORT, object_type="audit.auditentry", object_repr="CSV")
    result = audit_verify()
    assert result.ok and result.checkpoint.seq == history[-1].seq
    assert "checkpoint" in str(result)


def test_an_edited_checkpoint_file_is_refused(history, checkpoints):
    checkpoint_write()
    path = next(checkpoints.glob("checkpoints-*.jsonl"))
    line = json.loads(path.read_text())
    line["seq"] = 1
    path.write_text(json.dumps(line) + "\n")
    result = audit_verify()
    assert not result.ok and result.reason_code == "checkpoint_file"


def test_no_checkpoint_is_written_for_a_tampered_head(history, checkpoints):
    AuditEntry.objects.filter(seq=history[-1].seq).update(object_repr="改ざん")
    assert checkpoint_write() is None
    assert checkpoints_latest() == []


def test_the_commands(history, checkpoints, capsys):
    call_command("audit", "checkpoint")
    call_command("audit", "verify", verbosity=0)
    assert "intact" in capsys.readouterr().out
    AuditEntry.objects.filter(seq=history[-1].seq).delete()
    AuditHead.objects.filter(pk=1).update(seq=history[-2].seq, hash=history[-2].hash)
    with pytest.raises(CommandError, match="newer entries have been removed"):
        call_command("audit", "verify", verbosity=0)


def test_a_log_written_before_the_key_verifies_once_anchored(db):
    """The migration's anchor: plain entries, then a keyed anchor that links to them."""
    previous = GENESIS_HASH
    for seq in (1, 2):
        entry = AuditEntry(
            seq=seq,
            at=timezone.now(),
            actor_label="system",
            action=Action.UPDATE,
            object_type="company.company",
            object_id="1",
            changes={},
            prev_hash=previous,
        )
        entry.hash = entry.plain_hash()
        entry.save()
        previous = entry.hash
    AuditHead.objects.update_or_create(pk=1, defaults={"seq": 2, "hash": previous})
    assert audit_verify().reason_code == "unkeyed"
    from importlib import import_module

    from django.apps import apps

    migration = import_module("mamori.audit.migrations.0003_keyed_chain")
    migration.anchor(apps, None)
    anchor = AuditEntry.objects.get(seq=3)
    assert anchor.action == "anchor" and anchor.prev_hash == previous
    assert anchor.changes["previous_chain"] == "intact"
    assert audit_verify().ok
    audit_record(action=Action.EXPORT, object_type="audit.auditentry", object_repr="CSV")
    assert audit_verify().ok
    # The plain prefix cannot change any more without breaking the anchor.
    first = AuditEntry.objects.get(seq=1)
    first.object_repr = "書き換え"
    AuditEntry.objects.filter(seq=1).update(object_repr="書き換え", hash=first.plain_hash())
    assert not audit_verify().ok
