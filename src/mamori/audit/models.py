"""The hash-chained audit log.

Each entry carries the hash of the entry before it, and its own hash is keyed with the
audit key, which is outside the database (``mamori.audit.chain``); changing, inserting or
removing an entry breaks the chain from that point on, which ``audit_verify`` detects, and
without the key the chain cannot be recomputed. ``AuditHead`` is a single row holding the
newest entry's number and hash: appending locks it, so two writers can never chain onto
the same entry. Removing the newest entries and moving the head is caught by the signed
checkpoints written outside the database (``mamori.audit.checkpoints``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.audit.chain import GENESIS_HASH, content_of, keyed_hash, plain_hash

__all__ = ["GENESIS_HASH", "Action", "AuditEntry", "AuditHead"]


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    VIEW = "view", _("Viewed details")
    EXPORT = "export", _("Exported")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    # The entry that keyed a log written before the audit key existed (see audit.chain).
    ANCHOR = "anchor", _("Audit key applied")


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # Users are deactivated, never deleted; no constraint so that the log never
        # blocks or rewrites anything when accounts change.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200)
    remote_addr = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_id = models.CharField(max_length=100, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    # The object this one belongs to (a checklist answer for its evidence), so that an
    # object's history includes what happened to its parts, deleted ones too.
    parent_type = models.CharField(max_length=100, blank=True)
    parent_id = models.CharField(max_length=100, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["parent_type", "parent_id"]),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def hashed_content(self) -> dict[str, Any]:
        """Return the fields the hash covers, in a form that survives a database round trip."""
        return content_of(self)

    def compute_hash(self) -> str:
        """Return the entry's keyed hash (needs the audit key)."""
        return keyed_hash(self.hashed_content())

    def plain_hash(self) -> str:
        """Return the unkeyed hash an entry written before the audit key carries."""
        return plain_hash(self.hashed_content())


class AuditHead(models.Model):
    """The newest entry's number and hash; a single row with ``pk=1``."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"head #{self.seq}"
