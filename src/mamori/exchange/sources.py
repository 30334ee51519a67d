"""Rows of the computed sheets (company, checklist, findings) and need-to-know on assets.

Each ``*_rows`` function takes the exporting user (``None`` for the command line, which
runs with the officer's view) and returns dictionaries keyed by the columns' fields in
``registers.yaml``. Texts are in the active language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone, translation

from mamori.accounts.models import User
from mamori.assessment.models import Status
from mamori.assessment.selectors import answers_by_row
from mamori.assets.selectors import assets_with_details
from mamori.catalog.selectors import get_catalog
from mamori.company.selectors import company_get, stage_decision_current
from mamori.findings.selectors import derived_checks, finding_views, open_findings
from mamori.findings.templatetags.findings import severity_name

__all__ = ["asset_details_visible", "checklist_rows", "company_rows", "finding_rows"]


def _language() -> str:
    return "en" if (translation.get_language() or "ja").startswith("en") else "ja"


def company_rows(user: User | None) -> Iterator[dict[str, Any]]:
    company = company_get()
    if company is None:
        return
    decision = stage_decision_current()
    yield {
        "name": company.name,
        "name_en": company.name_en,
        "corporate_number": company.corporate_number,
        "stage": decision.get_stage_display() if decision else "",
        "officer": str(company.officer) if company.officer else "",
        "officer_appointed_on": company.officer_appointed_on,
        "employee_count": company.employee_count,
        "founded_on": company.founded_on,
        "exported_at": timezone.localtime().replace(microsecond=0, tzinfo=None),
    }


def checklist_rows(user: User | None) -> Iterator[dict[str, Any]]:
    """Every row of the handbook's checklist with the company's answer and what the
    registers say, in the handbook's order (stage by stage, channel by channel)."""
    catalog = get_catalog()
    language = _language()
    answers = answers_by_row()
    checks = derived_checks()
    stage_order = {stage.id: stage.order for stage in catalog.stages}
    channel_order = {channel.id: channel.order for channel in catalog.channels}
    rows = sorted(
        catalog.rows,
        key=lambda row: (min(stage_order[s] for s in row.stages), channel_order[row.channel]),
    )
    for row in rows:
        answer, evidence = answers.get(row.id, (None, 0))
        check = checks.get(row.id)
        if check is None:
            registers_say = ""
        elif check.satisfied:
            registers_say = "OK"
        else:
            registers_say = "、".join(check.reasons(_rule_specs(), language))
        yield {
            "stages": "、".join(
                getattr(catalog.stage(s).name, language)
                for s in sorted(row.stages, key=stage_order.get)
            ),
            "channel": getattr(catalog.channel(row.channel).name, language),
            "row_id": row.id,
            "title": getattr(row.title, language),
            "status": Status(answer.status).label if answer else Status.NOT_STARTED.label,
            "registers_say": registers_say,
            "owner": str(answer.owner) if answer and answer.owner else "",
            "due_date": answer.due_date if answer else None,
            "evidence": evidence,
            "not_applicable_reason": answer.not_applicable_reason if answer else "",
            "guidance": row.guidance,
        }


def _rule_specs() -> dict:
    from mamori.findings.registry import specs

    return specs().rules


def finding_rows(user: User | None) -> Iterator[dict[str, Any]]:
    """The open findings the user may see, worst first."""
    for view in finding_views(open_findings(user=user)):
        yield {
            "severity": str(severity_name(view.severity)),
            "title": view.title,
            "message": view.message,
            "fix": view.fix,
            "objects": "\n".join(str(ref.get("label", "")) for ref in view.objects),
            "since": timezone.localtime(view.finding.first_seen).date(),
        }


def asset_details_visible(user: User | None) -> set[int] | None:
    """Return the assets whose details ``user`` may see, or ``None`` for all of them
    (``mamori.assets.selectors.assets_with_details``, the one need-to-know rule)."""
    return assets_with_details(user)
