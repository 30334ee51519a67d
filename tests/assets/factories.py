"""Small builders for the asset registers, through the services (so the audit log fills)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from mamori.accounts.models import User
from mamori.assets import services
from mamori.assets.models import (
    AccessGrant,
    InformationAsset,
    SecrecyClass,
    Technology,
    TechnologyCategory,
)
from mamori.people import services as people_services
from mamori.people.models import Person

_numbers = itertools.count(1)


def person(name: str | None = None, *, user: User | None = None, **fields: Any) -> Person:
    return people_services.person_create(user=user, name=name or f"社員{next(_numbers)}", **fields)


def secrecy(name: str = "極秘") -> SecrecyClass:
    return SecrecyClass.objects.get(name=name)


def technology(
    name: str = "固体電解質の焼成技術",
    *,
    category: str = TechnologyCategory.CORE,
    **fields: Any,
) -> Technology:
    return services.technology_save(name=name, category=category, **fields)


def asset(
    name: str | None = None,
    *,
    secrecy_class: str | None = "極秘",
    owner: Person | None = None,
    technologies: list[Technology] | None = None,
    **fields: Any,
) -> InformationAsset:
    values = {
        "kind": "process_condition",
        "description": "焼成温度プロファイルと保持時間の一覧",
        "storage_location": "研究開発部 共有サーバー /secret/process",
        "marking": "ヘッダーに「極秘」",
        "separation": "アクセス制限フォルダ",
        **fields,
    }
    return services.asset_save(
        name=name or f"工程条件書{next(_numbers)}",
        secrecy_class=secrecy(secrecy_class) if secrecy_class else None,
        owner=owner,
        technologies=technologies or [],
        **values,
    )


def grant(
    person_: Person,
    asset_: InformationAsset,
    *,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    granted_by: User | None = None,
) -> AccessGrant:
    return services.grant_create(
        person=person_,
        asset=asset_,
        reason="担当業務で使用",
        granted_by=granted_by,
        valid_from=valid_from,
        valid_until=valid_until,
    )
