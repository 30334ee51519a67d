"""Builders for the officer appointment and the security posture (through their services)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from mamori.governance import services
from mamori.governance.models import OfficerAppointment, PostureArea, PostureMeasure
from mamori.people import services as people_services
from mamori.people.models import Person


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def person(name: str = "佐藤 美咲", **fields: Any) -> Person:
    return people_services.person_create(name=name, **fields)


def appointment(officer: Person | None = None, **fields: Any) -> OfficerAppointment:
    fields.setdefault("appointed_on", days_ago(60))
    fields.setdefault("mandate", "技術流出対策を部署横断で統括し、四半期ごとに取締役会へ報告する。")
    fields.setdefault("reviewed_on", days_ago(55))
    fields.setdefault("reviewed_by", "取締役会")
    return services.appointment_save(person=officer or person(), **fields)


def measure(
    area: str = PostureArea.ACCESS_RIGHTS, owner: Person | None = None, **fields: Any
) -> PostureMeasure:
    fields.setdefault("measures", "アクセス権は所有者の承認で付与し、四半期ごとに棚卸しする。")
    return services.posture_measure_save(area=area, owner=owner or person("鈴木 大輔"), **fields)


def whole_posture() -> list[PostureMeasure]:
    owner = person("鈴木 大輔")
    return [measure(area, owner) for area in PostureArea.values]
