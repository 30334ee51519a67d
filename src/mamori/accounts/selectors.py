"""Reads of user accounts."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

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
    """Return the user names locked out by repeated failed sign-ins right now."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )
    return set(attempts.values_list("username", flat=True))
