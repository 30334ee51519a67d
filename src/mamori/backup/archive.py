"""The backup archive: a gzip-compressed tar whose first member is ``manifest.json``.

::

    manifest.json                 format, versions, tables (columns, rows), files,
                                  and the size and SHA-256 of every other member
    data/0001-accounts.user.jsonl one JSON array per row, columns as in the manifest
    files/evidence/ab/ab12…       every uploaded file the database refers to

The manifest is signed with the installation's audit key (``mamori.core.signing``,
outside the database): an archive whose manifest was edited — even with every checksum
recomputed — or that carries no signature is refused. Restoring on another server needs
the same key (``MAMORI_AUDIT_KEY``, or the same ``MAMORI_SECRET_KEY`` it is derived from).

Reading trusts nothing in the archive: the signature first, then member names against the
manifest and a strict pattern (no absolute paths, no ``..``, no links or devices), sizes
capped by what the manifest declares and by the free disk space, and every member's hash
checked while it is unpacked into a scratch directory — before anything is written to the
installation.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from mamori.core.errors import ApplicationError
from mamori.core.signing import key_fingerprint, mac, mac_matches

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "ArchiveError",
    "Unpacked",
    "manifest_sign",
    "safe_name",
    "unpack",
]

FORMAT = "mamori-backup"
# 2: the manifest is signed (``signature``); version 1 archives were not and are refused.
FORMAT_VERSION = 2
SIGNATURE_PURPOSE = "backup-manifest"
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
# Unpacked size over archive size beyond which the archive is taken for a compression
# bomb (JSON lines of real data compress 10–30 times).
MAX_RATIO = 1000
CHUNK = 1024 * 1024
_SAFE_PART = re.compile(r"^[^\x00-\x1f/\\]+$")


class ArchiveError(ApplicationError):
    """The file is not a mamori backup, or it is damaged or has been tampered with."""


def safe_name(name: str) -> bool:
    """Return whether ``name`` is a plain relative path that stays inside its folder."""
    if not name or len(name) > 1000 or name.startswith("/"):
        return False
    parts = name.split("/")
    return all(part not in ("", ".", "..") and _SAFE_PART.match(part) for part in parts)


def sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _signed_bytes(manifest: dict[str, Any]) -> bytes:
    body = {key: value for key, value in manifest.items() if key != "signature"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def manifest_sign(manifest: dict[str, Any]) -> dict[str, Any]:
    """Return ``manifest`` with the name of the key and the signature over everything else."""
    signed = {key: value for key, value in manifest.items() if key != "signature"}
    signed["key"] = key_fingerprint()
    signed["signature"] = mac(SIGNATURE_PURPOSE, _signed_bytes(signed))
    return signed


@dataclass(frozen=True)
class Unpacked:
    """A verified archive, unpacked in ``directory`` (member name → path)."""

    manifest: dict[str, Any]
    directory: Path

    def path(self, member: str) -> Path:
        return self.directory / "members" / member


def _damaged(detail: str) -> ArchiveError:
    return ArchiveError(
        _("The backup is damaged or has been altered (%(detail)s); nothing was restored.")
        % {"detail": detail}
    )


def _read_manifest(tar: tarfile.TarFile, first: tarfile.TarInfo | None) -> dict[str, Any]:
    if first is None or first.name != MANIFEST or not first.isfile():
        raise ArchiveError(_("This is not a mamori backup: it has no manifest."))
    if first.size > MAX_MANIFEST_BYTES:
        raise _damaged(_("the manifest is too large"))
    handle = tar.extractfile(first)
    try:
        manifest = json.loads(handle.read().decode("utf-8")) if handle else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(_("This is not a mamori backup: its manifest cannot be read."))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError(
            _("This backup has format version %(version)s; this mamori reads version %(ours)s.")
            % {"version": manifest.get("format_version"), "ours": FORMAT_VERSION}
        )
    signature = manifest.get("signature")
    if not isinstance(signature, str) or not signature:
        raise ArchiveError(_("This backup is not signed; nothing was restored."))
    if not mac_matches(SIGNATURE_PURPOSE, _signed_bytes(manifest), signature):
        raise ArchiveError(
            _(
                "The backup's signature does not match: it has been altered, or it was made "
                "with another key (MAMORI_AUDIT_KEY or the secret key it is derived from). "
                "Nothing was restored."
            )
        )
    members = manifest.get("members")
    if not isinstance(members, dict) or not all(
        isinstance(name, str)
        and safe_name(name)
        and isinstance(spec, dict)
        and isinstance(spec.get("size"), int)
        and spec["size"] >= 0
        and isinstance(spec.get("sha256"), str)
        for name, spec in members.items()
    ):
        raise _damaged(_("the manifest's list of members is invalid"))
    return manifest


def _copy_member(source: IO[bytes], target: Path, limit: int) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            if size > limit:
                break
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    try:
        yield from tar
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise _damaged(_("it ends early or is not a tar archive")) from exc


def unpack(archive: Path, scratch: Path) -> Unpacked:
    """Verify ``archive`` and unpack it into ``scratch``; raise ``ArchiveError`` naming the
    first problem. Nothing outside ``scratch`` is written."""
    try:
        tar = tarfile.open(archive, mode="r:gz")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise ArchiveError(_("There is no file %(path)s.") % {"path": archive}) from None
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(
            _("This is not a mamori backup (not a gzip-compressed tar archive).")
        ) from exc
    with tar:
        members = _members(tar)
        manifest = _read_manifest(tar, next(members, None))
        expected: dict[str, dict[str, Any]] = manifest["members"]
        declared = sum(spec["size"] for spec in expected.values())
        compressed = max(archive.stat().st_size, 1)
        if declared / compressed > MAX_RATIO:
            raise _damaged(_("it would unpack to far more than its size"))
        scratch.mkdir(parents=True, exist_ok=True)
        if shutil.disk_usage(scratch).free < declared:
            raise ArchiveError(
                _("There is not enough free disk space to unpack the backup (%(size)s bytes).")
                % {"size": declared}
            )
        seen: set[str] = set()
        for info in members:
            name = info.name
            spec = expected.get(name)
            if spec is None or name in seen:
                raise _damaged(_("unexpected member %(name)s") % {"name": name[:200]})
            if not info.isfile():
                raise _damaged(_("%(name)s is not a regular file") % {"name": name})
            if info.size != spec["size"]:
                raise _damaged(_("%(name)s has the wrong size") % {"name": name})
            handle = tar.extractfile(info)
            if handle is None:
                raise _damaged(_("%(name)s cannot be read") % {"name": name})
            try:
                digest, size = _copy_member(handle, scratch / "members" / name, spec["size"])
            except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
                raise _damaged(_("%(name)s cannot be read") % {"name": name}) from exc
            if size != spec["size"] or digest != spec["sha256"]:
                raise _damaged(_("the checksum of %(name)s does not match") % {"name": name})
            seen.add(name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise _damaged(_("%(name)s is missing") % {"name": missing[0]})
    return Unpacked(manifest=manifest, directory=scratch)
