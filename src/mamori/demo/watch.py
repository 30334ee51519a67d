"""The demo company's access logs, for the departure watch.

Five months of file-server activity for everyone (the generic CSV schema) and the USB
events of the Windows PCs (removable-storage events as CSV). In the weeks before his
notice 山本 翔太 copies the film-forming conditions and the coating formula to a USB
stick, one evening sixty files at once, and opens the 極秘 material report he holds no
grant for. Everyone else works as usual: 中村 copies measurement data to USB as her job
always has, 鈴木 prints. A few thousand events, imported and analysed in about a second.
"""

from __future__ import annotations

import csv
import datetime
import json
import random
import tempfile
from pathlib import Path

from mamori.accounts.models import User
from mamori.assets.models import InformationAsset
from mamori.core.actor import acting_as
from mamori.people.models import Person
from mamori.watch import services
from mamori.watch.models import LogImport

DOMAIN = "luminous-lab.example"
SERVER = "\\\\lumi-fs01"
# Where each demo asset lives on the file server: (asset name, folder or file name).
ASSET_PATHS = (
    ("成膜条件シート", SERVER + "\\製造技術\\極秘\\成膜条件"),
    ("コーティング配合表 第3版", SERVER + "\\研究開発\\極秘\\配合表"),
    ("材料評価レポート", SERVER + "\\研究開発\\極秘\\材料評価"),
    ("原料調達先リスト", "原料調達先リスト"),
    ("封止工程 作業手順書", SERVER + "\\製造技術\\手順書\\封止"),
    ("前処理工程 作業手順書", SERVER + "\\製造技術\\手順書\\前処理"),
    ("耐湿試験データ 2025–2026", SERVER + "\\研究開発\\評価データ\\耐湿"),
    ("成膜装置カスタマイズ図面", SERVER + "\\製造技術\\図面\\成膜装置"),
    ("製品カタログ草案", SERVER + "\\事業開発\\カタログ"),
)
# Who works where, and on what (person key -> folders they use day to day).
WORK = {
    "tanaka": ("\\経営企画\\取締役会", "\\事業開発\\カタログ"),
    "sato": ("\\研究開発\\極秘\\配合表", "\\研究開発\\極秘\\材料評価", "\\研究開発\\共有"),
    "suzuki": ("\\研究開発\\共有", "\\製造技術\\手順書\\封止", "\\研究開発\\評価データ\\耐湿"),
    "takahashi": ("\\研究開発\\評価データ\\耐湿", "\\研究開発\\共同研究"),
    "yamamoto": ("\\製造技術\\極秘\\成膜条件", "\\製造技術\\手順書\\前処理", "\\製造技術\\共有"),
    "nakamura": ("\\製造技術\\手順書\\封止", "\\品質保証\\記録"),
    "kobayashi": ("\\事業開発\\カタログ", "\\事業開発\\顧客"),
    "kato": ("\\経営企画\\調達", "\\経営企画\\経理"),
    "yoshida": ("\\研究開発\\評価データ\\耐湿",),
    "inoue": ("\\研究開発\\共有", "\\製造技術\\共有"),
}
FILES = ("{n:02d}_記録.xlsx", "{n:02d}_報告.docx", "{n:02d}_データ.csv", "{n:02d}_メモ.txt")
YAMAMOTO_USB = ("\\製造技術\\極秘\\成膜条件", "\\研究開発\\極秘\\配合表")
DAYS = 150


