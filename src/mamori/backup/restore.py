"""Restore a backup into an empty installation (or, forced, in place of its content).

The archive is verified (its signature, every checksum) and unpacked to a scratch directory
next to the uploads first; only then, in one transaction, are the rows inserted as they
were — same primary keys, no model code, no signals, so the audit recorder records nothing
and the restored hash chain is the one that was backed up. Every stored file name, in the
manifest and in the rows, must be a plain relative path inside the uploads folder.

The files are swapped in last, just before the commit: each is moved from the scratch
directory (the same file system) over its name in one rename, and an upload already there
is first linked aside, so that it is never missing; if anything fails, the uploads are put
back as they were. The audit checkpoints of the replaced log are set aside and a new one
vouches for the restored log.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, Error, IntegrityError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.accounts.models import User
from mamori.audit.checkpoints import checkpoint_write, checkpoints_set_aside
from mamori.audit.models import AuditEntry
from mamori.backup.archive import ArchiveError, Unpacked, safe_name, unpack
from mamori.backup.storage import stored_digest
from mamori.backup.tables import Table, included_tables, row_loader
from mamori.core.errors import ApplicationError
from mamori.core.progress import Progress

__all__ = ["NotEmptyError", "RestoreResult", "backup_restore", "installation_in_use"]

ROWS_PER_INSERT = 500
BATCH = 2000


class NotEmptyError(ApplicationError):
    """The installation holds data and the restore was not forced."""


@dataclass
class RestoreResult:
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    replaced: bool = False
    created_at: str = ""
    seconds: float = 0.0


def installation_in_use(tables: list[Table] | None = None) -> list[str]:
    """Return the labels of the backed-up tables that hold data here, or nothing for an
    installation nobody has used yet.

    ``migrate`` itself fills a few rows (the default secrecy classes, the audit log's
    head); a restore replaces them. Every use of mamori leaves an account or an audit
    entry, so an installation without either is unused.
    """
    tables = tables or included_tables()
    if not (User.objects.exists() or AuditEntry.objects.exists()):
        return []
    return [table.label for table in tables if table.model._base_manager.exists()]


def _plan(manifest: dict[str, Any], tables: list[Table]) -> list[tuple[Table, dict[str, Any]]]:
    """Match the archive's tables to this installation's; refuse a different schema."""
    ours = {table.label: table for table in tables}
    specs = manifest.get("tables")
    if not isinstance(specs, list):
        raise ArchiveError(_("The backup's manifest lists no tables."))
    plan = []
    for spec in specs:
        label = spec.get("model") if isinstance(spec, dict) else None
        table = ours.get(label)
        if table is None:
            raise ApplicationError(
                _(
                    "The backup holds %(table)s, which this version of mamori does not know. "
                    "Restore it with the version that made it (%(version)s)."
                )
                % {"table": label, "version": manifest.get("mamori_version", "?")}
            )
        if spec.get("columns") != table.columns:
            raise ApplicationError(
                _(
                    "The columns of %(table)s differ between the backup and this installation. "
                    "Restore it with the version that made it (%(version)s), then upgrade."
                )
                % {"table": label, "version": manifest.get("mamori_version", "?")}
            )
        member, rows = spec.get("member"), spec.get("rows")
        if (
            not isinstance(member, str)
            or not member.startswith("data/")
            or member not in manifest["members"]
            or not isinstance(rows, int)
            or rows < 0
        ):
            raise ArchiveError(_("The backup's manifest is invalid."))
        plan.append((table, spec))
    # Insert in this installation's dependency order.
    order = {table.label: position for position, table in enumerate(tables)}
    return sorted(plan, key=lambda item: order[item[0].label])


def inside_uploads(name: str) -> bool:
    """Return whether a stored file ``name`` is a plain relative path that stays inside the
    uploads folder (no ``..``, not absolute, no link leading out)."""
    if not safe_name(name):
        return False
    media = Path(settings.MEDIA_ROOT).resolve()
    return (media / name).resolve().is_relative_to(media)


def _rows(path: Path, table: Table) -> Iterator[list[Any]]:
    load = row_loader(table, connections[DEFAULT_DB_ALIAS])
    file_columns = [table.fields.index(field) for field in table.file_fields()]
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                values = json.loads(line)
                if not isinstance(values, list):
                    raise ValueError("not a row")
                for index in file_columns:
                    name = values[index] if index < len(values) else None
                    if name not in (None, "") and not (
                        isinstance(name, str) and inside_uploads(name)
                    ):
                        raise ValueError(_("unsafe file name %(name)s") % {"name": str(name)[:200]})
                yield load(values)
            except (ValueError, TypeError, ValidationError) as exc:
                raise ArchiveError(
                    _("Row %(row)s of %(table)s in the backup cannot be read: %(error)s")
                    % {"row": number, "table": table.label, "error": exc}
                ) from exc


class _Counted:
    """Rows passing through, counted, with the progress advanced as they go."""

    STEP = 1000

    def __init__(self, rows: Iterator[list[Any]], progress: Progress) -> None:
        self.rows, self.progress, self.count = rows, progress, 0

    def __iter__(self) -> Iterator[list[Any]]:
        for row in self.rows:
            self.count += 1
            if self.count % self.STEP == 0:
                self.progress.advance(self.STEP)
            yield row
        self.progress.advance(self.count % self.STEP)


def _batches(rows: _Counted, size: int) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(table: Table, path: Path, expected: int, progress: Progress) -> int:
    """Insert the table's rows the fastest way the database offers: COPY on PostgreSQL,
    one prepared statement run for every row on SQLite (in-process: no round trips),
    multi-row INSERTs elsewhere."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    name = quote(table.name)
    columns = ", ".join(quote(column) for column in table.columns)
    rows = _Counted(_rows(path, table), progress)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = "(" + ", ".join(["%s"] * len(table.fields)) + ")"
            sql = f"INSERT INTO {name} ({columns}) VALUES "  # noqa: S608
            if connection.vendor == "sqlite":
                for batch in _batches(rows, BATCH):
                    cursor.executemany(sql + marks, batch)
            else:
                size = connection.ops.bulk_batch_size(table.fields, [None] * ROWS_PER_INSERT)
                for batch in _batches(rows, max(1, min(size, ROWS_PER_INSERT))):
                    cursor.execute(
                        sql + ", ".join([marks] * len(batch)),
                        [value for row in batch for value in row],
                    )
    if rows.count != expected:
        raise ArchiveError(
            _("The backup holds %(count)s rows of %(table)s, its manifest says %(expected)s.")
            % {"count": rows.count, "table": table.label, "expected": expected}
        )
    return rows.count


