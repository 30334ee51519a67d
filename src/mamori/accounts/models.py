from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from mamori.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from mamori.core.models import TrackedModel


class User(TrackedModel, AbstractUser):
    """A person who signs in to mamori, with one role."""

    display_name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ja"
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"last_login"})
    audit_mask: ClassVar[frozenset[str]] = frozenset({"password"})

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def capabilities(self) -> frozenset[Capability]:
        """Return what the user may do; nothing when the account is inactive."""
        if not self.is_active:
            return frozenset()
        return ROLE_CAPABILITIES.get(self.role, frozenset())

    def has_capability(self, capability: str) -> bool:
        return capability in self.capabilities()

    @property
    def is_officer(self) -> bool:
        return self.is_active and self.role == Role.OFFICER
