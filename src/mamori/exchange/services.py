"""Write a checked import: every row of every sheet, in dependency order, all or none."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.accounts.models import User
from mamori.core.cells import key_text
from mamori.core.errors import ApplicationError
from mamori.core.progress import Progress
from mamori.exchange.planning import ImportPlan, Pending, PlannedRow, RowError, SheetPlan
from mamori.exchange.writers import CREATED, UNCHANGED, UPDATED, WriteContext, WriteRow

__all__ = ["ExchangeImportError", "ImportResult", "exchange_import"]

CHUNK = 500


class ExchangeImportError(ApplicationError):
    """The import was refused; ``errors`` lists every problem by sheet, row and column."""

    def __init__(self, errors: list[RowError]):
        super().__init__(_("The file has errors; nothing was imported."), field="file")
        self.errors = errors


@dataclass
class ImportResult:
    counts: dict[str, Counter] = field(default_factory=dict)  # register -> outcome -> rows
    sheets: dict[str, str] = field(default_factory=dict)  # register -> sheet in the file

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())


@dataclass
class _Written:
    """Records written so far, for rows that refer to records the file itself adds."""

    by_key: dict[tuple[str, str], models.Model] = field(default_factory=dict)
    failed: set[tuple[str, str]] = field(default_factory=set)

    def remember(self, plan: SheetPlan, row: PlannedRow, record: models.Model | None) -> None:
        for name in plan.register.refer_by:
            value = row.values.get(name)
            if record is not None and value in (None, ""):
                value = getattr(record, name, "")
            if value not in (None, ""):
                key = (plan.register.name, key_text(value))
                if record is None:
                    self.failed.add(key)
                else:
                    self.by_key[key] = record


def _in_bulk(model: type[models.Model], pks: set[Any]) -> dict[Any, models.Model]:
    found: dict[Any, models.Model] = {}
    ordered = sorted(pks)
    for start in range(0, len(ordered), CHUNK):
        found.update(model._default_manager.in_bulk(ordered[start : start + CHUNK]))
    return found


def _records(plan: SheetPlan, registry: Any) -> dict[tuple[str, Any], models.Model]:
    """Load, in a few queries, the records the sheet updates and the ones it refers to."""
    wanted: dict[str, set[Any]] = {plan.register.name: set()}
    for row in plan.rows:
        if row.instance_pk is not None:
            wanted[plan.register.name].add(row.instance_pk)
        for name, ref in row.refs.items():
            target = plan.register.column(name).ref
            for item in ref if isinstance(ref, list) else [ref]:
                if not isinstance(item, Pending):
                    wanted.setdefault(target, set()).add(item)
    records: dict[tuple[str, Any], models.Model] = {}
    for register_name, pks in wanted.items():
        model = registry[register_name].model
        for pk, record in _in_bulk(model, pks).items():
            records[(register_name, pk)] = record
    return records


def _values(
    plan: SheetPlan,
    row: PlannedRow,
    records: dict[tuple[str, Any], models.Model],
    written: _Written,
    *,
    later: bool = False,
) -> dict[str, Any] | None:
    """Return the row's values with references as records; ``None`` when a record it
    refers to could not be written (that row's error is reported already).

    References to the row's own register (a person's manager) may name a row further
    down the sheet: they are left out, unless ``later`` (once every row is written, for
    the register's ``finish`` step)."""
    own = plan.register.own_references()
    values = {} if later else {k: v for k, v in row.values.items() if k not in own}

    def record_of(target: str, item: Any) -> models.Model | None:
        if isinstance(item, Pending):
            return written.by_key.get((item.register, item.key))
        return records.get((target, item))

    for name, ref in row.refs.items():
        if (name in own) != later:
            continue
        target = plan.register.column(name).ref
        if isinstance(ref, list):
            found = [record_of(target, item) for item in ref]
            if any(record is None for record in found):
                return None
            values[name] = found
        else:
            record = record_of(target, ref)
            if record is None:
                return None
            values[name] = record
    return values


@transaction.atomic
def exchange_import(
    *,
    plan: ImportPlan,
    user: User | None,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Write every row of a checked import plan through the registers' services.

    A row whose natural key matched a record updates it (blank cells keep the current
    value); any other row adds a record. Registers are written in dependency order (a
    person before the grants that name them), then the ``finish`` steps run (departures
    after the grants of those who left). Every refused row is collected; when there is
    any, ``ExchangeImportError`` lists them all and nothing is written.
    """
    from mamori.exchange.spec import get_registry

    if plan.errors:
        raise ExchangeImportError(plan.errors)
    registry = get_registry()
    progress = progress or Progress()
    context = WriteContext(user=user, today=today or timezone.localdate())
    result = ImportResult()
    errors: list[RowError] = []
    written = _Written()
    finished: list[tuple[SheetPlan, PlannedRow, dict[str, Any], models.Model, str]] = []
    for sheet in plan.sheets:
        register = sheet.register
        counts = result.counts.setdefault(register.name, Counter())
        result.sheets[register.name] = sheet.sheet
        progress.step(sheet.sheet, total=len(sheet.rows))
        records = _records(sheet, registry)
        for row in sheet.rows:
            progress.advance()
            values = _values(sheet, row, records, written)
            if values is None:
                written.remember(sheet, row, None)
                continue
            instance = records.get((register.name, row.instance_pk))
            try:
                with transaction.atomic():
                    record, outcome = register.writer(WriteRow(values, instance), context)
            except (ApplicationError, IntegrityError) as exc:
                errors.append(_row_error(sheet, row, exc))
                written.remember(sheet, row, None)
                continue
            written.remember(sheet, row, record)
            counts[outcome] += 1
            if register.finish is not None:
                finished.append((sheet, row, values, record, outcome))
    loaded: dict[int, dict[tuple[str, Any], models.Model]] = {}
    for sheet, row, values, record, outcome in finished:
        if sheet.register.own_references():
            if id(sheet) not in loaded:
                loaded[id(sheet)] = _records(sheet, registry)
            own = _values(sheet, row, loaded[id(sheet)], written, later=True)
            if own is None:
                continue  # the row it names was refused: that row's error is reported
            values = {**values, **own}
        try:
            with transaction.atomic():
                changed = sheet.register.finish(WriteRow(values, record), record, context)
        except (ApplicationError, IntegrityError) as exc:
            errors.append(_row_error(sheet, row, exc))
            continue
        if changed and outcome == UNCHANGED:
            result.counts[sheet.register.name][UNCHANGED] -= 1
            result.counts[sheet.register.name][UPDATED] += 1
    if errors:
        raise ExchangeImportError(errors)
    for counter in result.counts.values():
        for outcome in (CREATED, UPDATED, UNCHANGED):
            counter.setdefault(outcome, 0)
    return result


def _row_error(sheet: SheetPlan, row: PlannedRow, exc: Exception) -> RowError:
    if isinstance(exc, ApplicationError):
        return RowError(sheet.sheet, row.row, sheet.header_of(exc.field), exc.message)
    return RowError(
        sheet.sheet,
        row.row,
        "",
        _("This row clashes with a record saved in the meantime; import the file again."),
    )
