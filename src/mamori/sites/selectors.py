"""Reads of the overseas sites register: sites with their next audit, and equipment sent
out for maintenance or repair."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from mamori.sites.models import EquipmentDispatch, OverseasSite, SiteAudit, SiteKind
from mamori.sites.rules import audit_due

SITE_STATUSES = ("overdue", "laws_not_checked", "issues_open")
EQUIPMENT_STATUSES = ("out", "not_reverted", "returned")


@dataclass(frozen=True)
class SiteRow:
    """A site with when it was last audited and when the next audit is due."""

    site: OverseasSite
    last_audit: datetime.date | None
    due: datetime.date
    overdue: bool
    open_issues: int


def _row(site: OverseasSite, today: datetime.date) -> SiteRow:
    due = audit_due(site, site.last_audit)
    return SiteRow(
        site=site,
        last_audit=site.last_audit,
        due=due,
        overdue=due < today,
        open_issues=site.open_issues,
    )


def _annotated() -> QuerySet[OverseasSite]:
    return OverseasSite.objects.select_related("operator").annotate(
        last_audit=Max("audits__audited_on"),
        open_issues=Count("audits", filter=Q(audits__issues_open=True)),
    )


def site_register(
    *, today: datetime.date, kind: str = "", country: str = "", status: str = ""
) -> list[SiteRow]:
    """Return the sites (filtered) with their audit due dates, in one query.

    The due date depends on month arithmetic, so the ``overdue`` filter is applied
    here rather than in SQL; a company has tens of overseas sites, not thousands.
    """
    sites = _annotated()
    if kind in SiteKind.values:
        sites = sites.filter(kind=kind)
    if country:
        sites = sites.filter(country=country.upper())
    if status == "laws_not_checked":
        sites = sites.filter(laws_checked_on__isnull=True)
    rows = [_row(site, today) for site in sites.order_by("country", "name", "pk")]
    if status == "overdue":
        rows = [row for row in rows if row.overdue]
    if status == "issues_open":
        rows = [row for row in rows if row.open_issues]
    return rows


def site_countries() -> list[str]:
    """Return the countries that have a site, for the list's filter."""
    return list(
        OverseasSite.objects.order_by("country").values_list("country", flat=True).distinct()
    )


def site_detail(pk: int, *, today: datetime.date) -> SiteRow | None:
    """Return a site with its audit schedule, or ``None``."""
    site = _annotated().filter(pk=pk).first()
    return _row(site, today) if site is not None else None


def site_audits(site: OverseasSite) -> QuerySet[SiteAudit]:
    return site.audits.order_by("-audited_on", "-pk")


def equipment_register(*, status: str = "", query: str = "") -> QuerySet[EquipmentDispatch]:
    """Return equipment sent out, newest first, with whom it went to (one query a page)."""
    rows = EquipmentDispatch.objects.select_related("sent_to")
    if status == "out":
        rows = rows.filter(returned_on__isnull=True)
    elif status == "returned":
        rows = rows.filter(returned_on__isnull=False)
    elif status == "not_reverted":
        rows = rows.filter(has_customisations=True, customisations_reverted=False)
    if query:
        rows = rows.filter(Q(equipment__icontains=query) | Q(sent_to__name__icontains=query))
    return rows.order_by("-sent_on", "-pk")


def equipment_detail(pk: int) -> EquipmentDispatch | None:
    return EquipmentDispatch.objects.select_related("sent_to").filter(pk=pk).first()
