"""Options of ``mamori`` commands with subcommands may come after the subcommand."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def _run(*argv: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*argv, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "argv",
    [("audit", "verify", "-v", "0"), ("audit", "-v", "0", "verify")],
    ids=["after the subcommand", "before the subcommand"],
)
def test_verbosity_zero_silences_the_bar_wherever_it_is_given(argv):
    out, err = _run(*argv)
    assert "audit log intact" in out
    assert err == ""


def test_without_verbosity_the_bar_goes_to_stderr():
    out, err = _run("audit", "verify")
    assert "audit log intact" in out
    assert err != ""


def test_a_nested_subcommand_accepts_it_too(tmp_path):
    target = tmp_path / "terms.csv"
    _, err = _run("blackbox", "terms", "export", "-o", str(target), "--verbosity", "0")
    assert target.exists() and err == ""


def test_an_invalid_level_is_still_refused():
    with pytest.raises(CommandError):
        _run("audit", "verify", "-v", "7")
