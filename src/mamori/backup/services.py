"""Backup and restore of a whole installation: database content and uploaded files.

``backup_create`` writes one archive (see ``archive.py`` for its layout) from a single
read snapshot while the application runs; ``backup_restore`` puts it back into an empty
installation, or in place of its content when forced.
"""

from __future__ import annotations

from mamori.backup.archive import ArchiveError
from mamori.backup.create import BackupResult, backup_create, read_snapshot
from mamori.backup.restore import (
    NotEmptyError,
    RestoreResult,
    backup_restore,
    installation_in_use,
)

__all__ = [
    "ArchiveError",
    "BackupResult",
    "NotEmptyError",
    "RestoreResult",
    "backup_create",
    "backup_restore",
    "installation_in_use",
    "read_snapshot",
]
