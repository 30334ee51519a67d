"""Archives that must not be trusted: not a backup, members outside their folder, links,
members the manifest does not list, a different schema — each refused with a clear
message before anything is written. And a file the database names but the disk lacks."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from mamori.accounts.models import User
from mamori.assessment import services as checklist_services
from mamori.backup.archive import MANIFEST, manifest_sign, safe_name
from mamori.backup.services import ArchiveError, backup_create, backup_restore
from mamori.core.actor import acting_as
from mamori.core.errors import ApplicationError
from tests.backup.conftest import database_rows, file_hashes, flush_tables

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


def _read(archive: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(archive, "r:gz") as tar:
        return [(info, tar.extractfile(info).read() if info.isfile() else b"") for info in tar]


def _write(target: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(target, "w:gz") as tar:
        for info, data in members:
            info.size = len(data) if info.isfile() else 0
            tar.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return target


def _with_manifest(members, change) -> list[tuple[tarfile.TarInfo, bytes]]:
    """Change the manifest and sign it again, as only someone holding the audit key can:
    the checks behind the signature hold even against them (test_signing.py has the rest)."""
    manifest: dict[str, Any] = json.loads(members[0][1])
    change(manifest)
    manifest = manifest_sign(manifest)
    return [(members[0][0], json.dumps(manifest).encode()), *members[1:]]


def _add_member(members, name: str, data: bytes, *, listed: bool):
    def change(manifest):
        if listed:
            manifest["members"][name] = {
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }

    info = tarfile.TarInfo(name)
    return [*_with_manifest(members, change), (info, data)]


@pytest.fixture
def archive(evidence, tmp_path) -> Path:
    return backup_create(output=tmp_path / "backup.tar.gz").path


def _assert_nothing_written(media: Path) -> None:
    assert not User.objects.exists()
    assert file_hashes(media) == {}


@pytest.fixture
def emptied(archive, media):
    """The installation flushed after the backup: tables and uploads empty."""
    flush_tables()
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    return archive


@pytest.mark.parametrize(
    "name",
    ["../outside.txt", "/etc/passwd", "files/../../x", "files/a\\b", "files//x", "files/./x", ""],
)
def test_unsafe_member_names_are_recognised(name):
    assert not safe_name(name)


def test_safe_names_pass():
    assert safe_name("files/evidence/ab/ab12cd")
    assert safe_name("data/0001-accounts.user.jsonl")


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, media):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"PK\x03\x04 not a tar at all")
    with pytest.raises(ArchiveError, match="not a mamori backup"):
        backup_restore(path=junk)
    with pytest.raises(ArchiveError, match="no file"):
        backup_restore(path=tmp_path / "missing.tar.gz")


def test_a_tar_without_manifest_is_refused(tmp_path, media):
    plain = _write(tmp_path / "plain.tar.gz", [(tarfile.TarInfo("notes.txt"), b"hello")])
    with pytest.raises(ArchiveError, match="no manifest"):
        backup_restore(path=plain)


def test_a_member_outside_its_folder_is_refused(emptied, tmp_path, media):
    members = _add_member(_read(emptied), "../escaped.txt", b"x", listed=True)
    bad = _write(tmp_path / "traversal.tar.gz", members)
    with pytest.raises(ArchiveError, match="damaged or has been altered"):
        backup_restore(path=bad)
    assert not (tmp_path / "escaped.txt").exists()
    _assert_nothing_written(media)


def test_a_member_the_manifest_does_not_list_is_refused(emptied, tmp_path, media):
    members = _add_member(_read(emptied), "files/extra.txt", b"extra", listed=False)
    with pytest.raises(ArchiveError, match=r"unexpected member files/extra\.txt"):
        backup_restore(path=_write(tmp_path / "extra.tar.gz", members))
    _assert_nothing_written(media)


def test_a_link_is_refused(emptied, tmp_path, media):
    link = tarfile.TarInfo("files/link")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    members = _with_manifest(
        _read(emptied),
        lambda m: m["members"].update({"files/link": {"size": 0, "sha256": "0" * 64}}),
    )
    with pytest.raises(ArchiveError, match="not a regular file"):
        backup_restore(path=_write(tmp_path / "link.tar.gz", [*members, (link, b"")]))
    _assert_nothing_written(media)


def test_a_backup_of_a_different_schema_is_refused(emptied, tmp_path, media):
    def drop_column(manifest):
        for spec in manifest["tables"]:
            if spec["model"] == "people.person":
                spec["columns"] = spec["columns"][:-1]

    members = _with_manifest(_read(emptied), drop_column)
    with pytest.raises(ApplicationError, match=r"columns of people\.person differ"):
        backup_restore(path=_write(tmp_path / "schema.tar.gz", members))
    _assert_nothing_written(media)


def test_an_unknown_format_version_is_refused(emptied, tmp_path, media):
    members = _with_manifest(_read(emptied), lambda m: m.update(format_version=99))
    with pytest.raises(ArchiveError, match="format version 99"):
        backup_restore(path=_write(tmp_path / "future.tar.gz", members))


def test_a_file_missing_from_the_uploads_is_reported_and_the_rest_restores(
    evidence, media, tmp_path
):
    default_storage.delete(evidence.file.name)
    result = backup_create(output=tmp_path / "backup.tar.gz")
    assert result.missing_files == [
        {"name": evidence.file.name, "model": "assessment.evidence", "pk": evidence.pk}
    ]
    rows = database_rows()
    flush_tables()
    backup_restore(path=result.path)
    assert database_rows() == rows


def test_the_commands_print_a_summary_and_leave_no_partial_file(evidence, media, tmp_path):
    out = io.StringIO()
    target = tmp_path / "nightly.tar.gz"
    call_command("backup", "-o", str(target), "-v", "0", stdout=out)
    text = out.getvalue()
    assert str(target) in text and "1 files" in text and "rows" in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("nightly")] == [target.name]
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", "-o", str(tmp_path / "no" / "such" / "x.tar.gz"), "-v", "0")
    flush_tables()
    out = io.StringIO()
    call_command("restore", str(target), "-v", "0", stdout=out)
    assert "1 files" in out.getvalue() and "tables" in out.getvalue()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(target), "-v", "0")


def test_the_manifest_records_the_backup_in_the_audit_log(evidence, media, tmp_path):
    archive = backup_create(output=tmp_path / "b.tar.gz").path
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())
    entries = {spec["model"]: spec["rows"] for spec in manifest["tables"]}
    from mamori.audit.models import AuditEntry

    last = AuditEntry.objects.order_by("-seq").first()
    assert last.action == "export" and last.object_repr == "b.tar.gz"
    # The record of the backup is inside the backup.
    assert entries["audit.auditentry"] == AuditEntry.objects.count()


def test_the_messages_speak_japanese_by_default(tmp_path, media):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a backup")
    with (
        translation.override("ja"),
        pytest.raises(ArchiveError, match="mamoriのバックアップではありません"),
    ):
        backup_restore(path=junk)


def test_the_archive_is_readable_by_its_owner_only(evidence, media, tmp_path):
    archive = backup_create(output=tmp_path / "private.tar.gz").path
    assert archive.stat().st_mode & 0o777 == 0o600


def test_a_forced_restore_signs_everyone_out(evidence, media, tmp_path, client_as, officer):
    archive = backup_create(output=tmp_path / "b.tar.gz").path
    client_as(officer).get("/")
    from django.contrib.sessions.models import Session

    assert Session.objects.exists()
    backup_restore(path=archive, force=True)
    assert not Session.objects.exists()


def _rewrite_member(members, prefix: str, change) -> list[tuple[tarfile.TarInfo, bytes]]:
    """Change a member's content and its manifest entry alike: a consistent forgery."""
    target = next(info.name for info, _ in members[1:] if info.name.startswith(prefix))
    data = change(dict((info.name, data) for info, data in members)[target])

    def fix(manifest):
        manifest["members"][target] = {
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }

    rebuilt = _with_manifest(members, fix)
    return [(info, data if info.name == target else content) for info, content in rebuilt]


def test_a_forged_row_of_the_wrong_type_is_refused_and_nothing_is_left(emptied, tmp_path, media):
    def break_first_id(data: bytes) -> bytes:
        row = json.loads(data.splitlines()[0])
        row[0] = "not a number"
        return json.dumps(row).encode() + b"\n" + b"\n".join(data.splitlines()[1:])

    members = _rewrite_member(_read(emptied), "data/0001-accounts.user", break_first_id)
    with pytest.raises(ArchiveError, match=r"Row 1 of accounts\.user"):
        backup_restore(path=_write(tmp_path / "forged.tar.gz", members))
    _assert_nothing_written(media)


def test_rows_missing_from_a_member_are_refused(emptied, tmp_path, media):
    members = _rewrite_member(
        _read(emptied), "data/", lambda data: b""
    )  # the first table loses its rows
    with pytest.raises(ArchiveError, match="its manifest says"):
        backup_restore(path=_write(tmp_path / "short.tar.gz", members))
    _assert_nothing_written(media)
