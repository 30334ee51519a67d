"""``mamori watch import / run / report``."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from mamori.watch.models import AnalysisRun, LogImport

pytestmark = pytest.mark.django_db


def test_import_run_and_report(world, capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        world.log.read_text(encoding="utf-8") + "not-a-time,a@x.jp,read,/a,1,,fs,PC\n",
        encoding="utf-8",
    )
    call_command("watch", "import", str(bad), "--format", "generic", "--quiet")
    out = capsys.readouterr().out
    assert "1 lines skipped" in out or "1行" in out
    record = LogImport.objects.get()
    assert record.skipped == 1
    assert f"{record.errors[0]['line']}" in out

    call_command("watch", "import", str(bad), "--format", "generic", "--quiet")
    assert "nothing was added" in capsys.readouterr().out or LogImport.objects.count() == 2

    call_command("watch", "run", "--today", "2026-06-20", "--language", "en")
    out = capsys.readouterr().out
    assert "山本 翔太" in out and AnalysisRun.objects.count() == 1

    call_command("watch", "report", "LM-0005", "--language", "en")
    out = capsys.readouterr().out
    assert "Copies to removable media" in out and "//fs01/hr/給与一覧" in out
    call_command("watch", "report", "yamamoto@example.co.jp")
    assert "USBメモリ" in capsys.readouterr().out


def test_command_errors(world):
    with pytest.raises(CommandError, match=r"missing\.csv"):
        call_command("watch", "import", "missing.csv", "--format", "generic")
    with pytest.raises(CommandError):
        call_command("watch", "import", str(world.log), "--format", "winusb", "--quiet")
    with pytest.raises(CommandError):
        call_command("watch", "report", "nobody")
    with pytest.raises(CommandError):
        call_command("watch", "run", "--today", "yesterday")


def test_import_and_run_show_progress_on_stderr_and_a_summary_on_stdout(world):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "watch",
        "import",
        str(world.log),
        "--format",
        "generic",
        "--language",
        "en",
        stdout=out,
        stderr=err,
    )
    assert f"Importing {world.log.name}" in err.getvalue() and "100/100" in err.getvalue()
    assert out.getvalue().startswith(f"{world.log.name}: ") and "events added" in out.getvalue()
    assert "Importing" not in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "watch", "run", "--today", "2026-06-20", "--language", "en", stdout=out, stderr=err
    )
    assert "Analysing the logs" in err.getvalue() and "100/100" in err.getvalue()
    assert out.getvalue().startswith("Analysed ")
    # -v 0 (before the subcommand) and the older --quiet both turn the bar off.
    err = io.StringIO()
    call_command("watch", "-v", "0", "run", "--today", "2026-06-20", stdout=out, stderr=err)
    assert err.getvalue() == ""
    call_command(
        "watch",
        "import",
        str(world.log),
        "--format",
        "generic",
        "--quiet",
        stdout=out,
        stderr=err,
    )
    assert err.getvalue() == ""


def test_a_refused_file_exits_with_the_message_the_web_page_shows(world, client_as, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from mamori.watch.models import LogImport

    with pytest.raises(CommandError) as refused:
        call_command("watch", "import", str(world.log), "--format", "m365", "--quiet")
    message = str(refused.value)
    assert "Microsoft 365 監査ログ" in message and "必要な列" in message
    page = client_as(officer).post(
        reverse("watch:imports"),
        {"file": SimpleUploadedFile("log.csv", world.log.read_bytes()), "format": "m365"},
    )
    assert page.status_code == 400
    assert message.split("\n")[0].split("。")[0] in page.content.decode()
    assert not LogImport.objects.exists()
