"""Reads of the backup app: what the backed-up tables hold, to compare installations."""

from __future__ import annotations

import hashlib
import json

from mamori.backup.tables import encode_value, included_tables

__all__ = ["table_fingerprints"]


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """Return, for every backed-up table, its row count and a SHA-256 of its rows in
    primary-key order — equal on two installations exactly when their content is."""
    fingerprints = {}
    for table in included_tables():
        digest, count = hashlib.sha256(), 0
        rows = table.model._base_manager.order_by("pk").values_list(*table.attnames)
        for row in rows.iterator(chunk_size=2000):
            line = json.dumps(
                [encode_value(value) for value in row], ensure_ascii=False, sort_keys=True
            )
            digest.update(line.encode("utf-8") + b"\n")
            count += 1
        fingerprints[table.label] = (count, digest.hexdigest())
    return fingerprints
