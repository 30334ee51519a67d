"""How an audit entry's hash is made: the pieces the model, the migration that keys an
existing log and the verifier share.

An entry's hash is an HMAC-SHA256 of its canonical content (which includes the previous
entry's hash) under the audit key (``mamori.core.signing``), which is not in the database:
someone who can write the database can edit an entry, but cannot make a hash that matches,
nor recompute the rest of the chain. Logs written before the key was introduced were
chained with a plain SHA-256; the migration that introduced the key appended an
*anchor* entry, keyed, whose ``prev_hash`` is the last plain entry's hash: from then on the
plain prefix cannot change without breaking the anchor.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from mamori.core.signing import mac

GENESIS_HASH = "0" * 64
ENTRY_PURPOSE = "audit-entry"
CHECKPOINT_PURPOSE = "audit-checkpoint"


def content_of(entry: Any) -> dict[str, Any]:
    """Return the fields an entry's hash covers (of a model instance or a historical one in
    a migration), in a form that survives a database round trip."""
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "remote_addr": entry.remote_addr,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "parent_type": entry.parent_type,
        "parent_id": entry.parent_id,
        "changes": entry.changes,
        "prev_hash": entry.prev_hash,
    }


def canonical(content: dict[str, Any]) -> bytes:
    """Return ``content`` as the bytes its hash covers (sorted keys, no spaces, UTF-8)."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def keyed_hash(content: dict[str, Any]) -> str:
    """Return the keyed hash of an entry's content."""
    return mac(ENTRY_PURPOSE, canonical(content))


def plain_hash(content: dict[str, Any]) -> str:
    """Return the unkeyed SHA-256 of an entry's content (entries written before the key)."""
    return hashlib.sha256(canonical(content)).hexdigest()
