"""The watch's services: imports recorded, the registers turned into the analysis' input,
results stored and replaced, aliases checked."""

from __future__ import annotations

import datetime

import pytest

from mamori.assets import services as asset_services
from mamori.core.actor import acting_as
from mamori.core.errors import ApplicationError
from mamori.engines import watch as engine
from mamori.watch import selectors, services
from mamori.watch.models import AnalysisRun, ImportStatus, LogImport, PersonRisk
from tests.watch.conftest import NOTICE, TODAY

pytestmark = pytest.mark.django_db


def test_an_import_is_recorded_and_a_second_one_adds_nothing(world, officer, tmp_path):
    with acting_as(officer):
        first = services.log_import(path=world.log, fmt="generic", user=officer)
        again = services.log_import(path=world.log, fmt="generic", user=officer)
    assert first.status == ImportStatus.IMPORTED and first.added > 1000 and first.skipped == 0
    assert again.status == ImportStatus.ALREADY and again.added == 0
    assert first.first_time.date() == datetime.date(2026, 1, 5)


def test_malformed_lines_are_listed_on_the_import(world, officer, tmp_path):
    path = tmp_path / "bad.csv"
    good = "".join(f"2026-03-02 09:{minute:02d}:00,a@x.jp,read,/a\n" for minute in range(10))
    path.write_text(
        "time,user,action,object\nbad,a@x.jp,read,/b\n" + good,
        encoding="utf-8",
    )
    with acting_as(officer):
        record = services.log_import(path=path, fmt="generic", user=officer)
    assert (record.added, record.skipped) == (10, 1)
    assert record.errors[0]["line"] == 2 and "bad" in record.errors[0]["ja"]


def test_a_half_bad_file_is_refused_with_counts_and_leaves_no_row(world, officer, tmp_path):
    path = tmp_path / "half.csv"
    path.write_text("time,user,action\n2026-03-02 09:00:00,a@x.jp,read\nbad,a@x.jp,read\n")
    with acting_as(officer), pytest.raises(ApplicationError) as refused:
        services.log_import(path=path, fmt="generic", user=officer)
    assert "2件中1件" in refused.value.message and "行 3" in refused.value.message
    assert not LogImport.objects.exists()


def test_a_file_in_the_wrong_format_leaves_no_row_and_the_right_one_imports(world, officer):
    with acting_as(officer), pytest.raises(ApplicationError, match="Microsoft 365"):
        services.log_import(path=world.log, fmt="m365", user=officer)
    assert not LogImport.objects.exists()
    with acting_as(officer):
        record = services.log_import(path=world.log, fmt="generic", user=officer)
    assert record.status == ImportStatus.IMPORTED and record.added > 0


def test_a_busy_store_is_a_clear_message(world, officer, monkeypatch):
    def busy(*args, **kwargs):
        raise engine.StoreBusyError("busy")

    monkeypatch.setattr(engine, "Store", busy)
    with acting_as(officer), pytest.raises(ApplicationError) as caught:
        services.analysis_run(user=officer, today=TODAY)
    assert caught.value.message == str(services.STORE_BUSY)


def test_the_directory_holds_emails_aliases_paths_owners_and_grant_periods(world, officer):
    with acting_as(officer):
        grant = world.leaver.grants.get()
        asset_services.grant_revoke(
            grant=grant, revoked_by=officer, reason="退職", revoked_on=NOTICE
        )
    directory = services.directory_build()
    assert directory.accounts["yamamoto@example.co.jp"] == world.leaver.pk
    assert directory.accounts["kato"] == world.stayer.pk
    patterns = {(p.asset, p.pattern) for p in directory.patterns}
    assert (world.conditions.pk, "\\\\fs01\\mfg\\secret") in patterns
    assert (world.salary.pk, "給与一覧") in patterns
    assert all(p.pattern != "人事部の棚" for p in directory.patterns)  # not a path
    leaver_grant = next(g for g in directory.grants if g.person == world.leaver.pk and g.valid_from)
    assert leaver_grant.valid_to == NOTICE - datetime.timedelta(days=1)
    leaver = next(p for p in directory.people if p.id == world.leaver.pk)
    assert leaver.notice_on == NOTICE


