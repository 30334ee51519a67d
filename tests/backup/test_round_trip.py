"""Backup → restore of the demo company: the same rows in every table, the same files,
a valid audit chain — in this database after flushing it, and through the command line
into a fresh data directory.

The demo and its archive are made once for the module and rolled back afterwards.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from mamori.audit.models import AuditEntry
from mamori.audit.services import audit_verify
from mamori.backup.archive import MANIFEST
from mamori.backup.selectors import table_fingerprints
from mamori.backup.services import ArchiveError, NotEmptyError, backup_restore
from mamori.core.actor import Actor, acting_as
from mamori.demo.builder import build_demo
from mamori.people import services as people_services
from tests.backup.conftest import (
    database_rows,
    file_hashes,
    flush_tables,
    storage_settings,
)

ROOT = Path(__file__).resolve().parents[2]
# Every test uses the database (the module's demo), so that it is set up for any selection.
pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Demo:
    archive: Path
    rows: dict[str, list[list[Any]]]
    files: dict[str, str]
    fingerprints: dict[str, tuple[int, str]]
    audit_entries: int
    stdout: str


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("backup")
    media = folder / "uploads"
    media.mkdir()
    with storage_settings(media), django_db_blocker.unblock(), transaction.atomic():
        with acting_as(Actor(user_id=None, label="test:demo")):
            build_demo()
        archive = folder / "demo.tar.gz"
        out = io.StringIO()
        call_command("backup", "-o", str(archive), "-v", "0", stdout=out)
        yield Demo(
            archive=archive,
            rows=database_rows(),
            files=file_hashes(media),
            fingerprints=table_fingerprints(),
            audit_entries=AuditEntry.objects.count(),
            stdout=out.getvalue(),
        )
        transaction.set_rollback(True)


@pytest.fixture
def fresh(db, tmp_path):
    """An installation nobody has used: empty tables and an empty uploads folder."""
    flush_tables()
    root = tmp_path / "fresh-uploads"
    root.mkdir()
    with storage_settings(root):
        yield root


def _manifest(archive: Path) -> tuple[dict[str, Any], list[str]]:
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        return json.loads(tar.extractfile(MANIFEST).read()), names


def test_the_archive_holds_a_manifest_with_counts_and_a_checksum_per_member(demo):
    manifest, names = _manifest(demo.archive)
    assert names[0] == MANIFEST
    assert manifest["format"] == "mamori-backup" and manifest["format_version"] == 2
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["mamori_version"]
    counts = {spec["model"]: spec["rows"] for spec in manifest["tables"]}
    assert counts == {label: len(rows) for label, rows in demo.rows.items()}
    assert counts["accounts.user"] == 5 and counts["audit.auditentry"] > 100
    # Every member but the manifest is listed with its size and hash, and nothing else.
    assert set(manifest["members"]) == set(names[1:])
    with tarfile.open(demo.archive, "r:gz") as tar:
        for name, spec in manifest["members"].items():
            data = tar.extractfile(name).read()
            assert (len(data), hashlib.sha256(data).hexdigest()) == (spec["size"], spec["sha256"])
    assert {spec["name"] for spec in manifest["files"]} == set(demo.files)
    assert manifest["missing_files"] == []
    # Referenced tables come before the tables that refer to them.
    order = [spec["model"] for spec in manifest["tables"]]
    assert order.index("people.person") < order.index("assets.accessgrant")
    assert order.index("accounts.user") < order.index("assessment.checklistanswer")
    assert "tables" in demo.stdout and "SHA-256" in demo.stdout


def test_restore_into_an_empty_installation_reproduces_rows_files_and_the_audit_chain(demo, fresh):
    assert database_rows() != demo.rows  # really empty now
    result = backup_restore(path=demo.archive)
    assert database_rows() == demo.rows
    assert file_hashes(fresh) == demo.files
    assert audit_verify().ok
    # The restore itself wrote nothing to the log: the chain is the one backed up.
    assert AuditEntry.objects.count() == demo.audit_entries
    assert result.rows == sum(len(rows) for rows in demo.rows.values())
    assert result.files == len(demo.files)
    # New rows get fresh keys (PostgreSQL's sequences were reset past the restored ones).
    with acting_as(Actor(user_id=None, label="test")):
        department = people_services.department_get_or_create(name="復元後に追加")
    assert department.pk > max(row[0] for row in demo.rows["people.department"])
    assert audit_verify().ok


def test_restore_refuses_an_installation_in_use_and_writes_nothing(demo, db):
    with acting_as(Actor(user_id=None, label="test")):
        people_services.department_get_or_create(name="新設部門")
    before = database_rows()
    with pytest.raises(NotEmptyError, match="--force"):
        backup_restore(path=demo.archive)
    assert database_rows() == before


def test_a_forced_restore_replaces_the_content(demo, db):
    with acting_as(Actor(user_id=None, label="test")):
        people_services.department_get_or_create(name="新設部門")
    out = io.StringIO()
    call_command("restore", str(demo.archive), "--force", "-v", "0", stdout=out)
    assert database_rows() == demo.rows
    assert audit_verify().ok
    assert "replaced" in out.getvalue()


def test_the_command_refuses_without_force_with_a_clear_message(demo, db):
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(demo.archive), "-v", "0", stdout=io.StringIO())


def _tampered(archive: Path, target: Path, member_prefix: str) -> Path:
    """Copy ``archive`` with one byte of the first member starting ``member_prefix`` changed."""
    changed = False
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for info in source:
            data = source.extractfile(info).read()
            if not changed and info.name.startswith(member_prefix) and data:
                data = bytes([data[0] ^ 0x01]) + data[1:]
                changed = True
            out.addfile(info, io.BytesIO(data))
    assert changed
    return target


@pytest.mark.parametrize("member", ["data/", "files/"])
def test_a_tampered_archive_is_refused_before_anything_is_written(demo, fresh, tmp_path, member):
    bad = _tampered(demo.archive, tmp_path / "bad.tar.gz", member)
    with pytest.raises(ArchiveError, match="checksum"):
        backup_restore(path=bad)
    assert all(rows == [] for label, rows in database_rows().items())
    assert file_hashes(fresh) == {}


def test_a_truncated_archive_is_refused(demo, fresh, tmp_path):
    data = demo.archive.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ArchiveError, match="damaged"):
        backup_restore(path=cut)
    assert all(rows == [] for rows in database_rows().values())


def _mamori(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mamori", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# ``mamori audit verify`` and the tables' fingerprints in one process (each start costs).
CHECK = (
    "import json; from django.core.management import call_command; "
    "from mamori.backup.selectors import table_fingerprints; "
    "call_command('audit', 'verify'); print(json.dumps(table_fingerprints()))"
)


def test_cli_restore_into_a_fresh_data_directory(demo, tmp_path):
    """migrate, restore and verify in a new data directory (always SQLite: a backup made
    on PostgreSQL restores there too)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAMORI_", "DJANGO_SETTINGS"))
    }
    env["MAMORI_DATA_DIR"] = str(tmp_path / "data")
    # Another server of the same installation: the same secret key, so the same audit key
    # (without it the signed backup is refused: test_signing.py).
    env["MAMORI_SECRET_KEY"] = settings.SECRET_KEY
    assert _mamori(env, "migrate", "-v", "0").returncode == 0
    restored = _mamori(env, "restore", str(demo.archive), "-v", "0")
    assert restored.returncode == 0, restored.stderr
    assert "restored the backup" in restored.stdout
    checked = _mamori(env, "shell", "-v", "0", "-c", CHECK)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    verified, fingerprints = checked.stdout.strip().splitlines()[-2:]
    assert verified.startswith(f"audit log intact: {demo.audit_entries} entries verified")
    assert {k: tuple(v) for k, v in json.loads(fingerprints).items()} == demo.fingerprints
    assert file_hashes(tmp_path / "data" / "uploads") == demo.files
