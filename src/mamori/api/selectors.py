"""Reads of API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from mamori.accounts.models import User
from mamori.api.models import ApiToken


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """Return a user's tokens, active and revoked, newest first."""
    return (
        ApiToken.objects.filter(user=user)
        .select_related("revoked_by")
        .order_by("-created_at", "-pk")
    )


def active_tokens_of_others(user: User) -> QuerySet[ApiToken]:
    """Return everyone else's tokens that are not revoked (for the officer to revoke)."""
    return (
        ApiToken.objects.filter(revoked_at__isnull=True)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__username", "-created_at", "-pk")
    )


def token_for_key_hash(digest: str) -> ApiToken | None:
    """Return the token stored under ``digest`` with its owner, or ``None``."""
    return ApiToken.objects.select_related("user").filter(key_hash=digest).first()
