"""The end-user list and the screening of counterparties against it.

A list is imported as a whole (all rows or none) and becomes the list in force; every
counterparty is then screened against it. A new counterparty, or one whose name or
country changed, is screened when the change is committed (``apps.py`` connects the
signal), so the hits are there before anything is given to it. The officer decides each
hit: cleared (not the listed organisation) or confirmed; confirmed hits block
disclosures (see ``gate.py``).
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.audit.models import Action
from mamori.audit.services import audit_record
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.core.progress import Progress
from mamori.core.validation import validated_save
from mamori.engines.screening import ListEntry, Match, Screener, default_config, normalize_name
from mamori.exportcontrol.importer import ListFileError, ParsedList, parse_list_file
from mamori.exportcontrol.models import (
    CounterpartyScreening,
    EndUserEntry,
    EndUserList,
    HitStatus,
    ScreeningHit,
)
from mamori.partners.models import Counterparty

__all__ = [
    "ListFileError",
    "ListHasErrors",
    "RunResult",
    "counterparty_screen_if_needed",
    "current_list",
    "end_user_list_import",
    "hit_decide",
    "screening_check",
    "screening_run",
]

NO_LIST = gettext_lazy(
    "No end-user list has been imported yet. Import METI's 外国ユーザーリスト first."
)
DECISION_NEEDS_NOTE = gettext_lazy("Write the reasoning for the decision.")
ONLY_OFFICER_DECIDES = gettext_lazy("Only the officer may clear or confirm a screening hit.")
LABEL_NEEDED = gettext_lazy("Name the version of the list, e.g. the date of its revision.")
UNKNOWN_DECISION = gettext_lazy("Choose whether to clear or to confirm the hit.")
ENTRY_BATCH = 1000
CARRIED_OVER = "Carried over from the decision of %(date)s on the earlier list: %(note)s"


class ListHasErrors(ApplicationError):
    """Rows of the list file are wrong; nothing was imported."""

    def __init__(self, message: str, *, parsed: ParsedList):
        super().__init__(message, field="file")
        self.parsed = parsed


@dataclass(frozen=True)
class RunResult:
    screened: int
    new_hits: int
    open_hits: int


def current_list() -> EndUserList | None:
    """Return the list in force: the newest import."""
    return EndUserList.objects.order_by("-created_at", "-pk").first()


def _match_key(name: str, country: str) -> str:
    keys = normalize_name(name, default_config())
    return f"{keys.compact or keys.cjk}|{country}"[:600]


# Screeners are built once per list (a list never changes after its import) and shared by
# the requests of one process. The key includes the import time, not the id alone: after a
# restore (or a rolled-back import) another list can come back under the same id.
_screeners: dict[tuple[int, object], Screener] = {}
_screeners_lock = threading.Lock()


def screener_for(end_user_list: EndUserList) -> Screener:
    key = (end_user_list.pk, end_user_list.created_at)
    with _screeners_lock:
        screener = _screeners.get(key)
    if screener is not None:
        return screener
    rows = EndUserEntry.objects.filter(end_user_list=end_user_list).values_list(
        "pk", "name", "aliases", "country", "category"
    )
    screener = Screener(
        ListEntry(key=str(pk), names=(name, *aliases), country=country, category=category)
        for pk, name, aliases, country, category in rows.order_by("pk").iterator(chunk_size=2000)
    )
    with _screeners_lock:
        if len(_screeners) >= 2:
            _screeners.clear()
        _screeners[key] = screener
    return screener


@transaction.atomic
def end_user_list_import(
    *,
    content: bytes,
    filename: str,
    label: str,
    user: User | None,
    published_on: datetime.date | None = None,
    progress: Progress | None = None,
) -> tuple[EndUserList, RunResult]:
    """Import a list file as the list in force and screen every counterparty against it.

    Raise ``ListFileError`` when the file cannot be read, ``ListHasErrors`` (with the
    parsed rows and their errors) when rows are wrong; nothing is written then.
    ``progress`` counts the entries stored, then the counterparties screened.
    """
    if user is not None and not user.has_capability(Capability.SCREENING_MANAGE):
        raise NotPermitted(str(ONLY_OFFICER_DECIDES))
    if not label.strip():
        raise ApplicationError(str(LABEL_NEEDED), field="label")
    parsed = parse_list_file(content, filename)
    if not parsed.ok:
        raise ListHasErrors(
            _("%(count)d row(s) of the list are wrong; nothing was imported.")
            % {"count": len(parsed.errors)},
            parsed=parsed,
        )
    end_user_list = EndUserList(
        label=label.strip(),
        published_on=published_on,
        source_file=filename[:255],
        entry_count=len(parsed.entries),
        imported_by=user,
    )
    validated_save(end_user_list)
    progress = progress or Progress()
    progress.step(_("Storing list entries"), total=len(parsed.entries))
    for start in range(0, len(parsed.entries), ENTRY_BATCH):
        batch = parsed.entries[start : start + ENTRY_BATCH]
        EndUserEntry.objects.bulk_create(
            [
                EndUserEntry(
                    end_user_list=end_user_list,
                    number=entry.number,
                    country=entry.country,
                    country_text=entry.country_text,
                    name=entry.name,
                    aliases=list(entry.aliases),
                    category=entry.category,
                    match_key=_match_key(entry.name, entry.country),
                )
                for entry in batch
            ]
        )
        progress.advance(len(batch))
    audit_record(
        action=Action.CREATE,
        object_type="exportcontrol.enduserentry",
        object_repr=f"{end_user_list.label}: {len(parsed.entries)}",
        changes={"entries": len(parsed.entries), "file": filename[:255]},
        parent=end_user_list,
    )
    return end_user_list, screening_run(end_user_list=end_user_list, progress=progress)


def _carried_decisions(counterparty_ids: list[int]) -> dict[tuple[int, str, str], ScreeningHit]:
    """Return the latest decided hit per (counterparty, entry key, name screened)."""
    decided = (
        ScreeningHit.objects.filter(counterparty_id__in=counterparty_ids)
        .exclude(status=HitStatus.PENDING)
        .select_related("entry")
        .order_by("decided_on", "pk")
    )
    return {(h.counterparty_id, h.entry.match_key, h.screened_name): h for h in decided}


@transaction.atomic
def screening_run(
    *,
    end_user_list: EndUserList | None = None,
    counterparties: list[Counterparty] | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Screen ``counterparties`` (all when ``None``) against the list in force and store
    the hits. A hit already decided for the same name and listed organisation on an
    earlier list keeps its decision; a cleared hit whose counterparty was renamed since
    is asked again. Raise ``ApplicationError`` when no list has been imported.
    ``progress`` advances by one for each counterparty screened."""
    end_user_list = end_user_list or current_list()
    if end_user_list is None:
        raise ApplicationError(str(NO_LIST))
    screener = screener_for(end_user_list)
    now = timezone.now()
    full_run = counterparties is None
    if counterparties is None:
        counterparties = list(Counterparty.objects.only("pk", "name", "country").order_by("pk"))
    ids = [c.pk for c in counterparties]
    found: dict[int, list[Match]] = {}
    progress = progress or Progress()
    progress.step(_("Screening counterparties"), total=len(counterparties))
    for counterparty in counterparties:
        found[counterparty.pk] = screener.screen(counterparty.name, country=counterparty.country)
        progress.advance()
    entry_ids = {int(m.entry.key) for matches in found.values() for m in matches}
    entries = EndUserEntry.objects.in_bulk(list(entry_ids))
    existing = {
        (h.counterparty_id, h.entry_id): h
        for h in ScreeningHit.objects.filter(counterparty_id__in=ids, entry_id__in=entry_ids)
    }
    carried = _carried_decisions([pk for pk, matches in found.items() if matches])
    new_hits = 0
    for counterparty in counterparties:
        for match in found[counterparty.pk]:
            entry = entries[int(match.entry.key)]
            hit = existing.get((counterparty.pk, entry.pk))
            if hit is None:
                hit = ScreeningHit(counterparty=counterparty, entry=entry)
                earlier = carried.get((counterparty.pk, entry.match_key, counterparty.name))
                if earlier is not None:
                    hit.status, hit.decided_by = earlier.status, earlier.decided_by
                    hit.decided_on = earlier.decided_on
                    hit.decision_note = CARRIED_OVER % {
                        "date": earlier.decided_on,
                        "note": earlier.decision_note,
                    }
                new_hits += 1
            elif hit.screened_name != counterparty.name and hit.status == HitStatus.CLEARED:
                hit.status, hit.decided_by, hit.decided_on = HitStatus.PENDING, None, None
            else:
                if (hit.screened_name, hit.score, hit.basis) == (
                    counterparty.name,
                    Decimal(str(match.score)),
                    list(match.basis),
                ):
                    continue
            hit.screened_name = counterparty.name[:200]
            hit.matched_name = match.matched_name[:500]
            hit.score = Decimal(str(match.score))
            hit.reason = match.reason
            hit.basis = list(match.basis)
            hit.set_match_kind(match.basis)
            hit.save()
    CounterpartyScreening.objects.filter(
        end_user_list=end_user_list, counterparty_id__in=ids
    ).delete()
    CounterpartyScreening.objects.bulk_create(
        [
            CounterpartyScreening(
                counterparty=c,
                end_user_list=end_user_list,
                screened_name=c.name[:200],
                screened_country=c.country,
                screened_at=now,
                hit_count=len(found[c.pk]),
            )
            for c in counterparties
        ],
        batch_size=1000,
    )
    if full_run:
        end_user_list.screened_at = now
        end_user_list.save(update_fields=["screened_at", "updated_at"])
    open_hits = ScreeningHit.objects.filter(
        counterparty_id__in=ids, status=HitStatus.PENDING
    ).count()
    return RunResult(screened=len(counterparties), new_hits=new_hits, open_hits=open_hits)


