"""Reads of the departure watch: the latest results, imports, aliases and paths."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import translation

from mamori.engines.watch import INDICATORS, KIND_TEXT, Indicator
from mamori.people.models import Person
from mamori.watch.models import (
    AccountAlias,
    AnalysisRun,
    AssetPath,
    LogImport,
    PersonRisk,
    UnmatchedAccount,
)


def latest_run() -> AnalysisRun | None:
    return AnalysisRun.objects.order_by("-created_at", "-pk").first()


def watched_people(
    run: AnalysisRun | None, *, query: str = "", flagged: bool = False
) -> QuerySet[PersonRisk]:
    """The watched people of ``run``, highest score first (one query with the person)."""
    if run is None:
        return PersonRisk.objects.none()
    rows = (
        PersonRisk.objects.filter(run=run)
        .select_related("person", "person__department")
        .defer("series", "top_events", "indicators")
    )
    if query:
        rows = rows.filter(
            Q(person__name__icontains=query)
            | Q(person__name_kana__icontains=query)
            | Q(person__email__icontains=query)
            | Q(person__employee_number__iexact=query)
        )
    if flagged:
        rows = rows.filter(score__gte=run.threshold)
    return rows.order_by("-score", "anchor", "pk")


def person_risk(run: AnalysisRun | None, person: Person) -> PersonRisk | None:
    if run is None:
        return None
    return PersonRisk.objects.filter(run=run, person=person).first()


def unmatched_accounts(run: AnalysisRun | None, *, query: str = "") -> QuerySet:
    if run is None:
        return UnmatchedAccount.objects.none()
    rows = UnmatchedAccount.objects.filter(run=run)
    if query:
        rows = rows.filter(account__icontains=query)
    return rows.order_by("-events", "account")


def log_imports() -> QuerySet[LogImport]:
    return LogImport.objects.select_related("imported_by").defer("errors")


def aliases_of(person: Person) -> QuerySet[AccountAlias]:
    return AccountAlias.objects.filter(person=person).order_by("account")


def all_aliases() -> QuerySet[AccountAlias]:
    return AccountAlias.objects.select_related("person").order_by("account")


def asset_paths() -> QuerySet[AssetPath]:
    return AssetPath.objects.select_related("asset", "asset__secrecy_class").order_by("pattern")


# --- presenting a stored result --------------------------------------------------------------


@dataclass(frozen=True)
class ReasonView:
    code: str
    text: str
    points: float


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    label: str
    total: int
    usual: float
    unusual_days: int
    peak: int
    peak_day: datetime.date | None
    points: float


def _language() -> str:
    return translation.get_language() or "ja"


def reasons_of(risk: PersonRisk) -> list[ReasonView]:
    english = _language().startswith("en")
    return [
        ReasonView(code=r["code"], text=r["en"] if english else r["ja"], points=r["points"])
        for r in risk.reasons
    ]


def indicator_rows(risk: PersonRisk) -> list[IndicatorRow]:
    language = _language()
    rows = []
    for item in risk.indicators:
        indicator = Indicator(item["indicator"])
        rows.append(
            IndicatorRow(
                indicator=indicator,
                label=indicator.label(language),
                total=item["total"],
                usual=item["usual"],
                unusual_days=item["unusual_days"],
                peak=item["peak"],
                peak_day=datetime.date.fromisoformat(item["peak_day"])
                if item["peak_day"]
                else None,
                points=item["points"],
            )
        )
    return rows


def behaviours(risk: PersonRisk, language: str, limit: int = 3) -> str:
    """The names of the behaviours that make up most of the score, for a finding."""
    names = []
    for reason in risk.reasons[:limit]:
        code = reason["code"]
        if code == "sequence":
            names.append("Collection, then taking out" if language == "en" else "収集後の持ち出し")
        elif code in Indicator._value2member_map_:
            names.append(Indicator(code).label(language))
    return (", " if language == "en" else "、").join(names)


def top_events(risk: PersonRisk) -> list[dict[str, Any]]:
    """Return the stored events of the most unusual days, each with what it did in the
    reader's language (``kind_label``; the log's own action name stays in ``action``)."""
    english = _language().startswith("en")
    events = []
    for event in risk.top_events:
        row = dict(event)
        row["time"] = datetime.datetime.fromisoformat(event["time"])
        text = KIND_TEXT.get(event.get("kind", 0), KIND_TEXT[0])
        row["kind_label"] = text[1] if english else text[0]
        events.append(row)
    return events


INDICATOR_ORDER = [indicator.value for indicator in INDICATORS]
