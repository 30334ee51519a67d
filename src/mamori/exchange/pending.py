"""Uploaded import files waiting for the user's confirmation.

Between the check and the confirmation the file is kept through Django's storage API (so
that it works on several app servers sharing object storage), under a random token and
the uploader's account: only the same user can confirm it. Files older than
``MAX_AGE`` are removed whenever another file is stored.
"""

from __future__ import annotations

import datetime
import json
import re
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from mamori.accounts.models import User

__all__ = ["PendingFile", "pending_delete", "pending_load", "pending_save"]

FOLDER = "exchange-pending"
MAX_AGE = datetime.timedelta(hours=24)
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class PendingFile:
    content: bytes
    filename: str
    register: str


def _paths(user: User, token: str) -> tuple[str, str]:
    base = f"{FOLDER}/{int(user.pk)}/{token}"
    return f"{base}.bin", f"{base}.json"


def pending_save(*, user: User, content: bytes, filename: str, register: str = "") -> str:
    """Keep an uploaded file for ``user``; return the token that names it."""
    _prune(user)
    token = secrets.token_urlsafe(24)
    data, meta = _paths(user, token)
    default_storage.save(data, ContentFile(content))
    default_storage.save(
        meta, ContentFile(json.dumps({"filename": filename, "register": register}).encode())
    )
    return token


def pending_load(*, user: User, token: str) -> PendingFile | None:
    """Return the file ``user`` uploaded under ``token``, or ``None`` if there is none."""
    if not TOKEN.match(token or ""):
        return None
    data, meta = _paths(user, token)
    if not default_storage.exists(data) or not default_storage.exists(meta):
        return None
    with default_storage.open(meta) as handle:
        info = json.loads(handle.read().decode())
    with default_storage.open(data) as handle:
        content = handle.read()
    return PendingFile(content=content, filename=info["filename"], register=info["register"])


def pending_delete(*, user: User, token: str) -> None:
    if not TOKEN.match(token or ""):
        return
    for path in _paths(user, token):
        if default_storage.exists(path):
            default_storage.delete(path)


def _prune(user: User) -> None:
    folder = f"{FOLDER}/{int(user.pk)}"
    try:
        _folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return
    cutoff = timezone.now() - MAX_AGE
    for name in files:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue
