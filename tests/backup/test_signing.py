"""Problem 8 of issue 13: backup manifests are signed with the audit key; an altered or
unsigned archive is refused, every stored file name must stay inside the uploads, and a
forced restore never loses an upload it was about to replace."""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.assessment import services as checklist_services
from mamori.assessment.models import Evidence
from mamori.audit.services import audit_verify
from mamori.backup import restore as restore_module
from mamori.backup.archive import manifest_sign
from mamori.backup.services import ArchiveError, backup_create, backup_restore
from mamori.core.actor import acting_as
from tests.backup.conftest import flush_tables
from tests.backup.test_archive import _read, _write

pytestmark = pytest.mark.django_db

ROW = "urn:mamori:row:common:organisation"


@pytest.fixture
def evidence(officer, media):
    with acting_as(officer):
        return checklist_services.evidence_add_file(
            row_id=ROW,
            added_by=officer,
            upload=SimpleUploadedFile("任命書.txt", "責任者を任命する。".encode()),
            effective_date=datetime.date(2026, 4, 1),
        )


@pytest.fixture
def archive(evidence, tmp_path) -> Path:
    return backup_create(output=tmp_path / "backup.tar.gz").path


def _edit_evidence_path(members, *, sign: bool):
    """Set the evidence row's file to ../../etc/passwd and recompute the member's hash in
    the manifest, as someone without the key (``sign=False``) or with it would."""
    target = next(info.name for info, _ in members if "assessment.evidence" in info.name)
    data = dict((info.name, data) for info, data in members)[target]
    rows = [json.loads(line) for line in data.splitlines()]
    text = json.dumps(rows[0], ensure_ascii=False)
    assert "evidence/" in text
    name = next(v for v in rows[0] if isinstance(v, str) and v.startswith("evidence/"))
    rows[0] = ["../../etc/passwd" if v == name else v for v in rows[0]]
    forged = b"".join(json.dumps(row).encode() + b"\n" for row in rows)
    manifest = json.loads(members[0][1])
    manifest["members"][target] = {
        "size": len(forged),
        "sha256": hashlib.sha256(forged).hexdigest(),
    }
    if sign:
        manifest = manifest_sign(manifest)
    first = (members[0][0], json.dumps(manifest).encode())
    return [first, *((i, forged if i.name == target else d) for i, d in members[1:])]


def test_the_manifest_is_signed(archive):
    manifest = json.loads(_read(archive)[0][1])
    assert manifest["format_version"] == 2 and len(manifest["signature"]) == 64


def test_recomputed_hashes_after_editing_a_row_are_refused(archive, tmp_path, media):
    flush_tables()
    forged = _write(tmp_path / "forged.tar.gz", _edit_evidence_path(_read(archive), sign=False))
    with pytest.raises(ArchiveError, match="signature does not match"):
        backup_restore(path=forged)
    assert not Evidence.objects.exists()


def test_an_unsigned_archive_is_refused(archive, tmp_path, media):
    members = _read(archive)
    manifest = json.loads(members[0][1])
    del manifest["signature"]
    unsigned = _write(
        tmp_path / "u.tar.gz", [(members[0][0], json.dumps(manifest).encode()), *members[1:]]
    )
    flush_tables()
    with pytest.raises(ArchiveError, match="not signed"):
        backup_restore(path=unsigned)


def test_another_key_is_refused(archive, settings, media):
    flush_tables()
    settings.MAMORI_AUDIT_KEY = "another installation"
    with pytest.raises(ArchiveError, match="another key"):
        backup_restore(path=archive)


def test_a_signed_row_naming_a_file_outside_the_uploads_is_refused(archive, tmp_path, media):
    """Even with the key, a stored file name must stay inside the uploads folder."""
    flush_tables()
    forged = _write(tmp_path / "signed.tar.gz", _edit_evidence_path(_read(archive), sign=True))
    with pytest.raises(ArchiveError, match="unsafe file name"):
        backup_restore(path=forged)
    assert not Evidence.objects.exists()


def test_a_forced_restore_keeps_an_upload_whose_replacement_fails(
    archive, evidence, media, monkeypatch
):
    name = Evidence.objects.get().file.name
    (media / name).write_bytes(b"the upload in use now")
    real_path = restore_module.Unpacked.path

    def missing_files(self, member):
        path = real_path(self, member)
        return path.with_name("gone") if member.startswith("files/") else path

    monkeypatch.setattr(restore_module.Unpacked, "path", missing_files)
    with pytest.raises(OSError):
        backup_restore(path=archive, force=True)
    assert (media / name).read_bytes() == b"the upload in use now"
    assert Evidence.objects.get().pk == evidence.pk


def test_a_forced_restore_puts_back_what_it_replaced_when_it_fails_later(
    archive, media, monkeypatch
):
    name = Evidence.objects.get().file.name
    (media / name).write_bytes(b"the upload in use now")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    # Placing the files is the last step; a failure after it (the commit) undoes it.
    real_place = restore_module._place_files

    def place_then_fail(*args, **kwargs):
        real_place(*args, **kwargs)
        fail()

    monkeypatch.setattr(restore_module, "_place_files", place_then_fail)
    with pytest.raises(OSError):
        backup_restore(path=archive, force=True)
    assert (media / name).read_bytes() == b"the upload in use now"


def test_a_restore_sets_the_old_checkpoints_aside_and_verifies(archive, media, settings, tmp_path):
    from mamori.audit.checkpoints import checkpoint_write

    settings.MAMORI_AUDIT_CHECKPOINT_DIR = tmp_path / "audit"
    checkpoint_write()
    backup_restore(path=archive, force=True)
    assert list((tmp_path / "audit").glob("set-aside-*/checkpoints-*.jsonl"))
    assert audit_verify().ok
