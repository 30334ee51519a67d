"""Fixtures of the departure watch: a scratch log store per test, and a small company
whose leaver copied the process conditions to USB before giving notice."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest

from mamori.assets.models import InformationAsset
from mamori.core.actor import acting_as
from mamori.lifecycle import services as lifecycle_services
from mamori.people import services as people_services
from mamori.people.models import Person
from mamori.watch import services
from tests.assets import factories

START = datetime.date(2026, 1, 5)
END = datetime.date(2026, 6, 19)
NOTICE = datetime.date(2026, 6, 1)
TODAY = datetime.date(2026, 6, 20)


@pytest.fixture(autouse=True)
def watch_dir(settings, tmp_path) -> Path:
    settings.WATCH_DIR = tmp_path / "watch"
    return settings.WATCH_DIR


@dataclass
class World:
    leaver: Person
    colleague: Person
    stayer: Person
    conditions: InformationAsset
    salary: InformationAsset
    log: Path


def _workdays(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        if day.isoweekday() < 6:
            yield day
        day += datetime.timedelta(days=1)


def _at(day: datetime.date, hour: float) -> str:
    moment = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(hours=hour)
    return moment.isoformat() + "+09:00"


def write_log(path: Path) -> Path:
    rows = []
    for day in _workdays(START, END):
        for account in ("yamamoto@example.co.jp", "nakamura@example.co.jp", "CORP\\kato"):
            for n in range(3):
                rows.append((_at(day, 10 + n), account, "read", f"//fs01/mfg/work/f{n}.xlsx"))
        rows.append((_at(day, 14), "yamamoto@example.co.jp", "read", "//fs01/mfg/secret/c1.xlsx"))
        rows.append((_at(day, 3), "svc-backup@example.co.jp", "read", "//fs01/mfg/work"))
    for day in _workdays(NOTICE - datetime.timedelta(days=30), NOTICE - datetime.timedelta(days=4)):
        for n in range(4):
            rows.append(
                (_at(day, 16), "yamamoto@example.co.jp", "usb_copy", f"//fs01/mfg/secret/c{n}.xlsx")
            )
    for n in range(5):
        rows.append(
            (
                _at(NOTICE - datetime.timedelta(days=9), 17),
                "yamamoto@example.co.jp",
                "read",
                f"//fs01/hr/給与一覧_{n}.xlsx",
            )
        )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(("time", "user", "action", "object", "size", "device", "source", "host"))
        for time, user, action, obj in rows:
            writer.writerow((time, user, action, obj, 1000, "", "fileserver", "PC-01"))
    return path


@pytest.fixture
def world(db, officer, tmp_path) -> World:
    with acting_as(officer):
        department = people_services.department_get_or_create(name="製造技術部")
        leaver = factories.person(
            "山本 翔太",
            email="Yamamoto@example.co.jp",
            department=department,
            employee_number="LM-0005",
        )
        colleague = factories.person(
            "中村 彩", email="nakamura@example.co.jp", department=department
        )
        stayer = factories.person("加藤 恵", email="", department=department)
        conditions = factories.asset("成膜条件シート", storage_location="\\\\fs01\\mfg\\secret")
        salary = factories.asset("給与一覧", secrecy_class="秘", storage_location="人事部の棚")
        factories.grant(leaver, conditions, valid_from=START, granted_by=officer)
        services.asset_path_add(asset=salary, pattern="給与一覧")
        services.alias_add(person=stayer, account="kato")
        lifecycle_services.person_give_notice(
            person=leaver, notice_on=NOTICE, last_day=NOTICE + datetime.timedelta(days=30)
        )
    leaver.refresh_from_db()
    return World(leaver, colleague, stayer, conditions, salary, write_log(tmp_path / "log.csv"))


@pytest.fixture
def analysed(world, officer) -> World:
    with acting_as(officer):
        services.log_import(path=world.log, fmt="generic", user=officer)
        services.analysis_run(user=officer, today=TODAY)
    return world
