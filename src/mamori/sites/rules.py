"""Rules about overseas sites and equipment sent out."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator

from django.db.models import Max
from django.utils import timezone

from mamori.core.bilingual import bilingual_date
from mamori.engines.rules import Hit, ObjectRef
from mamori.findings.registry import RuleContext, registry
from mamori.sites.models import EquipmentDispatch, OverseasSite, SiteKind

SITE = "overseas_sites.overseassite"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def audit_due(site: OverseasSite, last_audit: datetime.date | None) -> datetime.date:
    """Return when a site's next audit is due: an interval after the last audit (or the
    opening, or when it was registered)."""
    # The registration day in the company's time zone, not UTC's (a site registered in
    # the Tokyo morning would otherwise count from the day before).
    start = last_audit or site.opened_on or timezone.localdate(site.created_at)
    return add_months(start, site.audit_interval_months)


@registry.rule("sites.audit_overdue")
def audit_overdue(ctx: RuleContext) -> Iterator[Hit]:
    sites = OverseasSite.objects.annotate(last_audit=Max("audits__audited_on")).order_by("name")
    for site in sites:
        due = audit_due(site, site.last_audit)
        if due < ctx.today:
            yield Hit(
                objects=(ObjectRef(SITE, site.pk, site.name),),
                params={"site": site.name, "country": site.country, "due": bilingual_date(due)},
            )


@registry.rule("sites.laws_not_checked")
def laws_not_checked(ctx: RuleContext) -> Iterator[Hit]:
    rows = OverseasSite.objects.filter(laws_checked_on__isnull=True).values_list(
        "pk", "name", "country"
    )
    for pk, name, country in rows.order_by("name"):
        yield Hit(objects=(ObjectRef(SITE, pk, name),), params={"site": name, "country": country})


@registry.rule("sites.equipment_not_reverted")
def equipment_not_reverted(ctx: RuleContext) -> Iterator[Hit]:
    rows = (
        EquipmentDispatch.objects.filter(has_customisations=True, customisations_reverted=False)
        .values_list("pk", "equipment", "sent_on", "sent_to_id", "sent_to__name")
        .order_by("sent_on", "pk")
    )
    for pk, equipment, sent_on, counterparty_id, counterparty in rows:
        yield Hit(
            objects=(
                ObjectRef("overseas_sites.equipmentdispatch", pk, equipment),
                ObjectRef("partners.counterparty", counterparty_id, counterparty),
            ),
            params={
                "equipment": equipment,
                "counterparty": counterparty,
                "date": bilingual_date(sent_on),
            },
        )


@registry.requirement("sites.registered")
def registered(ctx: RuleContext) -> bool:
    return OverseasSite.objects.exists()


@registry.requirement("sites.research_sites_restricted")
def research_sites_restricted(ctx: RuleContext) -> bool:
    research = OverseasSite.objects.filter(kind=SiteKind.RESEARCH)
    return research.exists() and not research.filter(access_restrictions="").exists()
