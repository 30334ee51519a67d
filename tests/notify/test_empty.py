"""On an installation nobody has set up yet, ``mamori notify`` sends nothing and says so."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_nothing_to_send_on_a_new_installation(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("notify", "-v", "0", stdout=out)
    assert mail.outbox == []
    assert "sent 0 digest(s)" in out.getvalue()


def test_an_officer_without_a_company_gets_a_summary_without_a_stage(settings, officer):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    officer.email = "officer@example.jp"
    officer.save()
    call_command("notify", "-v", "0", stdout=io.StringIO())
    # Nothing is open and nothing is due: even the officer is not written to.
    assert mail.outbox == []
