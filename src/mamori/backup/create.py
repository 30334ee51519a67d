"""Write a backup: every table in one read snapshot, then the files it refers to."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.audit.models import Action
from mamori.audit.services import audit_record
from mamori.backup.archive import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    manifest_sign,
    safe_name,
)
from mamori.backup.storage import stored_digest
from mamori.backup.tables import Table, encode_value, included_tables, skipped_tables
from mamori.core.errors import ApplicationError
from mamori.core.progress import Progress

__all__ = ["BackupResult", "backup_create"]

ROWS_PER_FETCH = 2000
# gzip level: 6 packs JSON lines nearly as tight as 9 in a third of the time.
COMPRESSION = 6


@dataclass
class BackupResult:
    path: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    archive_bytes: int = 0
    archive_sha256: str = ""
    missing_files: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


@contextmanager
def read_snapshot(alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block in one read-only transaction that sees a single moment of the
    database, while the application goes on writing.

    PostgreSQL: REPEATABLE READ, READ ONLY. SQLite: a deferred transaction, which in WAL
    mode reads one snapshot without taking the write lock (Django's ``atomic`` would start
    an IMMEDIATE one here and hold up every writer for the whole backup). Inside a caller's
    transaction (the test suite), that transaction is the snapshot.
    """
    connection = connections[alias]
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # nothing was written
        return
    with transaction.atomic(using=alias):
        yield


class _HashingWriter:
    """A file that hashes and counts what is written to it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.digest.update(data)
        self.size += len(data)


def _dump_table(
    table: Table, target: Path, progress: Progress
) -> tuple[int, str, int, list[tuple[Any, str]]]:
    """Write a table as JSON lines; return rows, hash, size and its files as (pk, name)."""
    refs: list[tuple[Any, str]] = []
    file_columns = [table.attnames.index(f.attname) for f in table.file_fields()]
    rows = table.model._base_manager.order_by("pk").values_list(*table.attnames)
    count = 0
    with target.open("wb") as handle:
        writer = _HashingWriter(handle)
        for row in rows.iterator(chunk_size=ROWS_PER_FETCH):
            line = json.dumps([encode_value(v) for v in row], ensure_ascii=False)
            writer.write(line.encode("utf-8") + b"\n")
            for index in file_columns:
                if row[index]:
                    refs.append((row[0], row[index]))
            count += 1
            progress.advance()
    return count, writer.digest.hexdigest(), writer.size, refs


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.order_by("app", "name").values_list(
        "app", "name"
    ):
        latest[app] = name
    return latest


def _mamori_version() -> str:
    try:
        return version("mamori")
    except PackageNotFoundError:
        return "unknown"


class _VerifyingReader(io.RawIOBase):
    """Read a stored file into the archive, hashing what passes to check it is the file
    whose hash the manifest already holds."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest = handle, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), mtime, 0o600
    tar.addfile(info, io.BytesIO(data))


