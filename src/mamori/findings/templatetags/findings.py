"""Template helpers for findings: links to the objects a finding concerns."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from mamori.core.links import object_url as object_url_of
from mamori.engines.rules import Severity

register = template.Library()

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
    return object_url_of(ref.get("type", ""), ref.get("id"))


@register.inclusion_tag("findings/includes/finding_list.html", takes_context=True)
def finding_list(context: template.Context, findings: list, empty: str = "") -> dict[str, Any]:
    """Render findings (severity, message, fix, objects) as used on every page."""
    return {"findings": findings, "empty": empty, "request": context.get("request")}


@register.inclusion_tag("findings/includes/freshness.html")
def findings_freshness() -> dict[str, Any]:
    """Say when findings were last evaluated, and whether a run is waiting in the background."""
    from mamori.findings.selectors import evaluation_state

    state = evaluation_state()
    return {
        "state": state,
        "last": (state.updated_at or state.evaluated_at) if state else None,
        "pending": bool(state and state.pending_rules),
    }