def _empty(tables: list[Table]) -> None:
    """Delete every row of the backed-up tables, without signals (not audited: the log
    itself is replaced by the one in the backup), and every session: a session names a
    user by number, and after a restore that number may be someone else."""
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    names = [table.name for table in reversed(tables)]
    if apps.is_installed("django.contrib.sessions"):
        names.append(apps.get_model("sessions", "Session")._meta.db_table)
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DELETE FROM {quote(name)}")  # noqa: S608


def _file_plan(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """Return the (stored name, member) of every file, checked before anything is written."""
    specs = manifest.get("files") or []
    if not isinstance(specs, list):
        raise ArchiveError(_("The backup's manifest is invalid."))
    plan = []
    for spec in specs:
        name = spec.get("name", "") if isinstance(spec, dict) else ""
        member = spec.get("member", "") if isinstance(spec, dict) else ""
        if (
            not isinstance(name, str)
            or not inside_uploads(name)
            or member != f"files/{name}"
            or member not in manifest["members"]
        ):
            raise ArchiveError(
                _("The backup's manifest names an unsafe file: %(name)s")
                % {"name": str(name)[:200]}
            )
        plan.append((name, member))
    return plan


@dataclass
class _Placed:
    """A file put in place by the restore: where, and the upload it replaced (kept aside)."""

    target: Path
    kept: Path | None = None


def _place_files(
    unpacked: Unpacked, files: list[tuple[str, str]], progress: Progress, placed: list[_Placed]
) -> tuple[int, int]:
    """Move every file of the backup into the uploads folder; ``placed`` collects what was
    done, so that ``_put_back`` can undo it. A file already stored with the same content
    (evidence is named by its hash) is left alone; an upload with other content under the
    name is first linked aside into the scratch directory, then replaced in one rename."""
    progress.step("files", total=len(files))
    media = Path(settings.MEDIA_ROOT)
    aside = unpacked.directory / "replaced"
    count = size = 0
    for name, member in files:
        source = unpacked.path(member)
        digest = unpacked.manifest["members"][member]["sha256"]
        target = media / name
        length = source.stat().st_size
        if default_storage.exists(name):
            present = stored_digest(name)
            if present is not None and present[0] == digest:
                progress.advance()
                count += 1
                size += present[1]
                continue
            kept = aside / name
            kept.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(target, kept)
            except OSError:
                shutil.copy2(target, kept)
            placed.append(_Placed(target, kept))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            placed.append(_Placed(target))
        os.replace(source, target)
        count += 1
        size += length
        progress.advance()
    return count, size


def _put_back(placed: list[_Placed]) -> None:
    """Undo ``_place_files``: the replaced uploads return, the new files go."""
    for item in reversed(placed):
        with contextlib.suppress(OSError):
            if item.kept is not None:
                os.replace(item.kept, item.target)
            else:
                item.target.unlink(missing_ok=True)


def _reset_sequences(tables: list[Table]) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    statements = connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def backup_restore(
    *, path: Path, force: bool = False, progress: Progress | None = None
) -> RestoreResult:
    """Restore the backup at ``path``; return what was restored.

    Raise ``ArchiveError`` for a file that is not a mamori backup or is damaged or altered
    (checked before anything is written), ``NotEmptyError`` when the installation holds
    data and ``force`` is not given, and ``ApplicationError`` for a backup of a different
    schema. On any error nothing is left behind.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    tables = included_tables()
    result = RestoreResult(replaced=force)
    occupied = installation_in_use(tables)
    if occupied and not force:
        raise NotEmptyError(
            _(
                "This installation is not empty (%(tables)s hold data). Restore into a new "
                "installation, or use --force to replace everything in it with the backup."
            )
            % {"tables": ", ".join(occupied[:5]) + (" …" if len(occupied) > 5 else "")}
        )
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".mamori-restore-", dir=media.parent) as scratch:
        progress.step("verify", total=None)
        unpacked = unpack(Path(path), Path(scratch))
        manifest = unpacked.manifest
        plan = _plan(manifest, tables)
        files = _file_plan(manifest)
        result.created_at = str(manifest.get("created_at", ""))
        placed: list[_Placed] = []
        try:
            with transaction.atomic():
                _empty(tables)
                progress.step("rows", total=sum(spec["rows"] for _, spec in plan))
                for table, spec in plan:
                    result.rows += _insert(
                        table, unpacked.path(spec["member"]), spec["rows"], progress
                    )
                result.tables = len(plan)
                _reset_sequences(tables)
                # Last, so that a failure before leaves the uploads untouched.
                result.files, result.file_bytes = _place_files(unpacked, files, progress, placed)
        except IntegrityError as exc:
            _put_back(placed)
            raise ArchiveError(
                _("The backup's rows do not fit together (%(error)s); nothing was restored.")
                % {"error": exc}
            ) from exc
        except Error as exc:  # any database error, InterfaceError included
            _put_back(placed)
            raise ApplicationError(
                _("The database refused the restore (%(error)s); nothing was restored.")
                % {"error": exc}
            ) from exc
        except BaseException:
            _put_back(placed)
            raise
    # The checkpoints vouched for the log just replaced; a new one vouches for this one.
    checkpoints_set_aside(timezone.now().strftime("%Y%m%dT%H%M%S"))
    checkpoint_write()
    result.seconds = time.perf_counter() - started
    return result
