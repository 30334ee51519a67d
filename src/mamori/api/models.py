"""API tokens: a key a script sends instead of a password, stored only as its SHA-256.

The key itself is shown once, when it is created; mamori keeps its hash and a short
prefix so that the owner can tell their tokens apart. A token acts exactly as its owner:
same role, same need-to-know — limited to reading when its scope is read-only. Tokens
are revoked when the officer sets the owner's password (the key may have leaked with it).
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.core.models import BaseModel, part_of, user_field


class TokenScope(models.TextChoices):
    """What a token may do: read only (GET, HEAD, OPTIONS) or also write."""

    READ = "read", _("read only")
    READ_WRITE = "read_write", _("read and write")


class ApiToken(BaseModel):
    user = part_of(settings.AUTH_USER_MODEL, _("owner"), related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("what the token is for"))
    prefix = models.CharField(_("beginning of the key"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(
        _("scope"),
        max_length=16,
        choices=TokenScope.choices,
        default=TokenScope.READ,
        help_text=_("a read-only token is refused every change"),
    )
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("empty: never expires")
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = user_field(_("revoked by"))

    # Use is not a change: it would add an entry a minute per script to the log.
    audit_exclude: ClassVar[frozenset[str]] = frozenset(
        {"created_at", "updated_at", "last_used_at"}
    )
    audit_mask: ClassVar[frozenset[str]] = frozenset({"key_hash"})

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is not None and self.expires_on < today

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired()
