"""Excel and CSV at real size: the full export, and re-importing a large register.

    .venv/bin/python benchmarks/exchange_bench.py [scale.py's size options]

Builds the registers of ``scale.py`` in a throw-away database, then prints the time and
size of the full workbook export, of the people register as CSV, and of checking and
importing the exported people sheet again (every row matches its record: nothing is
written) and a sheet of new people with their grants (everything is written through the
services, audited).
"""

from __future__ import annotations

import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

import scale


def timed(label: str, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    print(f"{label:<44} {time.perf_counter() - started:8.2f} s")
    return result


def main() -> None:
    args = scale.parse_args()
    scale.setup_django()
    from django.db import connection
    from openpyxl import Workbook

    from mamori.core.actor import acting_as
    from mamori.exchange.export import export_csv, export_workbook
    from mamori.exchange.planning import plan_import
    from mamori.exchange.services import exchange_import
    from mamori.exchange.spec import get_registry

    print(f"database: {connection.vendor}; {args.people} people, {args.assets} assets, ")
    print(f"{args.grants} grants, {args.contracts} contracts, {args.disclosures} disclosures")
    objects = timed("build data (bulk insert)", scale.build, args)
    officer = objects["officer"]
    registry = get_registry()
    with acting_as(officer):
        book = timed("export: every register (xlsx)", export_workbook, user=officer)
        print(f"  {sum(book.rows.values())} rows, {len(book.content) // 1024} KB")
        people_csv = timed(
            "export: people (csv)", export_csv, register=registry["people"], user=officer
        )
        print(f"  {len(people_csv.content) // 1024} KB")
        people = timed(
            "export: people (xlsx)",
            export_workbook,
            registers=[registry["people"]],
            user=officer,
        )
        plan = timed("import check: people again", plan_import, people.content, "p.xlsx")
        result = timed(
            "import: people again (all unchanged)", exchange_import, plan=plan, user=officer
        )
        print(f"  {dict(result.counts['people'])}")
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "人員"
        sheet.append(["社員番号", "氏名", "区分"])
        for number in range(2000):
            sheet.append([f"N-{number:05}", f"新人 {number}", "従業員"])
        grants = workbook.create_sheet("アクセス権限")
        grants.append(["対象者", "情報資産", "必要な理由", "開始日"])
        assets = list(registry["assets"].model.objects.values_list("name", flat=True)[:5])
        for number in range(2000):
            for asset in assets[: 1 + number % 3]:
                grants.append([f"N-{number:05}", asset, "業務に必要", "2026/04/01"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        plan = timed(
            "import check: 2,000 new people + grants", plan_import, buffer.getvalue(), "new.xlsx"
        )
        print(f"  {plan.row_count} rows, {len(plan.errors)} errors")
        result = timed(
            "import: 2,000 new people + grants", exchange_import, plan=plan, user=officer
        )
        print(f"  {result.total('created')} created")


if __name__ == "__main__":
    main()
