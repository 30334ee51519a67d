"""Signed checkpoints of the audit log's head, written outside the database.

A checkpoint is one line of JSON — the head's number and hash, when, and a keyed hash of
the three (``mamori.core.signing``) — appended to ``checkpoints-YYYY-MM-DD.jsonl`` in
``MAMORI_AUDIT_CHECKPOINT_DIR`` (a new file each day). Someone who deletes the newest
entries and moves the head in the database cannot move the checkpoints: ``audit_verify``
then finds the log shorter than a checkpoint says it was (truncated), or a checkpointed
entry with another hash (rewritten). Copy the directory elsewhere (the officer's digest
carries the head's hash too) to keep a record the server's own administrator cannot edit.

Every committed entry is appended as it is written (``checkpoint_journal``, the journal:
``MAMORI_AUDIT_JOURNAL``, on by default), so the file reaches the newest entry and removing
even the entries of the last second is caught. Checkpoints of the head, checked against
its keyed entry first, are also written after changes at most every
``MAMORI_AUDIT_CHECKPOINT_SECONDS`` (by any app process), by ``mamori audit checkpoint``
and by each ``mamori notify`` run.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from mamori.audit.chain import CHECKPOINT_PURPOSE, GENESIS_HASH, canonical
from mamori.audit.models import AuditEntry, AuditHead
from mamori.core.signing import mac, mac_matches

__all__ = [
    "Checkpoint",
    "CheckpointError",
    "checkpoint_journal",
    "checkpoint_maybe",
    "checkpoint_write",
    "checkpoints_latest",
    "checkpoints_set_aside",
]

logger = logging.getLogger("mamori.audit")
PREFIX = "checkpoints-"
SUFFIX = ".jsonl"


class CheckpointError(ValueError):
    """A checkpoint file holds a line that is not a checkpoint signed with this key."""

    def __init__(self, path: Path, line: int):
        super().__init__(f"{path.name}, line {line}: not a checkpoint signed with this key")
        self.path = path
        self.line = line


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # ISO 8601, UTC

    def signed_content(self) -> bytes:
        return canonical({"seq": self.seq, "hash": self.hash, "at": self.at})

    def as_line(self) -> str:
        body = {"seq": self.seq, "hash": self.hash, "at": self.at}
        body["mac"] = mac(CHECKPOINT_PURPOSE, self.signed_content())
        return json.dumps(body, sort_keys=True) + "\n"


def _directory() -> Path:
    return Path(settings.MAMORI_AUDIT_CHECKPOINT_DIR)


def _files() -> list[Path]:
    directory = _directory()
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def _read(path: Path) -> list[Checkpoint]:
    found = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                body = json.loads(line)
                checkpoint = Checkpoint(seq=int(body["seq"]), hash=str(body["hash"]), at=body["at"])
                signature = str(body["mac"])
            except (ValueError, KeyError, TypeError):
                raise CheckpointError(path, number) from None
            if not mac_matches(CHECKPOINT_PURPOSE, checkpoint.signed_content(), signature):
                raise CheckpointError(path, number)
            found.append(checkpoint)
    return found


def checkpoints_latest() -> list[Checkpoint]:
    """Return the checkpoints to verify against: every one of the newest file and the last
    of each older file, newest last.

    Raise ``CheckpointError`` for a line that is not signed with this installation's key
    (an edited or forged checkpoint).
    """
    files = _files()
    found: list[Checkpoint] = []
    for path in files[:-1]:
        checkpoints = _read(path)
        if checkpoints:
            found.append(checkpoints[-1])
    if files:
        found.extend(_read(files[-1]))
    return sorted(found, key=lambda c: (c.seq, c.at))


def checkpoint_write(*, now: datetime.datetime | None = None) -> Checkpoint | None:
    """Append a checkpoint of the current head to today's file and return it.

    Nothing is written (``None``) for an empty log, or when the head does not match its
    entry's keyed hash — a checkpoint must never vouch for a log already tampered with
    (the failure is logged; ``mamori audit verify`` says where).
    """
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or head.seq == 0 or head.hash == GENESIS_HASH:
        return None
    entry = AuditEntry.objects.filter(seq=head.seq).first()
    if entry is None or entry.hash != head.hash or entry.compute_hash() != entry.hash:
        logger.error("audit head #%s does not match its keyed entry: no checkpoint", head.seq)
        return None
    return _append(head.seq, head.hash, now=now, sync=True)


def _append(
    seq: int, hash: str, *, now: datetime.datetime | None = None, sync: bool = False
) -> Checkpoint:
    now = (now or timezone.now()).astimezone(datetime.UTC)
    checkpoint = Checkpoint(seq=seq, hash=hash, at=now.isoformat(timespec="seconds"))
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{PREFIX}{now.date().isoformat()}{SUFFIX}"
    # One short append: whole lines even when several processes write at once.
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, checkpoint.as_line().encode("utf-8"))
        if sync:
            os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return checkpoint


def checkpoint_journal(seq: int, hash: str) -> None:
    """Append the entry this process has just committed (its number and keyed hash, as it
    computed them) to today's file, when ``MAMORI_AUDIT_JOURNAL`` is on (the default).

    Called after each commit that wrote an entry, so the file always reaches the newest
    committed entry and removing even the last second's entries is noticed. The line is
    written after the commit, never before, so the file is never ahead of the log; it is
    not synced to disk (a crash may lose the last lines, which is never a false alarm).
    Never raises: a full disk must not fail the change that was just committed.
    """
    if not settings.MAMORI_AUDIT_JOURNAL:
        return
    try:
        _append(seq, hash)
    except Exception:
        logger.exception("could not append audit entry #%s to the checkpoint file", seq)


_last_attempt = 0.0


def checkpoint_maybe() -> None:
    """Write a checkpoint when none was written in the last ``MAMORI_AUDIT_CHECKPOINT_SECONDS``
    (by this process, or by any, as the newest file's time says). Never raises: a full disk
    must not fail the change that was just committed."""
    global _last_attempt
    interval = settings.MAMORI_AUDIT_CHECKPOINT_SECONDS
    if interval <= 0:
        return
    now = time.monotonic()
    if now - _last_attempt < interval:
        return
    _last_attempt = now
    try:
        files = _files()
        if files and time.time() - files[-1].stat().st_mtime < interval:
            return
        checkpoint_write()
    except Exception:
        logger.exception("could not write an audit checkpoint")


def checkpoints_set_aside(label: str) -> Path | None:
    """Move every checkpoint file into a sub-directory named after ``label`` (a restore
    replaces the log they vouch for) and return it, or ``None`` when there were none."""
    files = _files()
    if not files:
        return None
    target = _directory() / f"set-aside-{label}"
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        path.rename(target / path.name)
    return target


def describe(checkpoint: Checkpoint) -> dict[str, Any]:
    return {"seq": checkpoint.seq, "hash": checkpoint.hash, "at": checkpoint.at}
