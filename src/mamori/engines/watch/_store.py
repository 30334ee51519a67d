"""The analytic store: one DuckDB file of events, and the import into it.

Events are kept apart from the application database: a company's logs run to tens of
millions of rows, which a columnar engine aggregates in well under a second. The file is
opened by one process at a time (DuckDB's lock); a second one gets ``StoreBusyError``.

Times are stored as the company's local wall-clock time (the zone is given when the store
is opened; a time written with an offset is converted, one without is taken as local).
"""

# SQL here is built only from known column names, kinds and integers; values are bound.
# ruff: noqa: S608

from __future__ import annotations

import csv
import datetime
import hashlib
import tempfile
import threading
import time
import zoneinfo
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb

from mamori.engines.watch._catalogue import normalise_domains
from mamori.engines.watch._gws import read_gws
from mamori.engines.watch._m365 import read_m365
from mamori.engines.watch._model import (
    FORMAT_ALIASES,
    Format,
    FormatError,
    ImportOptions,
    ImportSummary,
    Kind,
    LineError,
    StoreBusyError,
    StoreStats,
    WatchError,
)
from mamori.engines.watch._readers import (
    GENERIC_ACTIONS,
    REQUIRED_COLUMNS,
    Context,
    Row,
    generic_header,
    open_text,
    read_generic_csv,
    read_generic_jsonl,
)
from mamori.engines.watch._sniff import guess_format
from mamori.engines.watch._times import DATE_ORDERS, NeedDateOrder, Times, parse_time
from mamori.engines.watch._windows import is_evtx, read_evtx, read_windows

STORE_FILE = "events.duckdb"
SCHEMA_VERSION = "1"
MAX_ERRORS = 20  # line errors kept per import; the rest are counted
HEAD_BYTES = 1 << 20

Progress = Callable[[float, str], None]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY,
    fingerprint VARCHAR UNIQUE NOT NULL,
    file_name VARCHAR,
    format VARCHAR,
    imported_at TIMESTAMP,
    records BIGINT,
    added BIGINT,
    duplicates BIGINT,
    skipped BIGINT,
    first_ts TIMESTAMP,
    last_ts TIMESTAMP,
    size BIGINT,
    head VARCHAR  -- SHA-256 of the format and the first MiB: a cheap first look
);
CREATE TABLE IF NOT EXISTS events (
    id UBIGINT,  -- hash of the id the source gives the event; NULL without one
    ts TIMESTAMP,
    account VARCHAR,
    kind UTINYINT,
    action VARCHAR,
    object VARCHAR,
    size BIGINT,
    device VARCHAR,
    host VARCHAR,
    source VARCHAR,
    import_id INTEGER
);
"""


# How an event is identified: by the id its source gives it, otherwise by its fields.
def fingerprint(path: Path, fmt: str = "generic") -> str:
    """Return the SHA-256 of the format and the file's content: the same file in the same
    format is imported once (read in another format it is another import)."""
    digest = hashlib.sha256(f"mamori-watch:{fmt}\n".encode())
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _head(path: Path, fmt: str) -> str:
    with path.open("rb") as handle:
        return hashlib.sha256(f"{fmt}\n".encode() + handle.read(HEAD_BYTES)).hexdigest()


class _Errors:
    """The line errors of one import: the first ``MAX_ERRORS`` kept, every line counted;
    memory stays the same however many lines are bad."""

    def __init__(self) -> None:
        self.first: list[LineError] = []
        self.count = 0
        self._last = -1

    def add(self, error: LineError) -> None:
        if error.line != self._last:
            self.count += 1
            self._last = error.line
        if len(self.first) < MAX_ERRORS:
            self.first.append(error)


class _Fingerprint(threading.Thread):
    """The file's SHA-256, computed beside the import (hashlib releases the GIL)."""

    def __init__(self, path: Path, fmt: str) -> None:
        super().__init__(daemon=True)
        self.path, self.fmt = path, fmt
        self.digest = ""
        self.newlines = 0  # line ends in the file: records of a CSV without quoted ones
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            digest = hashlib.sha256(f"mamori-watch:{self.fmt}\n".encode())
            newlines = 0
            with self.path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
                    newlines += chunk.count(b"\n")
            self.digest, self.newlines = digest.hexdigest(), newlines
        except BaseException as exc:  # handed to the importing thread
            self.error = exc

    def result(self) -> str:
        if self.ident is not None:  # started as a thread, not run in place
            self.join()
        if self.error is not None:
            raise self.error
        return self.digest


