"""``{{ "weak"|clause_status }}``: a contract-check status's label from the one vocabulary
(``contracts/clause_statuses.yaml``)."""

from __future__ import annotations

from django import template

from mamori.contracts.statuses import status_label

register = template.Library()


@register.filter
def clause_status(status: str) -> str:
    """Return the label of ``status`` (present, weak, missing) in the active language."""
    return status_label(status)