def test_a_run_stores_the_results_and_replaces_the_previous_ones(analysed, officer):
    run = selectors.latest_run()
    risk = PersonRisk.objects.get(run=run)
    assert risk.person == analysed.leaver and risk.score >= run.threshold
    codes = [r["code"] for r in risk.reasons]
    assert "removable" in codes and "no_grant" in codes
    assert len(risk.series) == (risk.window_end - risk.window_start).days + 1
    assert any(e["asset_name"] == "給与一覧" and e["no_grant"] for e in risk.top_events)
    assert [u.account for u in run.unmatched_accounts.all()] == ["svc-backup@example.co.jp"]
    with acting_as(officer):
        services.analysis_run(user=officer, today=TODAY)
    assert AnalysisRun.objects.count() == 2
    assert (
        PersonRisk.objects.count() == 1 and PersonRisk.objects.get().run == selectors.latest_run()
    )


def test_the_settings_shape_the_next_run(analysed, officer):
    with acting_as(officer):
        services.settings_save(
            before_days=10, after_days=0, work_start_hour=7, work_end_hour=22, threshold=100
        )
        run = services.analysis_run(user=officer, today=TODAY)
    risk = PersonRisk.objects.get(run=run)
    assert risk.window_start == NOTICE - datetime.timedelta(days=10)
    assert (run.before_days, run.threshold, run.flagged) == (10, 100, 0)


def test_settings_refuse_working_hours_that_end_before_they_start(db, officer):
    with acting_as(officer), pytest.raises(ApplicationError) as caught:
        services.settings_save(
            before_days=90, after_days=30, work_start_hour=20, work_end_hour=8, threshold=50
        )
    assert caught.value.field == "work_end_hour"


def test_an_alias_is_unique_and_not_someone_elses_email(world, officer):
    with acting_as(officer):
        with pytest.raises(ApplicationError, match="加藤 恵"):
            services.alias_add(person=world.leaver, account="KATO")
        with pytest.raises(ApplicationError, match="中村 彩"):
            services.alias_add(person=world.leaver, account="nakamura@example.co.jp")
        alias = services.alias_add(person=world.leaver, account=" CORP\\Yamamoto ")
    assert alias.account == "corp\\yamamoto"


def test_an_asset_path_is_recorded_once(world, officer):
    with acting_as(officer), pytest.raises(ApplicationError, match="給与一覧"):
        services.asset_path_add(asset=world.conditions, pattern="給与一覧")


def _store_stats():
    store = services._open_store()
    try:
        return store.stats()
    finally:
        store.close()


def test_a_damaged_file_is_refused_with_a_message_and_leaves_nothing(world, officer, tmp_path):
    path = tmp_path / "log.csv.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"not really gzip" * 20)
    with acting_as(officer), pytest.raises(ApplicationError) as refused:
        services.log_import(path=path, fmt="generic", user=officer)
    assert "log.csv.gz" in refused.value.message
    assert not LogImport.objects.exists()
    assert _store_stats().imports == 0 and _store_stats().events == 0


def test_an_import_whose_record_cannot_be_written_leaves_nothing_in_the_store(
    world, officer, monkeypatch
):
    from django.db import DatabaseError

    def locked(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(LogImport.objects, "create", locked)
    with acting_as(officer), pytest.raises(DatabaseError):
        services.log_import(path=world.log, fmt="generic", user=officer)
    monkeypatch.undo()
    assert not LogImport.objects.exists()
    assert _store_stats().imports == 0 and _store_stats().events == 0
    # The same file imports afterwards: it is not "already imported".
    with acting_as(officer):
        record = services.log_import(path=world.log, fmt="generic", user=officer)
    assert record.status == ImportStatus.IMPORTED and record.added > 1000
