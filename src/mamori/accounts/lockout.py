"""Sign-in lockout per user name *and* address, with a delay that doubles each time.

django-axes counts failed sign-ins per (user name, client address) pair
(``AXES_LOCKOUT_PARAMETERS``): after ``MAMORI_LOGIN_FAILURE_LIMIT`` failures that pair is
locked for ``MAMORI_LOCKOUT_MINUTES``; each further lockout of the same pair within
``MAMORI_LOCKOUT_MAX_HOURS`` doubles the delay, up to that many hours. Someone failing on
purpose from their own address therefore cannot lock the officer out of the office, and
someone guessing from one address is slowed more and more.

Each lockout leaves a row in axes' failure log (``locked_out``); the delay for a pair is
computed from how many such rows it has in the window. The handler gives each pair's attempt
record an expiry of its own, so that cleaning up one pair's old attempts never shortens
another pair's longer delay.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from mamori.core.client import client_address


def base_delay() -> timedelta:
    return settings.MAMORI_LOCKOUT_BASE


def max_delay() -> timedelta:
    return settings.MAMORI_LOCKOUT_MAX


def lockouts(username: str | None, address: str | None) -> int:
    """Return how many times the pair was locked out within the window."""
    since = timezone.now() - max_delay()
    return AccessFailureLog.objects.filter(
        username=username, ip_address=address, locked_out=True, attempt_time__gte=since
    ).count()


def delay_for(username: str | None, address: str | None) -> timedelta:
    """Return how long the pair's current (or next) lockout lasts."""
    count = lockouts(username, address)
    delay = base_delay() * (2 ** max(count - 1, 0))
    return min(delay, max_delay())


def _request_username(request: Any) -> str | None:
    credentials = getattr(request, "axes_credentials", None)
    return get_client_username(request, credentials)


def cool_off(request: Any = None) -> timedelta:
    """``AXES_COOLOFF_TIME``: the delay for the pair the request comes from."""
    if request is None:
        return base_delay()
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    return delay_for(_request_username(request), address)


class GrowingLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, giving the failing pair's attempt the pair's own expiry."""

    def user_login_failed(self, sender: Any, credentials: dict, request: Any = None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None:
            return
        username = get_client_username(request, credentials)
        address = request.axes_ip_address
        delay = delay_for(username, address)
        for attempt in AccessAttempt.objects.filter(username=username, ip_address=address):
            AccessAttemptExpiration.objects.update_or_create(
                access_attempt=attempt, defaults={"expires_at": attempt.attempt_time + delay}
            )


def locked_pairs() -> list[AccessAttempt]:
    """Return the attempt records that lock a (user name, address) pair right now."""
    return list(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            expiration__expires_at__gt=timezone.now(),
        )
    )


def reset(username: str) -> int:
    """Forget the user name's failed sign-ins and past lockouts; return the records cleared."""
    attempts, _ = AccessAttempt.objects.filter(username=username).delete()
    AccessFailureLog.objects.filter(username=username).delete()
    return attempts


def lockout_response(request: Any, original_response: Any = None, credentials: Any = None):
    """``AXES_LOCKOUT_CALLABLE``: the lockout page (429) saying how long the wait is."""
    delay = cool_off(request)
    context = {
        "cooloff_timedelta": delay,
        "cooloff_minutes": max(1, round(delay.total_seconds() / 60)),
        "username": get_client_username(request, credentials) or "",
    }
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=429)