def counterparty_screen_if_needed(counterparty_id: int) -> RunResult | None:
    """Screen one counterparty unless it was already screened, under its current name and
    country, against the list in force (nothing happens while no list exists)."""
    end_user_list = current_list()
    counterparty = (
        Counterparty.objects.filter(pk=counterparty_id).only("pk", "name", "country").first()
    )
    if end_user_list is None or counterparty is None:
        return None
    done = CounterpartyScreening.objects.filter(
        counterparty=counterparty,
        end_user_list=end_user_list,
        screened_name=counterparty.name,
        screened_country=counterparty.country,
    ).exists()
    if done:
        return None
    return screening_run(end_user_list=end_user_list, counterparties=[counterparty])


def screening_check(name: str, *, country: str = "", threshold: float | None = None) -> list[Match]:
    """Return the entries of the list in force that ``name`` may be, best first; nothing
    is written. Raise ``ApplicationError`` when no list has been imported."""
    end_user_list = current_list()
    if end_user_list is None:
        raise ApplicationError(str(NO_LIST))
    return screener_for(end_user_list).screen(name, country=country, threshold=threshold)


@transaction.atomic
def hit_decide(*, hit: ScreeningHit, status: str, note: str, user: User) -> ScreeningHit:
    """Clear or confirm a hit, with the reasoning; only the officer may (``NotPermitted``).
    The decision is written to the audit log like every change."""
    if not user.has_capability(Capability.SCREENING_MANAGE):
        raise NotPermitted(str(ONLY_OFFICER_DECIDES))
    if status not in (HitStatus.CLEARED, HitStatus.CONFIRMED):
        raise ApplicationError(str(UNKNOWN_DECISION), field="status")
    if not note.strip():
        raise ApplicationError(str(DECISION_NEEDS_NOTE), field="note")
    hit = ScreeningHit.objects.select_for_update().get(pk=hit.pk)
    hit.status, hit.decision_note = status, note.strip()
    hit.decided_by, hit.decided_on = user, timezone.localdate()
    hit.save()
    return hit
