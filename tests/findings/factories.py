"""Small builders for register data, going through the services as the app does."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mamori.assets import services as asset_services
from mamori.assets.models import AccessGrant, InformationAsset, SecrecyClass, Technology
from mamori.people import services as people_services
from mamori.people.models import Department, Person

OWNER = "情報 管理者"


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def department(name: str = "研究開発部") -> Department:
    return people_services.department_get_or_create(name=name)


def person(name: str = "山田 太郎", **fields) -> Person:
    fields.setdefault("department", department())
    return people_services.person_create(name=name, **fields)


def secrecy(rank: int = 1) -> SecrecyClass:
    return SecrecyClass.objects.get(rank=rank)


def asset(name: str = "電解液の配合表", *, rank: int | None = 1, **fields) -> InformationAsset:
    """Return a well-managed asset (owner, marking, separation) unless told otherwise."""
    if "owner" not in fields:
        fields["owner"] = Person.objects.filter(name=OWNER).first() or person(OWNER)
    fields.setdefault("kind", "document")
    fields.setdefault("marking", "ヘッダーに「極秘」")
    fields.setdefault("separation", "アクセス制限付きフォルダ")
    return asset_services.asset_save(
        name=name, secrecy_class=secrecy(rank) if rank else None, **fields
    )


def grant(who: Person, what: InformationAsset, **fields) -> AccessGrant:
    fields.setdefault("reason", "担当業務に必要")
    fields.setdefault("granted_by", None)
    return asset_services.grant_create(person=who, asset=what, **fields)


def technology(name: str = "全固体電池の電解質", category: str = "core", **fields) -> Technology:
    return asset_services.technology_save(name=name, category=category, **fields)
