"""Configuration: production mode passes Django's deployment checks; defaults are safe."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings


def _run_mamori(args: list[str], env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MAMORI_", "DJANGO_"))},
        "MAMORI_DATA_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "mamori", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_passes_check_deploy(tmp_path):
    result = _run_mamori(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "DJANGO_SETTINGS_MODULE": "mamori.settings.production",
            "MAMORI_SECRET_KEY": "x" * 20 + "production-secret-key-for-the-test-0123456789",
            "MAMORI_ALLOWED_HOSTS": "mamori.example.co.jp",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run_mamori(
        ["check"], {"DJANGO_SETTINGS_MODULE": "mamori.settings.production"}, tmp_path
    )
    assert result.returncode != 0
    assert "MAMORI_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_a_configured_key_one_is_generated_once_and_kept(tmp_path):
    first = _run_mamori(
        ["shell", "-v", "0", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        {},
        tmp_path,
    )
    second = _run_mamori(
        ["shell", "-v", "0", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"],
        {},
        tmp_path,
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_passwords_are_hashed_with_argon2_by_default():
    from mamori.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "Argon2" in settings.PASSWORD_HASHERS[0]


def test_sqlite_runs_in_wal_mode(tmp_path):
    result = _run_mamori(
        [
            "shell",
            "-v",
            "0",
            "-c",
            "from django.db import connection; c = connection.cursor(); "
            "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        ],
        {},
        tmp_path,
    )
    assert result.stdout.strip() == "wal", result.stderr


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert response["X-Frame-Options"] == "DENY"