def _kind_sql(column: str, object_column: str) -> str:
    """A SQL expression giving the kind of a generic action (see ``generic_kind``).

    The action is first compared as written with the vocabulary, which costs nothing on
    ten million rows; only an action written otherwise (``USB Copy``, ``usb-copy``) is
    lower-cased and compared with its spelling variants.
    """
    groups: dict[int, list[str]] = {}
    for name, kind in GENERIC_ACTIONS.items():
        groups.setdefault(int(kind), []).append(name)
    # The commonest kinds first: most events are accesses.
    order = [Kind.ACCESS, Kind.DOWNLOAD, Kind.OTHER, Kind.PRINT, Kind.REMOVABLE, Kind.EMAIL]
    order += [kind for kind in Kind if kind not in order]
    exact = " ".join(
        f"WHEN {name!r} THEN {int(kind)}" for kind in order for name in groups.get(int(kind), [])
    )
    variants = {
        kind: sorted(
            {v for name in names for v in (name, name.replace("_", " "), name.replace("_", "-"))}
        )
        for kind, names in groups.items()
    }
    action = f"lower(trim({column}))"
    fallback = " ".join(
        f"WHEN {action} IN ({', '.join(repr(name) for name in names)}) THEN {kind}"
        for kind, names in sorted(variants.items())
    )
    return (
        f"CASE {column} {exact} ELSE (CASE {fallback} "
        f"WHEN coalesce({object_column}, '') <> '' THEN {int(Kind.ACCESS)} "
        f"ELSE {int(Kind.OTHER)} END) END"
    )


def _fixed_offset(zone: str) -> datetime.timedelta | None:
    """Return the zone's UTC offset when it never changes (Japan), else ``None``."""
    try:
        info = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    offsets = {
        datetime.datetime(year, month, 1, tzinfo=info).utcoffset()
        for year in (2000, 2025)
        for month in (1, 4, 7, 10)
    }
    return offsets.pop() if len(offsets) == 1 else None


