"""Export control at the moment a disclosure is recorded.

``disclosure_gate`` wraps ``mamori.disclosures.services.ledger.disclosure_record``: before
the ledger opens its transaction it refuses

- a disclosure to a counterparty the officer confirmed as an organisation on the
  end-user list, unless every technology the information carries is covered by a licence
  or by a recorded judgement that it is clearly not for weapons of mass destruction (a
  listing is not a ban: it brings in the catch-all end-user requirement, in practice a
  licence application; METI, 外国ユーザーリスト Q&A), and
- a disclosure of information linked to a controlled (該当) technology to a foreign
  counterparty, unless a licence or a recorded judgement that none is needed covers the
  counterparty, the technology and the date.

A refusal is written (and so audited) before the error is raised, outside the ledger's
transaction, so that it stays on record although nothing else is written; an accepted
disclosure of controlled technology is recorded with the licences it relied on, in the
ledger's transaction.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.assets.models import ExportClassification, InformationAsset, Technology
from mamori.assets.selectors import controlled_technology_ids
from mamori.core.errors import ApplicationError
from mamori.disclosures.models import Disclosure
from mamori.exportcontrol.models import (
    CheckOutcome,
    DisclosureExportCheck,
    ExportAuthorization,
    HitStatus,
    ScreeningHit,
)
from mamori.partners.models import Counterparty

__all__ = [
    "CONFIRMED_HIT",
    "LICENCE_MISSING",
    "CounterpartyListed",
    "ExportRefused",
    "LicenceRequired",
    "disclosure_gate",
    "export_clearance",
]

CONFIRMED_HIT, LICENCE_MISSING = "confirmed_hit", "licence_missing"

LISTED_MESSAGE = gettext_lazy(
    "%(counterparty)s has been confirmed as “%(entry)s” of the end-user list "
    "(外国ユーザーリスト, %(category)s). A listing is not a ban, but the catch-all control's "
    "end-user requirement applies: providing technology to it needs a licence from the "
    "Minister of Economy, Trade and Industry unless it is clear that the technology will not "
    "be used for weapons of mass destruction. Link the technology this information carries to "
    "the asset and record the licence — or who judged, when and on what basis that the use "
    "is clearly not of concern — for %(counterparty)s under Export control → Licences and "
    "judgements. If the match was wrong, the officer can clear it under Export control → "
    "Screening."
)
LICENCE_MESSAGE = gettext_lazy(
    "%(assets)s carries the controlled technology %(technologies)s (該当). Giving it to "
    "%(counterparty)s (%(country)s) needs a licence from the Minister of Economy, Trade and "
    "Industry, or a recorded judgement that none is needed. Record the licence number — or "
    "who judged, when and on what basis — for %(counterparty)s and this technology under "
    "Export control → Licences and judgements, then record the disclosure again."
)


class ExportRefused(ApplicationError):
    """Export control refuses the disclosure; nothing but the refusal was written."""

    reason = ""


class CounterpartyListed(ExportRefused):
    reason = CONFIRMED_HIT


class LicenceRequired(ExportRefused):
    reason = LICENCE_MISSING

    def __init__(self, message: str, *, technologies: list[Technology]):
        super().__init__(message, field="assets")
        self.technologies = technologies


def _quoted(names: Iterable[str]) -> str:
    names = list(names)
    if (translation.get_language() or "ja").startswith("en"):
        return "“" + "”, “".join(names) + "”"
    return "「" + "」「".join(names) + "」"


def _list_items(technology_ids: list[int]) -> dict[int, str]:
    rows = ExportClassification.objects.filter(technology_id__in=technology_ids).order_by(
        "technology_id", "-judged_on", "-pk"
    )
    items: dict[int, str] = {}
    for technology_id, item in rows.values_list("technology_id", "list_item"):
        items.setdefault(technology_id, item)
    return items


def covering_authorizations(
    counterparty: Counterparty, technology_ids: Iterable[int], day: datetime.date
) -> list[ExportAuthorization]:
    """Return the licences and judgements for ``counterparty`` in force on ``day`` for
    any of the technologies."""
    return list(
        ExportAuthorization.objects.filter(
            counterparty=counterparty,
            technology_id__in=list(technology_ids),
            decided_on__lte=day,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("technology_id", "-decided_on")
    )


@dataclass
class Clearance:
    """What the gate let through: the controlled technologies and the records covering
    them; ``record`` keeps it with the disclosure once that is written."""

    counterparty: Counterparty
    assets: list[InformationAsset]
    technologies: list[Technology] = field(default_factory=list)
    authorizations: list[ExportAuthorization] = field(default_factory=list)
    user: User | None = None

    def record(self, disclosure: Disclosure) -> DisclosureExportCheck | None:
        if not self.technologies:
            return None
        check = DisclosureExportCheck.objects.create(
            counterparty=self.counterparty,
            disclosure=disclosure,
            outcome=CheckOutcome.ACCEPTED,
            reason="licence_on_record",
            assets=[{"id": a.pk, "name": a.name} for a in self.assets],
            technologies=[{"id": t.pk, "name": t.name} for t in self.technologies],
            user=self.user,
        )
        check.authorizations.set(self.authorizations)
        return check


def _refuse(
    error: ExportRefused,
    counterparty: Counterparty,
    assets: list[InformationAsset],
    technologies: list[Technology],
    user: User | None,
) -> None:
    # Written before raising and outside the ledger's transaction, so that the refusal
    # stays on record (and in the audit log) although the disclosure is not written.
    DisclosureExportCheck.objects.create(
        counterparty=counterparty,
        outcome=CheckOutcome.REFUSED,
        reason=error.reason,
        assets=[{"id": a.pk, "name": a.name} for a in assets],
        technologies=[{"id": t.pk, "name": t.name} for t in technologies],
        message=str(error.message),
        user=user,
    )
    raise error


def _listed_covered(
    counterparty: Counterparty, assets: list[InformationAsset], day: datetime.date
) -> bool:
    """True when the assets carry technology and every technology is covered, for this
    listed counterparty, by a licence or a recorded judgement in force on ``day``."""
    linked = set(
        InformationAsset.technologies.through.objects.filter(
            informationasset_id__in=[a.pk for a in assets]
        ).values_list("technology_id", flat=True)
    )
    if not linked:
        return False
    covered = {a.technology_id for a in covering_authorizations(counterparty, linked, day)}
    return linked <= covered


def export_clearance(
    *,
    counterparty: Counterparty,
    assets: Iterable[InformationAsset],
    disclosed_on: datetime.date,
    user: User | None = None,
) -> Clearance:
    """Return what lets ``assets`` go to ``counterparty`` on ``disclosed_on``.

    Raise ``CounterpartyListed`` when a confirmed screening hit names the counterparty and
    no licence or judgement covers every technology the assets carry,
    ``LicenceRequired`` when controlled technology would go to a foreign counterparty
    without a licence or judgement in force; the refusal is recorded first.
    """
    assets = list(assets)
    hit = (
        ScreeningHit.objects.filter(counterparty=counterparty, status=HitStatus.CONFIRMED)
        .select_related("entry")
        .order_by("-score", "-match_rank", "pk")
        .first()
    )
    if hit is not None and not _listed_covered(counterparty, assets, disclosed_on):
        error = CounterpartyListed(
            str(
                LISTED_MESSAGE
                % {
                    "counterparty": counterparty.name,
                    "entry": hit.entry.name,
                    "category": hit.entry.category or "-",
                }
            )
        )
        _refuse(error, counterparty, assets, [], user)
    clearance = Clearance(counterparty=counterparty, assets=assets, user=user)
    if not counterparty.is_foreign or not assets:
        return clearance
    linked = set(
        InformationAsset.technologies.through.objects.filter(
            informationasset_id__in=[a.pk for a in assets]
        ).values_list("technology_id", flat=True)
    )
    controlled = sorted(linked & controlled_technology_ids())
    if not controlled:
        return clearance
    technologies = list(Technology.objects.filter(pk__in=controlled).order_by("name", "pk"))
    authorizations = covering_authorizations(counterparty, controlled, disclosed_on)
    covered = {a.technology_id for a in authorizations}
    missing = [t for t in technologies if t.pk not in covered]
    if missing:
        items = _list_items([t.pk for t in missing])
        through = InformationAsset.technologies.through.objects.filter(
            informationasset_id__in=[a.pk for a in assets],
            technology_id__in=[t.pk for t in missing],
        ).values_list("informationasset_id", flat=True)
        carrying = {pk for pk in through}
        names = [f"{t.name}（{items[t.pk]}）" if items.get(t.pk) else t.name for t in missing]
        message = LICENCE_MESSAGE % {
            "assets": _quoted(a.name for a in assets if a.pk in carrying),
            "technologies": _quoted(names),
            "counterparty": counterparty.name,
            "country": counterparty.country,
        }
        _refuse(
            LicenceRequired(str(message), technologies=missing), counterparty, assets, missing, user
        )
    clearance.technologies = technologies
    clearance.authorizations = authorizations
    return clearance


def disclosure_gate(record: Callable[..., Disclosure]) -> Callable[..., Disclosure]:
    """Wrap the ledger's ``disclosure_record`` (keyword arguments only) with the export
    check: run it before the ledger's transaction, and keep an accepted check of
    controlled technology with the disclosure in the same transaction as the disclosure."""

    @functools.wraps(record)
    def gated(**kwargs: Any) -> Disclosure:
        assets = list(kwargs.get("assets") or [])
        kwargs["assets"] = assets
        clearance = export_clearance(
            counterparty=kwargs["counterparty"],
            assets=assets,
            disclosed_on=kwargs["disclosed_on"],
            user=kwargs.get("user"),
        )
        with transaction.atomic():
            disclosure = record(**kwargs)
            clearance.record(disclosure)
        return disclosure

    return gated
