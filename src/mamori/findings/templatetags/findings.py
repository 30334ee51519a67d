"""Template helpers for findings: links to the objects a finding concerns."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from mamori.engines.rules import Severity

register = template.Library()

# Object type (app_label.model) -> URL name of its page, which takes ``pk``.
OBJECT_URLS = {
    "people.person": "people:person",
    "assets.informationasset": "assets:asset",
    "assets.technology": "assets:technology",
    "partners.counterparty": "partners:counterparty",
    "contracts.contract": "contracts:contract",
    "disclosures.disclosure": "disclosures:disclosure",
    "disclosures.sample": "disclosures:sample",
    "disclosures.exhibition": "disclosures:exhibition",
    "overseas_sites.overseassite": "sites:site",
    "overseas_sites.equipmentdispatch": "sites:equipment",
    "watch.person": "watch:person",
    "exportcontrol.fundinground": "exportcontrol:round",
}


SEVERITY_NAMES = {
    Severity.CRITICAL: _("Critical"),
    Severity.HIGH: _("High"),
    Severity.MEDIUM: _("Medium"),
    Severity.LOW: _("Low"),
}


@register.filter
def severity_name(severity: Severity | int) -> str:
    """Return a severity's name in the active language."""
    return str(SEVERITY_NAMES.get(Severity(int(severity)), ""))


@register.filter
def object_url(ref: dict[str, Any]) -> str:
    """Return the page of a finding's object, or an empty string when it has none."""
    name = OBJECT_URLS.get(ref.get("type", ""))
    if name is None:
        return ""
    try:
        return reverse(name, kwargs={"pk": ref["id"]})
    except NoReverseMatch:
        return ""


@register.inclusion_tag("findings/includes/finding_list.html", takes_context=True)
def finding_list(context: template.Context, findings: list, empty: str = "") -> dict[str, Any]:
    """Render findings (severity, message, fix, objects) as used on every page."""
    return {"findings": findings, "empty": empty, "request": context.get("request")}