class Store:
    """The events of every import, in ``directory/events.duckdb``.

    Use as a context manager. ``timezone`` is the company's (an IANA name), used to turn
    times with an offset into local time; ``memory_limit`` bounds DuckDB's memory, which
    spills to ``directory/tmp`` beyond it.
    """

    def __init__(
        self,
        directory: Path | str,
        *,
        timezone: str = "Asia/Tokyo",
        memory_limit: str = "1GB",
        threads: int | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "tmp").mkdir(exist_ok=True)
        config: dict[str, Any] = {
            "memory_limit": memory_limit,
            "temp_directory": str(self.directory / "tmp"),
            "preserve_insertion_order": False,
            # Everything runs offline: never fetch an extension.
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
        if threads:
            config["threads"] = threads
        try:
            self.con = duckdb.connect(str(self.directory / STORE_FILE), config=config)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreBusyError(
                    "the log store is in use by another import or analysis; try again later"
                ) from exc
            raise WatchError(f"cannot open the log store: {exc}") from exc
        self.timezone = timezone
        # Progress is read by the importer (query_progress), never printed by DuckDB.
        self.con.execute("SET enable_progress_bar = true")
        self.con.execute("SET enable_progress_bar_print = false")
        # Times without an offset are read in the company's zone; all are stored as its
        # wall-clock time. A fixed offset is plain arithmetic, far cheaper than ICU.
        self.con.execute("SET TimeZone = ?", [timezone])
        offset = _fixed_offset(timezone)
        self._local = (
            f"make_timestamp(epoch_us({{0}}) + {int(offset.total_seconds() * 1_000_000)})"
            if offset is not None
            else "{0}::TIMESTAMP"
        )
        self.con.execute(SCHEMA)
        self.con.execute(
            "INSERT OR IGNORE INTO meta VALUES ('version', ?), ('timezone', ?)",
            [SCHEMA_VERSION, timezone],
        )

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # --- reading ------------------------------------------------------------------------

    def stats(self) -> StoreStats:
        events, first, last = self.con.execute(
            "SELECT count(*), min(ts), max(ts) FROM events"
        ).fetchone()
        imports = self.con.execute("SELECT count(*) FROM imports").fetchone()[0]
        return StoreStats(events=events, imports=imports, first_time=first, last_time=last)

    def is_imported(self, digest: str) -> bool:
        row = self.con.execute("SELECT 1 FROM imports WHERE fingerprint = ?", [digest])
        return row.fetchone() is not None

    def forget(self, digest: str) -> bool:
        """Remove the import of fingerprint ``digest`` with its events; return whether there
        was one. For an import whose record the application could not keep: a file is
        either imported and recorded, or leaves nothing behind."""
        row = self.con.execute("SELECT id FROM imports WHERE fingerprint = ?", [digest]).fetchone()
        if row is None:
            return False
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM events WHERE import_id = ?", [row[0]])
            self.con.execute("DELETE FROM imports WHERE id = ?", [row[0]])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return True

    # --- import ---------------------------------------------------------------------------

    def import_file(
        self,
        path: Path | str,
        fmt: str,
        *,
        file_name: str | None = None,
        progress: Progress | None = None,
        options: ImportOptions | None = None,
    ) -> ImportSummary:
        """Import one log file in format ``fmt`` and return what happened.

        The same file (by content) in the same format is imported once: a second import
        adds nothing and says so. An event already stored (the same id) is counted as a
        duplicate, not added. Malformed records are counted (the first ``MAX_ERRORS`` are
        reported with their line) and the rest is imported — unless no record can be read,
        or more than ``options.max_bad_share`` of them cannot: then ``FormatError`` is
        raised and nothing is stored, not even the fingerprint. ``FormatError`` is raised
        too when the file as a whole is not of the format (it names the columns expected
        and found, and the format the file looks like).
        """
        started = time.perf_counter()
        path = Path(path)
        name = file_name or path.name
        options = options or ImportOptions()
        fmt = FORMAT_ALIASES.get(fmt, fmt)
        try:
            fmt = Format(fmt).value
        except ValueError:
            raise FormatError("unknown_format", fmt) from None
        if options.date_order is not None and options.date_order not in DATE_ORDERS:
            raise FormatError("date_order", options.date_order, fmt=fmt)
        if not path.is_file():
            raise FormatError("not_file", str(path), fmt=fmt)
        report = progress or (lambda fraction, stage: None)
        report(0.0, "fingerprint")
        size, head = path.stat().st_size, _head(path, fmt)
        known = self.con.execute(
            "SELECT count(*) FROM imports WHERE size = ? AND head = ?", [size, head]
        ).fetchone()[0]
        # A file that may have been imported is fingerprinted first; any other one while
        # it is imported, which saves a second on a gigabyte.
        hasher = _Fingerprint(path, fmt)
        if known:
            hasher.run()
        else:
            hasher.start()
        if known and self.is_imported(digest := hasher.result()):
            return ImportSummary(
                file_name=name,
                format=fmt,
                fingerprint=digest,
                already_imported=True,
                records=0,
                added=0,
                duplicates=0,
                skipped=0,
                errors=(),
                first_time=None,
                last_time=None,
                seconds=time.perf_counter() - started,
            )
        import_id = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM imports").fetchone()[0]
        options = ImportOptions(
            company_domains=normalise_domains(options.company_domains),
            date_order=options.date_order,
            max_bad_share=options.max_bad_share,
        )
        self.con.execute("BEGIN TRANSACTION")
        try:
            loaded: tuple[int, _Errors] | None = None
            if fmt == Format.GENERIC and _duckdb_readable_csv(path):
                try:
                    loaded = self._load_generic_csv(path, import_id, report, hasher)
                except duckdb.InvalidInputException:
                    # A file DuckDB's reader gives up on as a whole (mixed line endings,
                    # say) is read line by line instead, so that only bad lines are lost.
                    self.con.execute("ROLLBACK")
                    self.con.execute("BEGIN TRANSACTION")
            if loaded is None:
                loaded = self._load_rows(path, fmt, import_id, report, options)
            good, errors = loaded
            records = good + errors.count
            if records == 0:
                raise FormatError("empty", fmt=fmt)
            if good == 0:
                raise FormatError(
                    "no_rows",
                    fmt=fmt,
                    records=records,
                    bad=errors.count,
                    errors=tuple(errors.first),
                )
            if errors.count > options.max_bad_share * records:
                raise FormatError(
                    "bad_share",
                    fmt=fmt,
                    records=records,
                    bad=errors.count,
                    errors=tuple(errors.first),
                    share=options.max_bad_share,
                )
            report(0.97, "deduplicate")
            duplicates = self._remove_duplicates(import_id)
            added, first, last = self.con.execute(
                "SELECT count(*), min(ts), max(ts) FROM events WHERE import_id = ?", [import_id]
            ).fetchone()
            digest = hasher.result()
            if self.is_imported(digest):  # same content under another first MiB: impossible
                raise WatchError("this file was imported already")  # pragma: no cover
            self.con.execute(
                """
                INSERT INTO imports (id, fingerprint, file_name, format, imported_at, records,
                    added, duplicates, skipped, first_ts, last_ts, size, head)
                VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    import_id,
                    digest,
                    name,
                    fmt,
                    records,
                    added,
                    duplicates,
                    errors.count,
                    first,
                    last,
                    size,
                    head,
                ],
            )
            self.con.execute("COMMIT")
        except FormatError as exc:
            self._abandon(hasher)
            guess = exc.suggestion or guess_format(path)
            raise exc.with_context(fmt=exc.fmt or fmt, suggestion=guess) from None
        except BaseException:
            self._abandon(hasher)
            raise
        report(1.0, "done")
        return ImportSummary(
            file_name=name,
            format=fmt,
            fingerprint=digest,
            already_imported=False,
            records=records,
            added=added,
            duplicates=duplicates,
            skipped=errors.count,
            errors=tuple(errors.first),
            first_time=first,
            last_time=last,
            seconds=time.perf_counter() - started,
        )

    def _abandon(self, hasher: _Fingerprint) -> None:
        """Undo an import that failed: no event and no fingerprint remain."""
        self.con.execute("ROLLBACK")
        if hasher.ident is not None:
            hasher.join()

    def _run(self, sql: str, params: list, report: Progress, low: float, high: float) -> list:
        """Run one long statement, reporting DuckDB's progress between ``low`` and ``high``."""
        done = threading.Event()

        def poll() -> None:
            while not done.wait(0.5):
                try:
                    percent = self.con.query_progress()
                except duckdb.Error:  # pragma: no cover - the statement just finished
                    continue
                if percent >= 0:
                    report(low + (high - low) * min(percent, 100.0) / 100.0, "load")

        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        try:
            return self.con.execute(sql, params).fetchall()
        finally:
            done.set()
            watcher.join()

    def _load_generic_csv(
        self, path: Path, import_id: int, report: Progress, hasher: _Fingerprint
    ) -> tuple[int, _Errors]:
        """Read the generic CSV with DuckDB's parallel reader (the fast path).

        Every record DuckDB can parse is inserted in one pass, the others are skipped
        (DuckDB keeps nothing of them: memory stays flat). When the file's line count says
        records were skipped, a streamed pass counts the records and finds the first bad
        lines to show. Records without time, user or action are then counted and removed.
        Return the number of good records and the errors.
        """
        with open_text(path) as text:
            names = generic_header(next(csv.reader(text), []))
        types = {"time": "TIMESTAMPTZ", "size": "BIGINT"}
        columns = {
            name or f"_extra{index}": types.get(name, "VARCHAR") for index, name in enumerate(names)
        }

        def col(name: str, default: str = "NULL") -> str:
            return f'"{name}"' if name in columns else default

        source_id = f"CASE WHEN trim({col('id')}) <> '' THEN hash(trim({col('id')})) END"
        # Values are stored as written (NULL when empty): accounts are compared
        # case-insensitively by the analysis, on the few distinct ones.
        sql = f"""
            INSERT INTO events
            SELECT {source_id}, {self._local.format("time")}, "user",
                   {_kind_sql("action", col("object"))}, action, {col("object")}, {col("size")},
                   {col("device")}, {col("host")}, {col("source")}, {import_id}
            FROM read_csv(?, header = true, auto_detect = false, delim = ',', quote = '"',
                          escape = '"', columns = {_struct(columns)}, ignore_errors = true)
        """
        inserted = self._run(sql, [str(path)], report, 0.05, 0.95)[0][0]
        errors = _Errors()
        hasher.result()
        plain = not path.name.endswith(".gz")
        with path.open("rb") as handle:
            handle.seek(max(path.stat().st_size - 1, 0))
            complete_last_line = handle.read(1) == b"\n"
        lines = hasher.newlines - 1 + (0 if complete_last_line else 1)  # after the header
        if not (plain and inserted == lines):
            records, examples = _scan_generic(path, names)
            for error in examples:
                errors.add(error)
            errors.count = max(records - inserted, 0)
        incomplete = "import_id = ? AND (ts IS NULL OR account IS NULL OR action IS NULL)"
        missing = self.con.execute(
            f"SELECT count(*) FROM events WHERE {incomplete}", [import_id]
        ).fetchone()[0]
        if missing:
            found = _Errors()
            for error in _incomplete_lines(path, names):
                found.add(error)
                if len(found.first) >= MAX_ERRORS:
                    break
            errors.first = sorted(errors.first + found.first, key=lambda e: e.line)[:MAX_ERRORS]
            errors.count += missing
            self.con.execute(f"DELETE FROM events WHERE {incomplete}", [import_id])
        return inserted - missing, errors

    def _load_rows(
        self, path: Path, fmt: str, import_id: int, report: Progress, options: ImportOptions
    ) -> tuple[int, _Errors]:
        """Read a file with a Python reader into a clean CSV, then load that.

        Dates written day/month or month/day are read in ``options.date_order``; without
        it the file is read once more to find the order its dates prove, and refused when
        they prove none (or both).
        """
        try:
            return self._write_rows(
                path, fmt, import_id, report, Times(options.date_order), options
            )
        except NeedDateOrder:
            pass
        detect = Times(detect=True)
        for _ in self._reader(path, fmt, Context(options=options, times=detect)):
            pass
        evidence = detect.evidence
        if evidence.day_first and evidence.month_first:
            example = f"{evidence.example_day_first} / {evidence.example_month_first}"
            raise FormatError("dates_conflict", example, fmt=fmt)
        order = evidence.decide()
        if order is None:
            raise FormatError("dates_ambiguous", evidence.example_either, fmt=fmt)
        return self._write_rows(path, fmt, import_id, report, Times(order), options)

    def _reader(self, path: Path, fmt: str, ctx: Context) -> Iterator[Row | LineError]:
        if fmt == Format.WINDOWS and is_evtx(path):
            yield from read_evtx(path, ctx)
            return
        with open_text(path) as text:
            if fmt == Format.GENERIC:
                generic = read_generic_jsonl if _starts_with_brace(text) else read_generic_csv
                yield from generic(text)
            elif fmt == Format.M365:
                yield from read_m365(text, ctx)
            elif fmt == Format.GWS:
                yield from read_gws(text, ctx)
            else:
                yield from read_windows(text, ctx)

    def _write_rows(
        self,
        path: Path,
        fmt: str,
        import_id: int,
        report: Progress,
        times: Times,
        options: ImportOptions,
    ) -> tuple[int, _Errors]:
        errors = _Errors()
        good = 0
        total = max(path.stat().st_size, 1)
        ctx = Context(options=options, times=times)
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline="",
            suffix=".csv",
            dir=self.directory / "tmp",
            delete=False,
        ) as clean:
            clean_path = Path(clean.name)
            try:
                writer = csv.writer(clean, lineterminator="\n")
                writer.writerow(Row._fields)
                for count, item in enumerate(self._reader(path, fmt, ctx), start=1):
                    if isinstance(item, LineError):
                        errors.add(item)
                    else:
                        good += 1
                        writer.writerow(item)
                    if count % 20000 == 0:
                        report(0.05 + 0.6 * min(count * 200 / total, 1.0), "read")
            except BaseException:
                clean.close()
                clean_path.unlink(missing_ok=True)
                raise
        try:
            if good:
                sql = f"""
                    INSERT INTO events
                    SELECT CASE WHEN source_id <> '' THEN hash(source_id) END,
                           {self._local.format("time")}, "user", kind, action, object, size,
                           device, host, source, {import_id}
                    FROM read_csv(?, header = true, auto_detect = false, delim = ',',
                                  quote = '"', escape = '"', columns = {_struct(CLEAN_TYPES)})
                """
                self._run(sql, [str(clean_path)], report, 0.7, 0.95)
        finally:
            clean_path.unlink(missing_ok=True)
        return good, errors

    def _remove_duplicates(self, import_id: int) -> int:
        """Delete the new events that were stored already; return how many.

        An event with a source id is the same as a stored one with that id (or an earlier
        one of this import with it). Without a source id, it is the same as a stored event
        with equal time, account, action, object, size, device and host. Only the time
        range the new events share with stored ones is compared, so importing month after
        month costs nothing here.
        """
        removed = 0
        with_id = self.con.execute(
            "SELECT count(*) FROM events WHERE import_id = ? AND id IS NOT NULL", [import_id]
        ).fetchone()[0]
        if with_id:
            removed += self.con.execute(
                """
                DELETE FROM events WHERE import_id = $1 AND id IS NOT NULL AND (
                    id IN (SELECT id FROM events WHERE import_id <> $1 AND id IS NOT NULL)
                    OR rowid NOT IN (
                        SELECT min(rowid) FROM events
                        WHERE import_id = $1 AND id IS NOT NULL GROUP BY id))
                """,
                [import_id],
            ).fetchone()[0]
        overlap = self.con.execute(
            """
            SELECT greatest(new.lo, old.lo), least(new.hi, old.hi) FROM
              (SELECT min(ts) lo, max(ts) hi FROM events WHERE import_id = $1 AND id IS NULL) new,
              (SELECT min(ts) lo, max(ts) hi FROM events WHERE import_id <> $1 AND id IS NULL) old
            """,
            [import_id],
        ).fetchone()
        low, high = overlap
        if low is None or high is None or low > high:
            return removed
        same = " AND ".join(
            f"old.{name} IS NOT DISTINCT FROM new.{name}"
            for name in ("account", "action", "object", "size", "device", "host")
        )
        removed += self.con.execute(
            f"""
            DELETE FROM events WHERE rowid IN (
                SELECT new.rowid FROM events AS new
                JOIN events AS old ON old.ts = new.ts AND {same}
                WHERE new.import_id = $1 AND new.id IS NULL AND new.ts BETWEEN $2 AND $3
                  AND old.import_id <> $1 AND old.id IS NULL AND old.ts BETWEEN $2 AND $3)
            """,
            [import_id, low, high],
        ).fetchone()[0]
        return removed

    # --- analysis ------------------------------------------------------------------------------

    def analyse(self, directory, settings, today, progress: Progress | None = None):
        from mamori.engines.watch._analysis import analyse

        return analyse(self, directory, settings, today, progress=progress)


CLEAN_TYPES = {
    "source_id": "VARCHAR",
    "time": "TIMESTAMPTZ",
    "user": "VARCHAR",
    "action": "VARCHAR",
    "kind": "UTINYINT",
    "object": "VARCHAR",
    "size": "BIGINT",
    "device": "VARCHAR",
    "source": "VARCHAR",
    "host": "VARCHAR",
}


def _struct(columns: dict[str, str]) -> str:
    return "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"


def _starts_with_brace(text) -> bool:
    head = text.read(4096)
    text.seek(0)
    return head.lstrip("\ufeff \t\r\n").startswith("{")


def _duckdb_readable_csv(path: Path) -> bool:
    """True for a UTF-8 CSV file; JSON lines and other encodings go through Python."""
    with open_text(path) as text:
        return text.encoding in {"utf-8", "utf-8-sig"} and not _starts_with_brace(text)


def _scan_generic(path: Path, names: list[str]) -> tuple[int, list[LineError]]:
    """Count the records of a generic CSV and find its first bad lines, as a stream."""
    index = {name: position for position, name in enumerate(names) if name}
    examples: list[LineError] = []
    records = 0
    with open_text(path) as text:
        reader = csv.reader(text)
        next(reader, None)
        previous = 1
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if not cells:
                continue
            records += 1
            if len(examples) >= MAX_ERRORS:
                continue
            if len(cells) != len(names):
                examples.append(LineError(start, "columns", f"{len(cells)}/{len(names)}"))
                continue
            when = cells[index["time"]].strip()
            if when and parse_time(when) is None:
                examples.append(LineError(start, "time", when[:40]))
            elif "size" in index and cells[index["size"]].strip():
                try:
                    int(cells[index["size"]])
                except ValueError:
                    examples.append(LineError(start, "value", "size"))
    return records, examples


def _incomplete_lines(path: Path, names: list[str]) -> Iterator[LineError]:
    """Find the lines whose time, user or action is empty (rare, so read again in Python)."""
    index = {name: names.index(name) for name in REQUIRED_COLUMNS}
    with open_text(path) as text:
        reader = csv.reader(text)
        next(reader, None)
        previous = 1
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if len(cells) != len(names):
                continue  # reported by DuckDB already
            for name, position in index.items():
                if not cells[position]:  # DuckDB reads an empty cell as NULL
                    yield LineError(start, "missing", name)
                    break
