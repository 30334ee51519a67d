"""The end-user list import, screening of counterparties, the officer's decisions
(SCREENING_MANAGE, audited), the CLI, the pages and the dashboard coverage panel."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mamori.audit.models import AuditEntry
from mamori.core.errors import NotPermitted
from mamori.exportcontrol.importer import ListFileError, parse_list_file
from mamori.exportcontrol.knowledge import crosswalks, investment_rules
from mamori.exportcontrol.models import EndUserEntry, HitStatus, ScreeningHit
from mamori.exportcontrol.services import screening
from tests.exportcontrol import factories as f

pytestmark = pytest.mark.django_db


def test_the_importer_finds_the_header_below_title_rows_in_any_column_order():
    parsed = parse_list_file(f.LIST_CSV.encode("cp932", errors="replace"), "list.csv")
    assert parsed.ok and parsed.header_row == 3 and parsed.ignored == ["備考"]
    first = parsed.entries[0]
    assert (first.country, first.name, first.aliases) == (
        "CN",
        "Korvantis Precision Instruments Co.",
        ("KPI Group", "Korvantis Optics"),
    )
    swapped = "懸念区分,Name,Country\n核,Delmaro Aerospace,IR\n"
    [entry] = parse_list_file(swapped.encode(), "x.csv").entries
    assert (entry.name, entry.country, entry.category) == ("Delmaro Aerospace", "IR", "核")


def test_the_importer_reads_excel(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["外国ユーザーリスト"])
    sheet.append(["国名・地域名", "企業名・組織名", "別名"])
    sheet.append(["イラン", "Delmaro Aerospace Industries", "DAI\nDelmaro Aero"])
    buffer = io.BytesIO()
    book.save(buffer)
    [entry] = parse_list_file(buffer.getvalue(), "list.xlsx").entries
    assert entry.aliases == ("DAI", "Delmaro Aero") and entry.country == "IR"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", ""),
        (b"country,category\nCN,x\n", "企業名・組織名"),
        (b"\xd0\xcf\x11\xe0rest", ".xls"),
    ],
)
def test_unreadable_files_say_why(content, message):
    with pytest.raises(ListFileError, match=message or None):
        parse_list_file(content, "list.csv")


def test_a_row_without_a_name_stops_the_import_and_names_the_row(officer):
    bad = "企業名・組織名,国名\nAlpha Labs,中国\n,イラン\n"
    with pytest.raises(screening.ListHasErrors) as problem:
        f.imported_list(officer, content=bad)
    assert [(e.row, e.column) for e in problem.value.parsed.errors] == [(3, "企業名・組織名")]
    assert not EndUserEntry.objects.exists()


def test_import_screens_every_counterparty_and_new_ones_are_screened_on_commit(
    officer, django_capture_on_commit_callbacks
):
    listed = f.counterparty(
        "ＫＯＲＶＡＮＴＩＳ ＰＲＥＣＩＳＩＯＮ ＩＮＳＴＲＵＭＥＮＴＳ", country="CN"
    )
    f.counterparty("Sunrise Foods Inc.", country="US")
    _, result = f.imported_list(officer)
    assert (result.screened, result.new_hits) == (2, 1)
    hit = ScreeningHit.objects.get()
    assert hit.counterparty == listed and hit.score == 100 and hit.status == HitStatus.PENDING
    assert AuditEntry.objects.filter(object_type="exportcontrol.enduserentry").exists()
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = f.counterparty("北辰光学研究所 有限公司", country="KP")
    assert ScreeningHit.objects.filter(counterparty=newcomer).exists()


def test_decisions_need_screening_manage_a_reason_and_are_audited(officer, editor):
    f.counterparty("Delmaro Aerospace Industries", country="IR")
    f.imported_list(officer)
    hit = ScreeningHit.objects.get()
    with pytest.raises(NotPermitted):
        screening.hit_decide(hit=hit, status=HitStatus.CLEARED, note="別会社", user=editor)
    with pytest.raises(screening.ApplicationError):
        screening.hit_decide(hit=hit, status=HitStatus.CLEARED, note=" ", user=officer)
    screening.hit_decide(hit=hit, status=HitStatus.CONFIRMED, note="同一", user=officer)
    entry = AuditEntry.objects.filter(
        object_type="exportcontrol.screeninghit", object_id=str(hit.pk), action="update"
    ).get()
    assert entry.changes["status"] == ["pending", "confirmed"]


def test_a_decision_is_carried_over_to_the_next_list(officer):
    f.counterparty("Delmaro Aerospace Industries", country="IR")
    f.imported_list(officer)
    screening.hit_decide(
        hit=ScreeningHit.objects.get(), status=HitStatus.CLEARED, note="住所が違う", user=officer
    )
    f.imported_list(officer, label="2027年版")
    newest = ScreeningHit.objects.order_by("-pk").first()
    assert ScreeningHit.objects.count() == 2
    assert newest.status == HitStatus.CLEARED and "住所が違う" in newest.decision_note


def test_cli_imports_runs_and_checks_with_json_best_first(officer, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(f.LIST_CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("screening", "import", str(path), "--language", "en", stdout=out)
    assert "Imported 3 entries" in out.getvalue()
    out = io.StringIO()
    call_command("screening", "run", stdout=out)
    assert "取引先" in out.getvalue() and "件を照合しました" in out.getvalue()
    out = io.StringIO()
    call_command(
        "screening", "check", "KPI Group Ltd.", "--country", "CN", "--format", "json", stdout=out
    )
    rows = json.loads(out.getvalue())
    assert list(rows[0]) == ["entry", "matched_name", "score", "reason"]
    assert (
        rows[0]["entry"] == "Korvantis Precision Instruments Co."
        and rows[0]["matched_name"] == "KPI Group"
    )
    assert rows == sorted(rows, key=lambda r: -r["score"])


def test_cli_shows_progress_on_stderr_and_a_summary_on_stdout(officer, tmp_path):
    f.counterparty("Delmaro Aerospace Industries", country="IR")
    f.counterparty("株式会社ソーラーテック", country="JP")
    path = tmp_path / "list.csv"
    path.write_text(f.LIST_CSV, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("screening", "import", str(path), "--language", "en", stdout=out, stderr=err)
    assert "Storing list entries" in err.getvalue()
    assert "Screening counterparties" in err.getvalue() and "2/2" in err.getvalue()
    assert out.getvalue().splitlines()[-1] == (
        "Screened 2 counterparties: 1 new hit(s), 1 to decide."
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("screening", "-v", "0", "run", "--language", "en", stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert out.getvalue() == "Screened 2 counterparties: 0 new hit(s), 1 to decide.\n"


def test_cli_check_without_a_list_says_what_to_do():
    with pytest.raises(CommandError, match="外国ユーザーリスト"):
        call_command("screening", "check", "Alpha")


def test_data_files_name_their_source_and_are_marked_indicative():
    rules = investment_rules()
    assert rules.verified is False and rules.thresholds.verified is False
    assert "mof.go.jp" in rules.source.url and rules.sector("dual_use").core
    frameworks = {fw.id: fw for fw in crosswalks().frameworks}
    assert set(frameworks) == {"tics", "ipa", "iso27001"} and len(frameworks["ipa"].items) == 25
    assert not frameworks["tics"].verified and frameworks["tics"].source


PAGES = [
    "/export-control/",
    "/export-control/licences/",
    "/export-control/licences/new/",
    "/export-control/disclosures/",
    "/export-control/screening/",
    "/export-control/screening/import/",
    "/export-control/investment/",
    "/export-control/investment/sectors/",
    "/export-control/investment/rounds/new/",
    "/export-control/frameworks/",
]


def test_every_page_opens_for_the_officer(officer, client_as):
    f.imported_list(officer)
    funding_round, participation = f.foreign_round(officer)
    client = client_as(officer)
    extra = [
        f"/export-control/screening/lists/{screening.current_list().pk}/",
        f"/export-control/investment/rounds/{funding_round.pk}/",
        f"/export-control/investment/investors/{participation.investor_id}/",
        f"/export-control/investment/participations/{participation.pk}/notification/",
    ]
    for url in [*PAGES, *extra]:
        assert client.get(url).status_code == 200, url
    page = client.get(f"/export-control/investment/rounds/{funding_round.pk}/").content.decode()
    assert "事前届出が必要" in page and "mof.go.jp" in page


def test_only_the_officer_decides_hits_and_imports_lists(officer, editor, auditor, client_as):
    f.counterparty("Delmaro Aerospace Industries", country="IR")
    f.imported_list(officer)
    hit = ScreeningHit.objects.get()
    url = f"/export-control/screening/hits/{hit.pk}/"
    assert client_as(auditor).get(url).status_code == 200
    for user in (editor, auditor):
        client = client_as(user)
        assert client.post(url, {"status": "cleared", "note": "x"}).status_code == 403
        assert client.get("/export-control/screening/import/").status_code == 403
    response = client_as(officer).post(url, {"status": "confirmed", "note": "同一組織"})
    assert response.status_code == 302
    hit.refresh_from_db()
    assert hit.status == HitStatus.CONFIRMED and hit.decided_by == officer


def test_the_dashboard_shows_framework_coverage(officer, client_as, company_at_stage):
    company_at_stage("seed_early")
    page = client_as(officer).get("/").content.decode()
    assert 'id="framework-coverage"' in page and "ISO/IEC 27001:2022" in page