def _add_path(tar: tarfile.TarFile, name: str, path: Path, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = path.stat().st_size, mtime, 0o600
    with path.open("rb") as handle:
        tar.addfile(info, handle)


def _add_stored_file(tar: tarfile.TarFile, member: str, name: str, spec: dict, mtime: float):
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = spec["size"], mtime, 0o600
    try:
        with default_storage.open(name, "rb") as handle:
            reader = _VerifyingReader(handle)
            tar.addfile(info, reader)
    except (OSError, tarfile.TarError) as exc:
        raise ApplicationError(
            _("The uploaded file %(name)s changed or disappeared during the backup: %(error)s")
            % {"name": name, "error": exc}
        ) from exc
    if reader.digest.hexdigest() != spec["sha256"]:
        raise ApplicationError(
            _("The uploaded file %(name)s changed during the backup; run it again.")
            % {"name": name}
        )


def backup_create(*, output: Path, progress: Progress | None = None) -> BackupResult:
    """Write the whole installation (database content and uploaded files) to ``output``.

    The tables are read in one snapshot; the files are those the snapshot refers to
    (files written later are not included, files missing are listed in the manifest and
    the result). The archive appears under its name only once it is complete. Raise
    ``ApplicationError`` when the output cannot be written.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    output = Path(output)
    result = BackupResult(path=output)
    tables = included_tables()
    now = timezone.now()
    members: dict[str, dict[str, Any]] = {}
    table_specs: list[dict[str, Any]] = []
    references: dict[str, tuple[str, Any]] = {}
    if not output.parent.is_dir():
        raise ApplicationError(_("The folder %(path)s does not exist.") % {"path": output.parent})
    if not os.access(output.parent, os.W_OK | os.X_OK):
        raise ApplicationError(
            _("The folder %(path)s cannot be written to.") % {"path": output.parent}
        )
    # Recorded before the snapshot, so that the backup holds the record of its making.
    audit_record(action=Action.EXPORT, object_type="backup.archive", object_repr=output.name)
    with tempfile.TemporaryDirectory(prefix=".mamori-backup-", dir=output.parent) as scratch:
        scratch_dir = Path(scratch)
        with read_snapshot():
            skipped = {
                model._meta.db_table: model._base_manager.count() for model in skipped_tables()
            }
            total = sum(table.model._base_manager.count() for table in tables)
            progress.step("tables", total=total)
            for position, table in enumerate(tables, start=1):
                member = f"data/{position:04d}-{table.label}.jsonl"
                rows, digest, size, refs = _dump_table(
                    table, scratch_dir / f"{position:04d}.jsonl", progress
                )
                members[member] = {"size": size, "sha256": digest}
                table_specs.append(
                    {
                        "model": table.label,
                        "table": table.name,
                        "columns": table.columns,
                        "rows": rows,
                        "member": member,
                    }
                )
                for pk, name in refs:
                    references.setdefault(name, (table.label, pk))
                result.rows += rows
            migrations = _migrations()
        result.tables = len(tables)
        file_specs: list[dict[str, Any]] = []
        progress.step("files (hash)", total=len(references))
        for name in sorted(references):
            progress.advance()
            model, pk = references[name]
            found = stored_digest(name) if safe_name(name) else None
            if found is None:
                result.missing_files.append({"name": name, "model": model, "pk": pk})
                continue
            digest, size = found
            member = f"files/{name}"
            members[member] = {"size": size, "sha256": digest}
            file_specs.append({"name": name, "member": member})
            result.files += 1
            result.file_bytes += size
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "mamori_version": _mamori_version(),
            "created_at": now.isoformat(),
            "database_vendor": connections[DEFAULT_DB_ALIAS].vendor,
            "tables": table_specs,
            "files": file_specs,
            "missing_files": result.missing_files,
            "skipped_tables": skipped,
            "migrations": migrations,
            "members": members,
        }
        manifest = manifest_sign(manifest)
        partial = output.with_name(output.name + ".partial")
        mtime = now.timestamp()
        try:
            # Readable by its owner only: the archive holds everything, password hashes too.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with (
                open(descriptor, "wb") as raw,
                tarfile.open(
                    fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT, compresslevel=COMPRESSION
                ) as tar,
            ):
                manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                _add_bytes(tar, MANIFEST, manifest_bytes, mtime)
                progress.step("archive", total=len(table_specs) + len(file_specs))
                for position, spec in enumerate(table_specs, start=1):
                    _add_path(tar, spec["member"], scratch_dir / f"{position:04d}.jsonl", mtime)
                    progress.advance()
                for spec in file_specs:
                    _add_stored_file(
                        tar, spec["member"], spec["name"], members[spec["member"]], mtime
                    )
                    progress.advance()
            os.replace(partial, output)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise ApplicationError(
                _("The backup cannot be written to %(path)s: %(error)s")
                % {"path": output, "error": exc.strerror or exc}
            ) from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    result.archive_bytes = output.stat().st_size
    digest = hashlib.sha256()
    with output.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    result.archive_sha256 = digest.hexdigest()
    result.seconds = time.perf_counter() - started
    return result
