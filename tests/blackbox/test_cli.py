"""``mamori blackbox``: sanitize, scan, restore and the dictionary from the command line."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from mamori.blackbox.models import Sanitization, Term
from mamori.disclosures.models import Disclosure
from tests.blackbox import factories as make
from tests.contracts import factories as contracts
from tests.data.pdfs import MANUAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def dictionary():
    formula = contracts.asset("コーティング配合表")
    make.term("ポリシラザン", "material", assets=[formula])
    make.term("東日本ケミカル株式会社", "supplier")
    return formula


def run(*args: str) -> None:
    call_command("blackbox", "--language", "en", *args)


def test_sanitize_writes_the_output_and_keeps_the_input(tmp_path, capsys, dictionary):
    source = tmp_path / "仕様.txt"
    source.write_bytes("東日本ケミカル株式会社のポリシラザン\r\n".encode("cp932"))
    target = tmp_path / "out.txt"
    run("sanitize", str(source), "-o", str(target))
    assert target.read_bytes() == "供給元Aの素材A\r\n".encode("cp932")
    assert source.read_bytes() == "東日本ケミカル株式会社のポリシラザン\r\n".encode("cp932")
    out = capsys.readouterr().out
    sanitization = Sanitization.objects.get()
    assert sanitization.via_cli and sanitization.output_sha256 in out and not sanitization.output
    assert "素材A ← ポリシラザン: 1" in out


def test_sanitize_to_a_counterparty_records_the_disclosure(tmp_path, dictionary, officer):
    customer = contracts.counterparty("株式会社ソーラーテック", kind="customer")
    nda = contracts.contract(customer, scope=[dictionary])
    source = tmp_path / "a.md"
    source.write_text("# ポリシラザン\n", encoding="utf-8")
    run(
        "sanitize",
        str(source),
        "-o",
        str(tmp_path / "b.md"),
        "--to",
        "株式会社ソーラーテック",
        "--contract",
        str(nda.pk),
        "--purpose",
        "評価依頼",
        "--user",
        "officer",
    )
    disclosure = Disclosure.objects.get()
    assert disclosure.codenamed and list(disclosure.assets.all()) == [dictionary]
    assert Sanitization.objects.get().output_sha256 in disclosure.purpose


def test_warnings_stop_the_command_until_confirmed(tmp_path, capsys, dictionary, officer):
    contracts.counterparty("城北化成")  # no NDA
    source, target = tmp_path / "a.txt", tmp_path / "b.txt"
    source.write_text("ポリシラザン", encoding="utf-8")
    args = ["sanitize", str(source), "-o", str(target), "--to", "城北化成", "--user", "officer"]
    with pytest.raises(CommandError, match="--confirm-warnings"):
        run(*args)
    assert "No agreement with a confidentiality clause" in capsys.readouterr().err
    assert not target.exists() and not Disclosure.objects.exists()
    assert not Sanitization.objects.exists()
    run(*args, "--confirm-warnings")
    assert target.exists() and Disclosure.objects.get().warnings


def test_a_damaged_file_writes_nothing(tmp_path, dictionary):
    source, target = tmp_path / "a.docx", tmp_path / "b.docx"
    source.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(CommandError) as error:
        run("sanitize", str(source), "-o", str(target))
    assert error.value.returncode == 2 and "damaged" in str(error.value)
    assert not target.exists() and not list(tmp_path.glob(".*partial"))


def test_a_pdf_is_sanitized_with_notes_and_a_truncated_one_writes_nothing(tmp_path, capsys):
    make.term("Olimex", "supplier")
    source, target = tmp_path / "manual.pdf", tmp_path / "manual_out.pdf"
    source.write_bytes(MANUAL.read_bytes())
    run("sanitize", str(source), "-o", str(target))
    captured = capsys.readouterr()
    assert target.read_bytes().startswith(b"%PDF-") and "供給元A ← Olimex" in captured.out
    assert "Annotations and links" in captured.err
    assert Sanitization.objects.get().format == "pdf"
    broken, nothing = tmp_path / "cut.pdf", tmp_path / "cut_out.pdf"
    broken.write_bytes(MANUAL.read_bytes()[:40_000])
    with pytest.raises(CommandError) as error:
        run("sanitize", str(broken), "-o", str(nothing))
    assert error.value.returncode == 2 and "damaged" in str(error.value)
    assert not nothing.exists() and not list(tmp_path.glob(".*partial"))


def test_the_output_never_overwrites_the_input(tmp_path, dictionary):
    source = tmp_path / "a.txt"
    source.write_text("ポリシラザン", encoding="utf-8")
    with pytest.raises(CommandError, match="original"):
        run("sanitize", str(source), "-o", str(source), "--force")
    other = tmp_path / "b.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="--force"):
        run("sanitize", str(source), "-o", str(other))
    assert source.read_text(encoding="utf-8") == "ポリシラザン"


def test_scan_exits_1_when_something_is_found(tmp_path, capsys, dictionary):
    dirty, clean = tmp_path / "a.txt", tmp_path / "b.txt"
    dirty.write_text("社外秘\nポリシラザン", encoding="utf-8")
    clean.write_text("素材A", encoding="utf-8")
    with pytest.raises(SystemExit) as found:
        run("scan", str(dirty), "--format", "json")
    assert found.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["kind"], f["where"]) for f in report["findings"]] == [
        ("marking", "line 1"),
        ("term", "line 2"),
    ]
    run("scan", str(clean))
    assert "0 finding(s)" in capsys.readouterr().out


def test_scan_of_an_unreadable_file_exits_2(tmp_path, dictionary):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(CommandError) as error:
        run("scan", str(path))
    assert error.value.returncode == 2 and "password" in str(error.value)


def test_restore_writes_the_real_names(tmp_path, dictionary):
    source, target = tmp_path / "reply.txt", tmp_path / "restored.txt"
    source.write_text("供給元Aの素材Ａ", encoding="utf-8")
    run("restore", str(source), "-o", str(target))
    assert target.read_text(encoding="utf-8") == "東日本ケミカル株式会社のポリシラザン"


def test_terms_import_writes_all_rows_or_none(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("term,category\nポリシラザン,material\n1250,process\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 error"):
        run("terms", "import", str(bad))
    assert "row 3, column “term”" in capsys.readouterr().err
    assert not Term.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text("用語,区分,表記ゆれ\nポリシラザン,素材,PSZ;PSZ-20\n", encoding="utf-8")
    run("terms", "import", str(good), "--dry-run")
    assert not Term.objects.exists()
    run("terms", "import", str(good))
    assert Term.objects.get().variants == ["PSZ", "PSZ-20"]
    run("terms", "export", "-o", str(tmp_path / "out.csv"))
    assert "ポリシラザン,material,素材A,PSZ;PSZ-20" in (tmp_path / "out.csv").read_text("utf-8-sig")


def test_terms_import_and_export_show_progress_on_stderr_and_a_summary(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(
        "用語,区分\nポリシラザン,素材\n東日本ケミカル株式会社,供給元\n", encoding="utf-8"
    )
    target = tmp_path / "out.csv"

    def run_captured(*args: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("blackbox", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    out, err = run_captured("--language", "en", "terms", "import", str(good))
    assert "Writing terms" in err and "2/2" in err
    assert out == f"Imported {good}: 2 added, 0 updated, 0 unchanged.\n"
    out, err = run_captured("--language", "en", "terms", "export", "-o", str(target))
    assert "Dictionary export" in err and "2/2" in err
    assert out == f"2 terms written to {target}.\n"
    # Django's -v goes before the subcommand; 0 turns the bar off.
    out, err = run_captured("-v", "0", "terms", "export", "-o", str(target))
    assert err == "" and str(target) in out