def build_watch(users: dict[str, User], today: datetime.date) -> None:
    """Import the demo logs and run the analysis, as the officer."""
    people = {
        person.email.split("@")[0]: person
        for person in Person.objects.filter(email__endswith="@" + DOMAIN)
    }
    if "yamamoto" not in people or people["yamamoto"].notice_given_on is None:
        return
    if not LogImport.objects.exists():
        # The store belongs to this database; events left by an earlier one are orphans.
        services.store_reset()
    rng = random.Random(20260401)  # noqa: S311 - demo data, not secrets
    notice = people["yamamoto"].notice_given_on
    generic, usb = _events(rng, people, today, notice)
    with acting_as(users["sato"]), tempfile.TemporaryDirectory() as scratch:
        assets = {asset.name: asset for asset in InformationAsset.objects.all()}
        for name, pattern in ASSET_PATHS:
            if name in assets:
                services.asset_path_add(asset=assets[name], pattern=pattern)
        services.alias_add(
            person=people["yamamoto"], account="LUMINOUS\\yamamoto", note="Windows サインイン"
        )
        services.alias_add(
            person=people["nakamura"], account="LUMINOUS\\nakamura", note="Windows サインイン"
        )
        generic_path = Path(scratch) / "fileserver-audit.csv"
        usb_path = Path(scratch) / "usb-events.csv"
        _write(
            generic_path,
            ("time", "user", "action", "object", "size", "device", "source", "host"),
            generic,
        )
        _write(
            usb_path,
            (
                "TimeCreated",
                "Id",
                "Task",
                "TaskDisplayName",
                "MachineName",
                "SubjectUserName",
                "SubjectDomainName",
                "ObjectName",
                "AccessMask",
                "RecordId",
            ),
            usb,
        )
        services.log_import(path=generic_path, fmt="generic", user=users["sato"])
        _local_write_and_device(usb, people, notice)
        services.log_import(path=usb_path, fmt="windows", user=users["sato"])
        config = services.watch_settings()
        services.settings_save(
            before_days=config.before_days,
            after_days=config.after_days,
            work_start_hour=config.work_start_hour,
            work_end_hour=config.work_end_hour,
            threshold=config.threshold,
            company_domains=DOMAIN,
        )
        drive_path = Path(scratch) / "drive-log.jsonl"
        drive_path.write_text(_drive_log(people, notice), encoding="utf-8")
        services.log_import(path=drive_path, fmt="gws", user=users["sato"])
        services.analysis_run(user=users["sato"], today=today)


def _local_write_and_device(usb: list[tuple], people: dict[str, Person], notice: datetime.date):
    """A write to a file on 山本's own C: drive (File System, an access, never a USB copy)
    and the USB stick he plugged in (6416, a device)."""
    day = notice - datetime.timedelta(days=9)
    host = f"LUMI-PC{sorted(people).index('yamamoto') + 1:02d}"
    usb.append(
        (
            f"{day.isoformat()}T21:05:00+09:00",
            6416,
            13316,
            "Plug and Play Events",
            host,
            "yamamoto",
            "LUMINOUS",
            "",
            "",
            900001,
        )
    )
    usb.append(
        (
            f"{day.isoformat()}T21:07:00+09:00",
            4663,
            12800,
            "File System",
            host,
            "yamamoto",
            "LUMINOUS",
            "C:\\Users\\yamamoto\\Documents\\引継ぎメモ.docx",
            "0x6",
            900002,
        )
    )


