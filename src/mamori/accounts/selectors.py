"""Reads of user accounts."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import Q, QuerySet

from mamori.accounts import lockout
from mamori.accounts.models import User


def setup_needed() -> bool:
    """Return whether the installation has no account yet (first run)."""
    return not User.objects.exists()


def user_list(*, query: str = "", role: str = "", active: str = "") -> QuerySet[User]:
    users = User.objects.all()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(display_name__icontains=query)
            | Q(email__icontains=query)
        )
    if role:
        users = users.filter(role=role)
    if active in {"yes", "no"}:
        users = users.filter(is_active=active == "yes")
    return users.order_by("username")


def locked_usernames() -> set[str]:
    """Return the user names locked out, from at least one address, right now."""
    return {attempt.username for attempt in lockout.locked_pairs()}


def users_with_second_factors() -> set[int]:
    """Return the ids of the users who have set up a second factor."""
    return set(Authenticator.objects.values_list("user_id", flat=True).distinct())
