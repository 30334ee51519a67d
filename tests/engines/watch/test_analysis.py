"""The analysis on a small hand-made company: who is watched, what is unusual, why."""

from __future__ import annotations

import csv
import datetime

import pytest

from mamori.engines.watch import (
    Asset,
    AssetPattern,
    Directory,
    Grant,
    Indicator,
    Kind,
    PersonInfo,
    Settings,
    Store,
)

START = datetime.date(2026, 1, 5)
END = datetime.date(2026, 6, 19)
NOTICE = datetime.date(2026, 6, 1)
TODAY = datetime.date(2026, 6, 20)
CONDITIONS, SALARY, MEMO = 1, 2, 3


def _workdays(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        if day.isoweekday() < 6:
            yield day
        day += datetime.timedelta(days=1)


def _at(day: datetime.date, hour: float) -> str:
    moment = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(hours=hour)
    return moment.isoformat() + "+09:00"


def _rows():
    rows = []
    for day in _workdays(START, END):
        for person in range(1, 7):
            account = "CORP\\P3" if person == 3 else f"p{person}@x.jp"
            for n in range(5):
                rows.append((_at(day, 9 + n), account, "read", f"//fs/work/f{n}.xlsx"))
        # Person 1 works on the 極秘 conditions every day: that is their job.
        for n in range(3):
            rows.append((_at(day, 14 + n / 10), "p1@x.jp", "read", f"//FS/RD/Conditions/c{n}.xlsx"))
        rows.append((_at(day, 11), "CORP\\P3", "edit", "//fs/work/f9.xlsx"))
        rows.append((_at(day, 2), "svc@x.jp", "read", "//fs/work/backup"))
    # Person 1, in the weeks before notice: USB copies every day...
    for day in _workdays(NOTICE - datetime.timedelta(days=40), NOTICE - datetime.timedelta(days=5)):
        for n in range(4):
            rows.append((_at(day, 15), "p1@x.jp", "usb_copy", f"//fs/rd/conditions/c{n}.xlsx"))
    # ...a download spike, then a night of copying two days later...
    spike = NOTICE - datetime.timedelta(days=12)
    for n in range(40):
        rows.append(
            (_at(spike, 10 + n / 60), "p1@x.jp", "download", f"//fs/rd/conditions/d{n}.xlsx")
        )
    for n in range(30):
        rows.append((_at(spike + datetime.timedelta(days=2), 22), "p1@x.jp", "usb_copy", f"/d{n}"))
    # ...and the salary list, which they hold no grant for.
    for n in range(6):
        rows.append((_at(spike, 16), "p1@x.jp", "read", f"//other/給与一覧_{n}.xlsx"))
    return rows


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    folder = tmp_path_factory.mktemp("watch")
    path = folder / "log.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("time", "user", "action", "object"))
        writer.writerows(_rows())
    directory = Directory(
        people=(
            PersonInfo(1, department=10, notice_on=NOTICE),
            PersonInfo(2, department=10, notice_on=NOTICE),
            PersonInfo(3, department=10),
            PersonInfo(4, department=10),
            PersonInfo(5, department=10),
            PersonInfo(6, department=10, notice_on=datetime.date(2027, 1, 1)),
        ),
        accounts={f"p{n}@x.jp": n for n in (1, 2, 4, 5, 6)} | {"P3": 3},
        assets=(Asset(CONDITIONS, rank=1), Asset(SALARY, rank=2), Asset(MEMO, rank=3)),
        patterns=(
            AssetPattern(CONDITIONS, "\\\\fs\\rd\\conditions\\"),
            AssetPattern(SALARY, "給与一覧"),
            AssetPattern(MEMO, "//fs/work/f9.xlsx"),
        ),
        grants=(Grant(1, CONDITIONS, valid_from=START), Grant(3, MEMO)),
    )
    with Store(folder / "store") as store:
        store.import_file(path, "generic")
        yield store.analyse(directory, Settings(), TODAY)


def result(analysis, person):
    return next(r for r in analysis.results if r.person == person)


def test_watched_are_those_whose_notice_window_overlaps_the_logs(analysis):
    assert [r.person for r in analysis.results] == [1, 2]
    first = result(analysis, 1)
    assert first.window_start == NOTICE - datetime.timedelta(days=90)
    assert first.window_end == END  # the last day the logs cover
    assert len(first.days) == (END - first.window_start).days + 1


def test_accounts_match_by_email_and_alias_and_the_rest_are_listed(analysis):
    assert [u.account for u in analysis.unmatched] == ["svc@x.jp"]
    stored = analysis.events
    assert analysis.matched_events == stored - analysis.unmatched[0].events


def test_the_taker_scores_high_with_reasons_that_name_what_they_did(analysis):
    first = result(analysis, 1)
    assert first.score >= 80 and first.own_baseline
    assert {"removable", "sequence", "no_grant", "download"} <= first.codes
    removable = next(r for r in first.reasons if r.code == "removable")
    assert "USBメモリなど外部記録媒体へのコピー" in removable.ja
    assert "退職申出の" in removable.ja and "日前" in removable.ja
    assert "Copies to removable media" in removable.en
    sequence = next(r for r in first.reasons if r.code == "sequence")
    assert "ダウンロードが急増し、その2日後" in sequence.ja


def test_daily_work_on_a_granted_secret_is_not_unusual(analysis):
    first = result(analysis, 1)
    secret = next(s for s in first.indicators if s.indicator == Indicator.TOP_SECRET)
    assert secret.usual == 3  # their own median: three 極秘 files a day
    # Only the day of the download spike is unusual, not the daily work.
    assert secret.unusual_days == 1 and secret.peak_day == NOTICE - datetime.timedelta(days=12)


def test_a_leaver_who_works_as_usual_has_no_reasons(analysis):
    second = result(analysis, 2)
    assert second.score == 0 and second.reasons == ()
    assert not any(any(point.unusual) for point in second.days)


def test_assets_are_recognised_by_folder_and_by_name_without_grant(analysis):
    first = result(analysis, 1)
    no_grant = next(s for s in first.indicators if s.indicator == Indicator.NO_GRANT)
    assert no_grant.total == 6
    flagged = [e for e in first.top_events if e.no_grant]
    assert flagged and all(e.asset == SALARY for e in flagged)
    conditions = [e for e in first.top_events if e.asset == CONDITIONS]
    assert conditions and not any(e.no_grant for e in conditions)


def test_top_events_come_from_the_unusual_days_exfiltration_first(analysis):
    first = result(analysis, 1)
    assert first.top_events
    assert first.top_events[0].kind in {Kind.REMOVABLE, Kind.DOWNLOAD, Kind.ACCESS}
    unusual_days = {p.day for p in first.days if any(p.unusual)}
    assert {e.time.date() for e in first.top_events} <= unusual_days


def test_the_window_follows_the_settings(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "time,user,action,object\n2026-05-25T10:00:00,a@x.jp,read,/x\n", encoding="utf-8"
    )
    directory = Directory(people=(PersonInfo(1, None, notice_on=NOTICE),), accounts={"a@x.jp": 1})
    with Store(tmp_path / "s") as store:
        store.import_file(path, "generic")
        short = store.analyse(directory, Settings(before_days=10, after_days=0), TODAY)
        empty = store.analyse(Directory(people=(), accounts={}), Settings(), TODAY)
    only = short.results[0]
    assert only.window_start == NOTICE - datetime.timedelta(days=10)
    assert only.window_end == datetime.date(2026, 5, 25)  # the logs end there
    assert only.score == 0
    assert empty.results == () and [u.account for u in empty.unmatched] == ["a@x.jp"]


def test_progress_is_reported_in_order_up_to_one(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "time,user,action,object\n2026-05-25T10:00:00,a@x.jp,read,/x\n"
        "2026-05-26T10:00:00,b@x.jp,read,/y\n",
        encoding="utf-8",
    )
    directory = Directory(
        people=(PersonInfo(1, 10, notice_on=NOTICE), PersonInfo(2, 10)),
        accounts={"a@x.jp": 1, "b@x.jp": 2},
    )
    reported: list[float] = []
    with Store(tmp_path / "s") as store:
        store.import_file(path, "generic")
        store.analyse(directory, Settings(), TODAY, progress=lambda f, _stage: reported.append(f))
    assert reported[0] == 0.0 and reported[-1] == 1.0
    assert reported == sorted(reported) and len(reported) > 3
