"""Writes of the departure watch: settings, aliases, log imports and analysis runs.

The log store is a DuckDB file in ``MAMORI_DATA_DIR/watch`` (``WATCH_DIR`` in the
settings overrides it, for tests). One process uses it at a time; within a process a
lock keeps web requests from opening it twice.
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.assets.models import AccessGrant, InformationAsset
from mamori.core.errors import ApplicationError
from mamori.core.progress import Progress
from mamori.core.validation import validated_save
from mamori.engines import watch as engine
from mamori.people.models import Person
from mamori.watch.models import (
    AccountAlias,
    AnalysisRun,
    AssetPath,
    ImportStatus,
    LogImport,
    PersonRisk,
    UnmatchedAccount,
    WatchSettings,
)

STORE_BUSY = gettext_lazy(
    "The log store is in use by another import or analysis. Try again when it has finished."
)
ALIAS_TAKEN = gettext_lazy("The account %(account)s is already an alias of %(name)s.")
ALIAS_IS_EMAIL = gettext_lazy("%(account)s is the e-mail address of %(name)s already.")
PATH_TAKEN = gettext_lazy("This path is already recorded for “%(asset)s”.")
UNMATCHED_KEPT = 1000  # unmatched accounts stored per run; the run counts them all

_store_lock = threading.Lock()


def watch_dir() -> Path:
    return Path(getattr(settings, "WATCH_DIR", None) or Path(settings.DATA_DIR) / "watch")


def _open_store() -> engine.Store:
    try:
        return engine.Store(watch_dir(), timezone=settings.TIME_ZONE)
    except engine.StoreBusyError as exc:
        raise ApplicationError(str(STORE_BUSY)) from exc


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is None:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# --- settings and aliases -------------------------------------------------------------------


def watch_settings() -> WatchSettings:
    found = WatchSettings.objects.filter(pk=1).first()
    return found or WatchSettings(pk=1)


@transaction.atomic
def settings_save(
    *,
    before_days: int,
    after_days: int,
    work_start_hour: int,
    work_end_hour: int,
    threshold: int,
    company_domains: str = "",
) -> WatchSettings:
    """Save the analysis settings; raise ``ApplicationError`` when they make no sense."""
    if work_start_hour >= work_end_hour:
        raise ApplicationError(_("Working hours must end after they start."), field="work_end_hour")
    current = watch_settings()
    current.before_days, current.after_days = before_days, after_days
    current.work_start_hour, current.work_end_hour = work_start_hour, work_end_hour
    current.threshold = threshold
    current.company_domains = " ".join(
        sorted({d.strip().lower().lstrip("@") for d in company_domains.replace(",", " ").split()})
    )
    return validated_save(current)


def _normalise_account(account: str) -> str:
    return account.strip().lower()


@transaction.atomic
def alias_add(*, person: Person, account: str, note: str = "") -> AccountAlias:
    """Record that ``account`` in the logs is ``person``."""
    account = _normalise_account(account)
    if not account:
        raise ApplicationError(_("Enter the account as it appears in the logs."), field="account")
    existing = AccountAlias.objects.select_related("person").filter(account=account).first()
    if existing:
        raise ApplicationError(
            ALIAS_TAKEN % {"account": account, "name": existing.person.name}, field="account"
        )
    owner = Person.objects.filter(email__iexact=account).first()
    if owner:
        raise ApplicationError(
            ALIAS_IS_EMAIL % {"account": account, "name": owner.name}, field="account"
        )
    alias = AccountAlias(person=person, account=account, note=note.strip())
    return validated_save(alias)


@transaction.atomic
def alias_remove(*, alias: AccountAlias) -> None:
    alias.delete()


@transaction.atomic
def asset_path_add(*, asset: InformationAsset, pattern: str) -> AssetPath:
    """Record a path, folder or name under which ``asset`` appears in the logs."""
    pattern = pattern.strip()
    if not pattern:
        raise ApplicationError(_("Enter a path, a folder or a file name."), field="pattern")
    existing = AssetPath.objects.select_related("asset").filter(pattern__iexact=pattern).first()
    if existing:
        raise ApplicationError(PATH_TAKEN % {"asset": existing.asset.name}, field="pattern")
    path = AssetPath(asset=asset, pattern=pattern)
    return validated_save(path)


@transaction.atomic
def asset_path_remove(*, path: AssetPath) -> None:
    path.delete()


# --- import ------------------------------------------------------------------------------------


def _percent(progress: Progress | None, label: str) -> Callable[[float, str], None]:
    """The engine's ``(fraction, stage)`` callback, shown as a bar counting to 100 %.

    The store reports from a watcher thread while a statement runs, but never from two
    threads at once, so the count needs no lock.
    """
    progress = progress or Progress()
    progress.step(label, total=100)
    shown = 0

    def report(fraction: float, stage: str) -> None:
        nonlocal shown
        percent = min(100, int(fraction * 100))
        if percent > shown:
            progress.advance(percent - shown)
            shown = percent

    return report


def refusal_message(exc: engine.FormatError) -> str:
    """The message for a refused file, in the active language: what is wrong, the columns
    expected and found, the likely format, then the first lines at fault."""
    language = translation.get_language() or "ja"
    parts = [exc.text(language)]
    for error in exc.errors:
        parts.append(
            _("line %(line)d: %(problem)s") % {"line": error.line, "problem": error.text(language)}
        )
    if exc.bad > len(exc.errors) and exc.errors:
        parts.append(_("…and %(count)d more skipped lines.") % {"count": exc.bad - len(exc.errors)})
    return "\n".join(parts)


def log_import(
    *,
    path: Path,
    fmt: str,
    file_name: str = "",
    user: User | None = None,
    progress: Progress | None = None,
    date_order: str | None = None,
) -> LogImport:
    """Import one log file into the store and record the import.

    A file whose content was imported before in this format adds nothing (recorded as
    such). A file that is refused (not of the format, no record readable, too many
    records malformed, dates that read both ways) stores nothing at all — no event, no
    fingerprint, no row in the history — and ``ApplicationError`` is raised with the
    reason. ``date_order`` (``dmy``/``mdy``) reads dates such as 03/02/2026; without it the
    order is detected from the file. ``progress`` counts the percent of the import done.
    """
    name = file_name or path.name
    report = _percent(progress, _("Importing %(file)s") % {"file": name})
    options = engine.ImportOptions(
        company_domains=watch_settings().domains(), date_order=date_order or None
    )
    with _store_lock:
        store = _open_store()
        try:
            try:
                summary = store.import_file(
                    path, fmt, file_name=name, progress=report, options=options
                )
            except engine.FormatError as exc:
                raise ApplicationError(refusal_message(exc), field="file") from exc
            except (OSError, EOFError, UnicodeError, zlib.error) as exc:
                # A damaged or unreadable file (a broken .gz, say): nothing was stored.
                raise ApplicationError(
                    _(
                        "“%(file)s” cannot be read: it is damaged or not a log file. "
                        "Nothing was imported."
                    )
                    % {"file": name},
                    field="file",
                ) from exc
            try:
                with transaction.atomic():
                    return _record_import(name, summary, user)
            except BaseException:
                # The history row could not be written: take the events out of the store
                # again, so that the file can be imported later and nothing is left over.
                if not summary.already_imported:
                    store.forget(summary.fingerprint)
                raise
        finally:
            store.close()


def _record_import(name: str, summary: Any, user: User | None) -> LogImport:
    return LogImport.objects.create(
        file_name=name[:300],
        format=summary.format,
        fingerprint=summary.fingerprint,
        status=ImportStatus.ALREADY if summary.already_imported else ImportStatus.IMPORTED,
        records=summary.records,
        added=summary.added,
        duplicates=summary.duplicates,
        skipped=summary.skipped,
        errors=[
            {
                "line": e.line,
                "code": e.code,
                "detail": e.detail,
                "ja": e.text("ja"),
                "en": e.text("en"),
            }
            for e in summary.errors
        ],
        first_time=_aware(summary.first_time),
        last_time=_aware(summary.last_time),
        seconds=round(summary.seconds, 2),
        imported_by=user,
    )


def log_import_upload(
    *, upload: UploadedFile, fmt: str, user: User | None, date_order: str | None = None
) -> LogImport:
    """Import an uploaded file (copied to the store's scratch folder first)."""
    scratch = watch_dir() / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    suffix = ".gz" if (upload.name or "").endswith(".gz") else ""
    with tempfile.NamedTemporaryFile(dir=scratch, suffix=suffix, delete=False) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy_path = Path(copy.name)
    try:
        return log_import(
            path=copy_path, fmt=fmt, file_name=upload.name or "", user=user, date_order=date_order
        )
    finally:
        copy_path.unlink(missing_ok=True)


def store_reset() -> None:
    """Delete the log store (every imported event) and the import history.

    For the demo and for tests; the officer has no button for it.
    """
    with _store_lock:
        shutil.rmtree(watch_dir(), ignore_errors=True)
    LogImport.objects.all().delete()


# --- analysis ---------------------------------------------------------------------------------


def directory_build() -> engine.Directory:
    """Collect what the analysis needs from the registers, in a flat number of queries."""
    people = tuple(
        engine.PersonInfo(id=pk, department=dept, notice_on=notice, departed_on=departed)
        for pk, dept, notice, departed in Person.objects.values_list(
            "pk", "department_id", "notice_given_on", "departed_on"
        )
    )
    accounts: dict[str, int] = {}
    for pk, email in Person.objects.exclude(email="").values_list("pk", "email"):
        accounts[_normalise_account(email)] = pk
    for person_id, account in AccountAlias.objects.values_list("person_id", "account"):
        accounts[_normalise_account(account)] = person_id
    assets, patterns, grants = [], [], []
    for pk, rank, location, owner in InformationAsset.objects.values_list(
        "pk", "secrecy_class__rank", "storage_location", "owner_id"
    ):
        assets.append(engine.Asset(id=pk, rank=rank))
        if location and ("/" in location or "\\" in location):
            patterns.append(engine.AssetPattern(asset=pk, pattern=location))
        if owner:  # the owner may touch the asset without a grant
            grants.append(engine.Grant(person=owner, asset=pk))
    for asset_id, pattern in AssetPath.objects.values_list("asset_id", "pattern"):
        patterns.append(engine.AssetPattern(asset=asset_id, pattern=pattern))
    day = datetime.timedelta(days=1)
    for person_id, asset_id, valid_from, valid_until, revoked_on in AccessGrant.objects.values_list(
        "person_id", "asset_id", "valid_from", "valid_until", "revoked_on"
    ).iterator(chunk_size=5000):
        ends = [d for d in (valid_until, revoked_on - day if revoked_on else None) if d]
        grants.append(
            engine.Grant(
                person=person_id,
                asset=asset_id,
                valid_from=valid_from,
                valid_to=min(ends) if ends else None,
            )
        )
    return engine.Directory(
        people=people,
        accounts=accounts,
        assets=tuple(assets),
        patterns=tuple(patterns),
        grants=tuple(grants),
    )


def analysis_run(
    *,
    user: User | None = None,
    today: datetime.date | None = None,
    before_days: int | None = None,
    after_days: int | None = None,
    progress: Progress | None = None,
) -> AnalysisRun:
    """Analyse the store against the registers and keep the results of this run.

    Results of earlier runs are replaced (the runs themselves stay in the history).
    ``progress`` counts the percent of the analysis done.
    """
    today = today or timezone.localdate()
    config = watch_settings()
    engine_settings = engine.Settings(
        before_days=config.before_days if before_days is None else before_days,
        after_days=config.after_days if after_days is None else after_days,
        work_start_hour=config.work_start_hour,
        work_end_hour=config.work_end_hour,
        threshold=config.threshold,
    )
    directory = directory_build()
    with _store_lock:
        store = _open_store()
        try:
            analysis = store.analyse(
                directory,
                engine_settings,
                today,
                progress=_percent(progress, _("Analysing the logs")),
            )
        finally:
            store.close()
    return _store_results(analysis, user)


@transaction.atomic
def _store_results(analysis: engine.Analysis, user: User | None) -> AnalysisRun:
    flagged = analysis.above_threshold()
    run = AnalysisRun.objects.create(
        ran_by=user,
        today=analysis.today,
        before_days=analysis.settings.before_days,
        after_days=analysis.settings.after_days,
        threshold=analysis.settings.threshold,
        events=analysis.events,
        matched_events=analysis.matched_events,
        first_day=analysis.first_day,
        last_day=analysis.last_day,
        watched=len(analysis.results),
        flagged=len(flagged),
        unmatched=len(analysis.unmatched),
        seconds=round(analysis.seconds, 2),
    )
    PersonRisk.objects.exclude(run=run).delete()
    UnmatchedAccount.objects.exclude(run=run).delete()
    asset_ids = {e.asset for r in analysis.results for e in r.top_events if e.asset}
    asset_names = dict(InformationAsset.objects.filter(pk__in=asset_ids).values_list("pk", "name"))
    PersonRisk.objects.bulk_create(
        [_risk_row(run, result, asset_names) for result in analysis.results], batch_size=200
    )
    UnmatchedAccount.objects.bulk_create(
        [
            UnmatchedAccount(
                run=run,
                account=account.account[:300],
                events=account.events,
                first_time=_aware(account.first_time),
                last_time=_aware(account.last_time),
            )
            for account in analysis.unmatched[:UNMATCHED_KEPT]
        ],
        batch_size=500,
    )
    return run


def _risk_row(run: AnalysisRun, result: engine.PersonResult, asset_names: dict) -> PersonRisk:
    return PersonRisk(
        run=run,
        person_id=result.person,
        score=result.score,
        anchor=result.anchor,
        window_start=result.window_start,
        window_end=result.window_end,
        own_baseline=result.own_baseline,
        reasons=[
            {"code": r.code, "points": round(r.points, 2), "ja": r.ja, "en": r.en}
            for r in result.reasons
        ],
        indicators=[
            {
                "indicator": s.indicator.value,
                "total": s.total,
                "usual": s.usual,
                "unusual_days": s.unusual_days,
                "peak": s.peak,
                "peak_day": s.peak_day.isoformat() if s.peak_day else None,
                "points": s.points,
            }
            for s in result.indicators
        ],
        series=[
            [p.day.isoformat(), list(p.counts), [int(flag) for flag in p.unusual]]
            for p in result.days
        ],
        top_events=[_event(e, asset_names) for e in result.top_events],
    )


def _event(event: engine.TopEvent, asset_names: dict) -> dict[str, Any]:
    return {
        "time": event.time.isoformat(sep=" ", timespec="seconds"),
        "kind": int(event.kind),
        "action": event.action[:100],
        "object": event.object[:500],
        "asset": event.asset,
        "asset_name": asset_names.get(event.asset, ""),
        "no_grant": event.no_grant,
        "size": event.size,
        "device": event.device[:200],
        "host": event.host[:200],
    }
