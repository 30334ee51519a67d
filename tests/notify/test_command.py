"""``mamori notify`` on the demo company, with the file e-mail backend: who gets a mail,
and that each mail holds that person's items and nobody else's."""

from __future__ import annotations

import email
import io
import smtplib
import socket
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.db import transaction

from mamori.accounts.models import User
from mamori.core.actor import Actor, acting_as
from mamori.demo.builder import build_demo
from mamori.findings.models import ACTIVE, Finding
from mamori.notify.models import DigestState
from mamori.notify.services import preference_set
from mamori.reports.models import ProgressSnapshot

pytestmark = pytest.mark.django_db

BASE_URL = "https://mamori.luminous-lab.example"
SUZUKI_ROW = "重要な情報へのアクセスコントロールを実施する"
TANAKA_ROW = "契約において秘密保持義務・情報の取扱方法等を規定する"
TAKAHASHI_PLEDGE = "共同研究（フレキシブル基板封止）参加に関する秘密保持誓約書"
TAKAHASHI_GRANT = "吉田 陽介 → 共同研究 評価プロトコル"
LEAVER_FINDING = "退職者・退職予定者にアクセス権が残っている"
WATCH_FINDING = "退職予定者・退職者のログに通常と異なるデータの動きがある"


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with acting_as(Actor(user_id=None, label="test:demo")):
            build_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def mail_dir(settings, tmp_path, demo_db) -> Path:
    folder = tmp_path / "mail"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(folder)
    settings.MAMORI_BASE_URL = BASE_URL
    return folder


def _messages(folder: Path) -> dict[str, EmailMessage]:
    """Return the messages the file backend wrote, by recipient."""
    messages = {}
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk.strip(b"\n"), policy=policy.default)
                messages[str(message["To"]).strip()] = message
    return messages