def _drive_log(people: dict[str, Person], notice: datetime.date) -> str:
    """Two Drive sharing changes by 山本: the coating formula to an outside address (an
    outside share) and a handover note to a colleague (inside the company)."""
    email = people["yamamoto"].email
    colleague = people["nakamura"].email
    lines = []
    for number, (title, target, hour) in enumerate(
        [("配合表_2026.xlsx", "yamamoto.private@gmail.example", 22), ("引継ぎメモ", colleague, 10)]
    ):
        day = notice - datetime.timedelta(days=6 - number)
        activity = {
            "kind": "admin#reports#activity",
            "id": {
                "time": f"{day.isoformat()}T{hour - 9:02d}:30:00Z",
                "uniqueQualifier": str(number + 1),
            },
            "actor": {"email": email},
            "ipAddress": "203.0.113.10",
            "events": [
                {
                    "type": "acl_change",
                    "name": "change_user_access",
                    "parameters": [
                        {"name": "doc_title", "value": title},
                        {"name": "target_user", "value": target},
                        {"name": "visibility", "value": "private"},
                    ],
                }
            ],
        }
        lines.append(json.dumps(activity, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def _write(path: Path, header: tuple[str, ...], rows: list[tuple]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _stamp(day: datetime.date, hour: float) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(hours=hour)


def _events(
    rng: random.Random, people: dict[str, Person], today: datetime.date, notice: datetime.date
) -> tuple[list[tuple], list[tuple]]:
    generic: list[tuple] = []
    usb: list[tuple] = []
    record = [1000]

    def file_event(key: str, moment: datetime.datetime, action: str, folder: str, n: int) -> None:
        name = rng.choice(FILES).format(n=n)
        generic.append(
            (
                moment.strftime("%Y-%m-%dT%H:%M:%S+09:00"),
                people[key].email,
                action,
                f"{SERVER}{folder}\\{name}",
                rng.randint(20_000, 3_000_000),
                "",
                "fileserver",
                f"LUMI-PC{sorted(people).index(key) + 1:02d}",
            )
        )

    def usb_event(key: str, moment: datetime.datetime, source_folder: str, n: int) -> None:
        record[0] += 1
        name = rng.choice(FILES).format(n=n)
        usb.append(
            (
                moment.strftime("%Y-%m-%dT%H:%M:%S+09:00"),
                4663,
                12812,
                "Removable Storage",
                f"LUMI-PC{sorted(people).index(key) + 1:02d}",
                key,
                "LUMINOUS",
                f"E:\\{source_folder.rsplit(chr(92), 1)[-1]}\\{name}",
                "0x2",
                record[0],
            )
        )

    first = today - datetime.timedelta(days=DAYS)
    for offset in range(DAYS):
        day = first + datetime.timedelta(days=offset)
        if day.isoweekday() >= 6:
            continue
        for key, folders in WORK.items():
            if key not in people or rng.random() < 0.08:
                continue
            person = people[key]
            if person.joined_on and person.joined_on > day:
                continue
            for _ in range(rng.randint(1, 4)):
                hour = rng.uniform(9, 18.5)
                action = rng.choices(("read", "edit", "download", "print"), (6, 3, 1, 0.4))[0]
                if key == "suzuki" and rng.random() < 0.2:
                    action = "print"
                file_event(key, _stamp(day, hour), action, rng.choice(folders), rng.randint(1, 40))
            if key == "nakamura" and rng.random() < 0.5:
                for _ in range(rng.randint(1, 3)):
                    usb_event(
                        key,
                        _stamp(day, rng.uniform(10, 17)),
                        "\\品質保証\\記録",
                        rng.randint(1, 40),
                    )
    # 山本: USB copies of the conditions and the formula in the five weeks before notice.
    for days_before in sorted(rng.sample(range(4, 36), 11), reverse=True):
        day = notice - datetime.timedelta(days=days_before)
        if day.isoweekday() >= 6:
            continue
        for _ in range(rng.randint(3, 8)):
            folder = rng.choice(YAMAMOTO_USB)
            moment = _stamp(day, rng.uniform(12, 19))
            file_event("yamamoto", moment, "read", folder, rng.randint(1, 40))
            usb_event(
                "yamamoto", moment + datetime.timedelta(seconds=20), folder, rng.randint(1, 40)
            )
    evening = notice - datetime.timedelta(days=9)
    while evening.isoweekday() >= 6:
        evening -= datetime.timedelta(days=1)
    for index in range(60):
        folder = YAMAMOTO_USB[index % 2]
        moment = _stamp(evening, 21 + index / 40)
        file_event("yamamoto", moment, "download", folder, index % 40 + 1)
        usb_event("yamamoto", moment + datetime.timedelta(seconds=30), folder, index % 40 + 1)
    for days_before in (12, 11, 7):
        day = notice - datetime.timedelta(days=days_before)
        for _ in range(rng.randint(3, 6)):
            file_event(
                "yamamoto",
                _stamp(day, rng.uniform(17, 19)),
                "read",
                "\\研究開発\\極秘\\材料評価",
                rng.randint(1, 40),
            )
    # Accounts nobody is matched to: a backup service and the built-in administrator.
    for offset in range(0, DAYS, 7):
        day = first + datetime.timedelta(days=offset)
        generic.append(
            (
                _stamp(day, 2.5).strftime("%Y-%m-%dT%H:%M:%S+09:00"),
                f"svc-backup@{DOMAIN}",
                "read",
                f"{SERVER}\\研究開発\\共有",
                0,
                "",
                "fileserver",
                "LUMI-BACKUP",
            )
        )
    generic.append(
        (
            _stamp(today - datetime.timedelta(days=20), 10).strftime("%Y-%m-%dT%H:%M:%S+09:00"),
            "LUMINOUS\\administrator",
            "logon",
            "",
            "",
            "",
            "ad",
            "LUMI-DC01",
        )
    )
    return generic, usb
