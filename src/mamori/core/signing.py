"""Keyed hashes (HMAC-SHA256) with the installation's audit key, which lives outside the
database: ``MAMORI_AUDIT_KEY``, or else a key derived from Django's ``SECRET_KEY``.

Someone who can write the database but does not hold the key cannot recompute a keyed
hash: the audit log's entries and checkpoints, and backup manifests, are keyed with it.
Each use has its own derived key (``purpose``), so a hash made for one use is never valid
for another.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

__all__ = ["key_fingerprint", "mac", "mac_matches"]


def _base_key() -> bytes:
    configured = getattr(settings, "MAMORI_AUDIT_KEY", "") or ""
    if configured:
        return configured.encode("utf-8")
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"), b"mamori.audit-key.v1", hashlib.sha256
    ).digest()


def _key(purpose: str) -> bytes:
    return hmac.new(_base_key(), purpose.encode("utf-8"), hashlib.sha256).digest()


def mac(purpose: str, data: bytes) -> str:
    """Return the keyed hash (hex) of ``data`` for ``purpose``."""
    return hmac.new(_key(purpose), data, hashlib.sha256).hexdigest()


def mac_matches(purpose: str, data: bytes, expected: str) -> bool:
    """Return whether ``expected`` is the keyed hash of ``data`` for ``purpose``."""
    return hmac.compare_digest(mac(purpose, data), str(expected))


def key_fingerprint() -> str:
    """Return a short, harmless name of the key in use (to tell keys apart, not to use)."""
    return mac("fingerprint", b"mamori")[:12]
