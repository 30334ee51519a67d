"""Factories for the people tests: departments, people, assets and grants."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest

from mamori.assets import services as asset_services
from mamori.assets.models import AccessGrant, InformationAsset, SecrecyClass
from mamori.people import services
from mamori.people.models import Department, Person


@pytest.fixture
def department(db) -> Department:
    return services.department_get_or_create(name="研究開発部")


@pytest.fixture
def sales(db) -> Department:
    return services.department_get_or_create(name="営業部")


@pytest.fixture
def make_person(db) -> Callable[..., Person]:
    def make(name: str = "山田 太郎", **fields) -> Person:
        fields.setdefault("joined_on", datetime.date(2020, 4, 1))
        return services.person_create(name=name, **fields)

    return make


@pytest.fixture
def make_asset(db) -> Callable[..., InformationAsset]:
    def make(name: str = "電池材料の配合表", rank: int = 1) -> InformationAsset:
        return asset_services.asset_save(
            name=name, kind="document", secrecy_class=SecrecyClass.objects.get(rank=rank)
        )

    return make


@pytest.fixture
def grant(officer) -> Callable[..., AccessGrant]:
    def make(person: Person, asset: InformationAsset, reason: str = "開発業務") -> AccessGrant:
        return asset_services.grant_create(
            person=person, asset=asset, reason=reason, granted_by=officer
        )

    return make
