"""Lockout per user name *and* address, with a delay that doubles on each lockout.

Time passing is simulated by moving axes' records back: the lockout is computed from
their timestamps against the clock of the request.
"""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.utils import timezone

from mamori.accounts import lockout
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "198.51.100.10"
ATTACKER = "203.0.113.66"


def _login(address: str, username: str = "officer", password: str = PASSWORD):
    return Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def _fail_until_locked(address: str, username: str = "officer") -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(address, username, "wrong-password")
    assert _login(address, username).status_code == 429


def _let_time_pass(delta: datetime.timedelta) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)
    AccessAttemptExpiration.objects.update(expires_at=F("expires_at") - delta)
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - delta)


def test_failures_from_one_address_do_not_lock_the_officer_out_of_another(officer):
    _fail_until_locked(ATTACKER)
    # The officer, signing in from the office, is not affected.
    assert _login(HOME).status_code == 302
    # The attacker's address stays locked, even with the right password.
    assert _login(ATTACKER).status_code == 429


def test_the_lockout_page_says_how_long_to_wait(officer):
    _fail_until_locked(ATTACKER)
    page = _login(ATTACKER).content.decode()
    minutes = round(settings.MAMORI_LOCKOUT_BASE.total_seconds() / 60)
    assert "一時的にロックされています" in page
    assert f"{minutes} 分" in page


def test_each_further_lockout_doubles_the_delay(officer):
    base = settings.MAMORI_LOCKOUT_BASE
    second = datetime.timedelta(seconds=1)

    _fail_until_locked(ATTACKER)
    assert lockout.delay_for("officer", ATTACKER) == base
    _let_time_pass(base - 10 * second)
    assert _login(ATTACKER).status_code == 429
    _let_time_pass(11 * second)
    # The first delay has passed: a wrong password is just a wrong password again.
    assert _login(ATTACKER, password="wrong-password").status_code == 200

    _fail_until_locked(ATTACKER)
    assert lockout.delay_for("officer", ATTACKER) == 2 * base
    _let_time_pass(base + second)
    assert _login(ATTACKER).status_code == 429  # the single delay is no longer enough
    _let_time_pass(base)
    assert _login(ATTACKER, password="wrong-password").status_code == 200

    _fail_until_locked(ATTACKER)
    assert lockout.delay_for("officer", ATTACKER) == 4 * base
    _let_time_pass(3 * base)
    assert _login(ATTACKER).status_code == 429
    # All the while the officer signs in from the office.
    assert _login(HOME).status_code == 302


def test_the_delay_stops_growing_at_the_maximum_and_old_lockouts_are_forgotten(officer):
    def lockouts_ago(count: int, age: datetime.timedelta) -> None:
        for _ in range(count):
            row = AccessFailureLog.objects.create(
                username="officer", ip_address=ATTACKER, user_agent="", locked_out=True
            )
            # attempt_time is set on creation; move it to when the lockout happened.
            AccessFailureLog.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - age)

    lockouts_ago(12, settings.MAMORI_LOCKOUT_MAX + datetime.timedelta(minutes=1))
    assert lockout.delay_for("officer", ATTACKER) == settings.MAMORI_LOCKOUT_BASE
    lockouts_ago(12, datetime.timedelta(hours=1))
    assert lockout.delay_for("officer", ATTACKER) == settings.MAMORI_LOCKOUT_MAX
    assert lockout.delay_for("officer", HOME) == settings.MAMORI_LOCKOUT_BASE


def test_the_officer_unlocks_and_the_delay_starts_again_from_the_shortest(
    officer, editor, client_as
):
    _fail_until_locked(ATTACKER, "editor")
    _let_time_pass(settings.MAMORI_LOCKOUT_BASE * 2)
    _fail_until_locked(ATTACKER, "editor")
    assert lockout.delay_for("editor", ATTACKER) == 2 * settings.MAMORI_LOCKOUT_BASE
    assert "ロック中" in client_as(officer).get("/accounts/users/").content.decode()
    client_as(officer).post(f"/accounts/users/{editor.pk}/unlock/")
    assert _login(ATTACKER, "editor").status_code == 302
    assert lockout.delay_for("editor", ATTACKER) == settings.MAMORI_LOCKOUT_BASE
