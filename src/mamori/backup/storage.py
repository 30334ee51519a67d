"""Uploaded files through Django's storage API (a local folder, or object storage)."""

from __future__ import annotations

import hashlib

from django.core.files.storage import default_storage

CHUNK = 1024 * 1024


def stored_digest(name: str) -> tuple[str, int] | None:
    """Return the SHA-256 and size of a stored file, or ``None`` when it is missing."""
    digest, size = hashlib.sha256(), 0
    try:
        with default_storage.open(name, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return None
    return digest.hexdigest(), size
