"""``mamori createofficer`` creates an officer from the command line."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from mamori.accounts.models import User
from mamori.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_createofficer_reads_the_password_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("MAMORI_OFFICER_PASSWORD", "officer-password-2026")
    call_command("createofficer", "--username", "sato", "--name", "佐藤 美咲")
    user = User.objects.get(username="sato")
    assert user.role == Role.OFFICER and user.check_password("officer-password-2026")
    assert "officer 'sato' created" in capsys.readouterr().out


def test_createofficer_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("MAMORI_OFFICER_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("createofficer", "--username", "sato")
    assert not User.objects.exists()