def _text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def _html(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("notify", "-v", "0", *args, stdout=out)
    return out.getvalue()


def test_each_person_gets_what_is_theirs_and_nothing_else(mail_dir):
    summary = _run()
    messages = _messages(mail_dir)
    assert set(messages) == {
        "sato@luminous-lab.example",
        "suzuki@luminous-lab.example",
        "takahashi@luminous-lab.example",
        "tanaka@luminous-lab.example",
    }  # the auditor owns nothing and is not the officer: no mail
    assert "sent 4 digest(s)" in summary and "1 user(s) had nothing to be told" in summary

    suzuki = _text(messages["suzuki@luminous-lab.example"])
    assert SUZUKI_ROW in suzuki and "日超過" in suzuki  # his row, three days overdue
    assert LEAVER_FINDING in suzuki  # he owns the process conditions 山本 still reaches
    assert TANAKA_ROW not in suzuki and TAKAHASHI_PLEDGE not in suzuki
    assert WATCH_FINDING not in suzuki  # the departure watch is the officer's

    tanaka = _text(messages["tanaka@luminous-lab.example"])
    assert TANAKA_ROW in tanaka and "あと7日" in tanaka
    assert SUZUKI_ROW not in tanaka and LEAVER_FINDING not in tanaka

    takahashi = _text(messages["takahashi@luminous-lab.example"])
    assert TAKAHASHI_PLEDGE in takahashi and TAKAHASHI_GRANT in takahashi
    assert f"{BASE_URL}/people/me/" in takahashi
    assert SUZUKI_ROW not in takahashi and "山本" not in takahashi

    sato = messages["sato@luminous-lab.example"]
    officer = _text(sato)
    # Findings that ask for work (an accepted risk does not).
    open_count = Finding.objects.filter(status__in=ACTIVE).count()
    assert "取組の現状" in officer and f"未対応の指摘事項：{open_count}件" in officer
    assert LEAVER_FINDING in officer and WATCH_FINDING in officer
    assert "退職に伴うアクセス権の見直し：山本 翔太" in officer  # a review overdue
    assert TANAKA_ROW not in officer  # owned rows go to their owners
    assert str(sato["Subject"]).strip().startswith("[mamori] ")
    assert "確認事項" in str(sato["Subject"])


def test_the_html_alternative_and_the_links(mail_dir):
    _run()
    message = _messages(mail_dir)["suzuki@luminous-lab.example"]
    html = _html(message)
    assert SUZUKI_ROW in html
    assert f'href="{BASE_URL}/checklist/rows/urn:mamori:row:people:access-control/"' in html
    assert f'href="{BASE_URL}/notifications/"' in html
    assert "<script" not in html


def test_a_person_who_turned_it_off_gets_nothing(mail_dir):
    tanaka = User.objects.get(username="tanaka")
    preference_set(user=tanaka, enabled=False)
    summary = _run()
    assert "tanaka@luminous-lab.example" not in _messages(mail_dir)
    assert "1 turned the digest off" in summary


def test_english_for_who_chose_english(mail_dir):
    User.objects.filter(username="takahashi").update(language="en")
    _run()
    text = _text(_messages(mail_dir)["takahashi@luminous-lab.example"])
    assert "Pledge to acknowledge" in text and "Access ends" in text and "in 10 days" in text
    assert "Dear 高橋 由美," in text


def test_new_findings_count_since_the_last_digest(mail_dir):
    _run()
    first = _text(_messages(mail_dir)["sato@luminous-lab.example"])
    # Findings that ask for work (an accepted risk does not).
    open_count = Finding.objects.filter(status__in=ACTIVE).count()
    assert f"以降の新規：{open_count}件" in first
    assert DigestState.objects.filter(user__username="sato").exists()
    for path in mail_dir.glob("*.log"):
        path.unlink()
    _run()
    again = _text(_messages(mail_dir)["sato@luminous-lab.example"])
    assert "以降の新規：0件" in again


def test_dry_run_sends_nothing_and_shows_who_would_get_what(mail_dir):
    out = io.StringIO()
    call_command("notify", "--dry-run", "-v", "2", stdout=out, stderr=io.StringIO())
    assert not mail_dir.exists() or not list(mail_dir.iterdir())
    shown = out.getvalue()
    assert "suzuki <suzuki@luminous-lab.example> [ja]" in shown and SUZUKI_ROW in shown
    assert "would send 4 digest(s)" in shown
    assert not DigestState.objects.exists()


def test_one_user_and_an_unknown_one(mail_dir):
    _run("--user", "tanaka")
    assert set(_messages(mail_dir)) == {"tanaka@luminous-lab.example"}
    with pytest.raises(CommandError, match="nosuchuser"):
        _run("--user", "nosuchuser")


def test_each_run_takes_a_progress_snapshot(mail_dir):
    ProgressSnapshot.objects.all().delete()
    _run("--dry-run")
    assert ProgressSnapshot.objects.count() == 1


class _RefusingBackend(locmem.EmailBackend):
    """Delivers like the test backend, except to suzuki, whom the server refuses."""

    def send_messages(self, messages):
        for message in messages:
            if "suzuki" in message.to[0]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return super().send_messages(messages)


def test_a_refused_recipient_is_reported_and_the_others_get_theirs(settings, demo_db):
    settings.EMAIL_BACKEND = f"{__name__}._RefusingBackend"
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 digest"):
        call_command("notify", "-v", "0", stdout=io.StringIO(), stderr=err)
    assert "not sent to suzuki" in err.getvalue()
    assert {m.to[0] for m in mail.outbox} == {
        "sato@luminous-lab.example",
        "takahashi@luminous-lab.example",
        "tanaka@luminous-lab.example",
    }
    assert not DigestState.objects.filter(user__username="suzuki").exists()


def test_an_unreachable_mail_server_is_a_clear_error(settings, demo_db):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = False
    with pytest.raises(CommandError, match="メールサーバーに接続できません"):
        _run()
    assert not DigestState.objects.exists()


def test_a_wrong_backend_setting_is_a_clear_error(settings, demo_db):
    settings.EMAIL_BACKEND = "smpt"
    with pytest.raises(CommandError, match="MAMORI_EMAIL_BACKEND"):
        _run()
