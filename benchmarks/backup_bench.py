"""Backup and restore: time and size for the demo company and for a bigger database.

    .venv/bin/python benchmarks/backup_bench.py [--rows 100000] [--files 200] [--file-kb 100]

Works in a throw-away database (SQLite in a temporary data directory, or the database in
MAMORI_DATABASE_URL — use a scratch one: its tables are emptied). For each data set it
runs ``mamori backup``, empties the tables and the uploads, runs ``mamori restore`` and
checks that every table and file came back identical, then prints rows, files, archive
size and seconds. The bigger set adds people, information assets and access grants by
bulk insert (about ``--rows`` rows) and evidence files of random bytes.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows to add for the big set")
    parser.add_argument("--files", type=int, default=200, help="evidence files to add")
    parser.add_argument("--file-kb", type=int, default=100, help="size of each file")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def setup_django() -> Path | None:
    """Configure Django on a scratch database; return the data directory made for it."""
    scratch = None
    if not os.environ.get("MAMORI_DATABASE_URL"):
        scratch = Path(tempfile.mkdtemp(prefix="mamori-backup-bench-"))
        os.environ["MAMORI_DATA_DIR"] = str(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamori.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return scratch


def media_hashes() -> dict[str, str]:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def empty_installation() -> None:
    from django.conf import settings
    from django.db import connection

    from mamori.backup.tables import included_tables

    with connection.cursor() as cursor:
        for table in reversed(included_tables()):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table.name)}")  # noqa: S608
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def add_bulk(rows: int, files: int, file_kb: int, seed: int) -> None:
    """Add people, assets and grants (and evidence files) by bulk insert, unaudited."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from mamori.accounts.models import User
    from mamori.assessment.models import ChecklistAnswer, Evidence
    from mamori.assets.models import AccessGrant, InformationAsset, SecrecyClass
    from mamori.people.models import Person

    rng = random.Random(seed)
    today = datetime.date.today()
    people_n, assets_n = max(rows // 50, 10), max(rows // 10, 10)
    grants_n = rows - people_n - assets_n
    Person.objects.bulk_create(
        Person(
            employee_number=f"B-{i:06d}",
            name=f"社員 {i:06d}",
            email=f"bench{i}@example.jp",
            joined_on=today - datetime.timedelta(days=rng.randint(30, 3000)),
        )
        for i in range(people_n)
    )
    classes = list(SecrecyClass.objects.all())
    InformationAsset.objects.bulk_create(
        (
            InformationAsset(
                name=f"技術資料 {i:06d}",
                kind="document",
                secrecy_class=rng.choice(classes),
                description="試作条件と評価結果をまとめた社内資料。" * 3,
                marking="ヘッダーに「秘」",
                separation="権限者のみのフォルダ",
            )
            for i in range(assets_n)
        ),
        batch_size=2000,
    )
    people = list(
        Person.objects.filter(employee_number__startswith="B-").values_list("pk", flat=True)
    )
    assets = list(InformationAsset.objects.values_list("pk", flat=True))
    officer = User.objects.filter(role="officer").first()
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < grants_n:
        pairs.add((rng.choice(people), rng.choice(assets)))
    AccessGrant.objects.bulk_create(
        (
            AccessGrant(
                person_id=person,
                asset_id=asset,
                reason="業務上必要",
                granted_by=officer,
                valid_from=today - datetime.timedelta(days=rng.randint(1, 900)),
            )
            for person, asset in pairs
        ),
        batch_size=5000,
    )
    answer, _ = ChecklistAnswer.objects.get_or_create(row_id="urn:mamori:row:common:organisation")
    for i in range(files):
        data = rng.randbytes(file_kb * 1024)
        digest = hashlib.sha256(data).hexdigest()
        evidence = Evidence(
            answer=answer,
            kind="file",
            title=f"証跡 {i}",
            effective_date=today,
            original_name=f"evidence-{i}.bin",
            size=len(data),
            sha256=digest,
            added_by=officer,
            created_at=timezone.now(),
        )
        evidence.file.save(f"evidence-{i}.bin", ContentFile(data), save=False)
        Evidence.objects.bulk_create([evidence])


def measure(label: str, folder: Path) -> tuple:
    from mamori.backup.selectors import table_fingerprints
    from mamori.backup.services import backup_create, backup_restore

    archive = folder / f"{label}.tar.gz"
    started = time.perf_counter()
    made = backup_create(output=archive)
    backup_seconds = time.perf_counter() - started
    # After the backup: it adds its own entry to the audit log before reading.
    before, files = table_fingerprints(), media_hashes()
    empty_installation()
    started = time.perf_counter()
    restored = backup_restore(path=archive)
    restore_seconds = time.perf_counter() - started
    same = table_fingerprints() == before and media_hashes() == files
    return (
        label,
        made.rows,
        made.files,
        made.file_bytes,
        made.archive_bytes,
        backup_seconds,
        restore_seconds,
        restored.rows == made.rows and same,
    )


def main() -> int:
    args = parse_args()
    scratch = setup_django()
    from django.db import connection, transaction

    from mamori.core.actor import Actor, acting_as
    from mamori.demo.builder import build_demo

    print(f"database: {connection.vendor}")
    folder = Path(tempfile.mkdtemp(prefix="mamori-bench-archives-"))
    results = []
    with acting_as(Actor(user_id=None, label="bench")):
        build_demo()
        results.append(measure("demo", folder))
        with transaction.atomic():
            add_bulk(args.rows, args.files, args.file_kb, args.seed)
        results.append(measure(f"demo+{args.rows // 1000}k", folder))
    print(
        f"{'data set':<12} {'rows':>9} {'files':>6} {'file MB':>8} {'archive MB':>11} "
        f"{'backup s':>9} {'restore s':>10} {'rows/s (b/r)':>16}  identical"
    )
    ok = True
    for label, rows, files, file_bytes, size, backup_s, restore_s, same in results:
        ok = ok and same
        print(
            f"{label:<12} {rows:>9,} {files:>6} {file_bytes / 1e6:>8.1f} {size / 1e6:>11.2f} "
            f"{backup_s:>9.2f} {restore_s:>10.2f} "
            f"{rows / backup_s:>8,.0f}/{rows / restore_s:<7,.0f}"
            f"  {'yes' if same else 'NO'}"
        )
    shutil.rmtree(folder, ignore_errors=True)
    if scratch is not None:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
