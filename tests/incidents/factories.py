"""Builders for the incident register and the concern reports (through their services)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from mamori.incidents import services
from mamori.incidents.models import ConcernKind, ContainmentKind, Incident, IncidentKind


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def incident(title: str = "退職者による設計図面の持出しの疑い", **fields: Any) -> Incident:
    fields.setdefault("kind", IncidentKind.SUSPECTED_LEAK)
    fields.setdefault("description", "退職前日に設計図面フォルダから大量のダウンロードがあった。")
    fields.setdefault("found_on", days_ago(1))
    fields.setdefault("found_by", "情報システム担当 田中")
    fields.setdefault("handled_by", "責任者 佐藤")
    return services.incident_save(title=title, **fields)


def contain(incident: Incident, **fields: Any):
    fields.setdefault("kind", ContainmentKind.ACCESS_REVOKED)
    fields.setdefault("done_on", incident.found_on)
    fields.setdefault("done_by", "情報システム担当 田中")
    return services.containment_record(incident=incident, **fields)


def concern(user, **fields: Any):
    fields.setdefault("kind", ConcernKind.TECHNICAL_QUESTION)
    fields.setdefault("occurred_on", days_ago(1))
    fields.setdefault("description", "展示ブースで焼成温度を何度も聞かれた。")
    return services.concern_report(reported_by=user, **fields)
