"""Factories for the exchange tests: workbooks and CSV files in memory, a small company."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from openpyxl import Workbook

from mamori.assets import services as asset_services
from mamori.assets.models import AccessGrant, InformationAsset, SecrecyClass, Technology
from mamori.contracts import services as contract_services
from mamori.contracts.models import Contract
from mamori.core.actor import acting_as
from mamori.partners import services as partner_services
from mamori.partners.models import Counterparty
from mamori.people import services as people_services
from mamori.people.models import Department, Person


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """Return a workbook with the given sheets (name -> rows, header first)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def make_xlsx() -> Callable[[dict[str, list[list]]], bytes]:
    return xlsx


@dataclass
class Company:
    department: Department
    aoki: Person
    ishii: Person
    technology: Technology
    asset: InformationAsset
    other_asset: InformationAsset
    grant: AccessGrant
    university: Counterparty
    nda: Contract


@pytest.fixture
def company(officer) -> Company:
    """A small company: two people, a technology, two assets, a grant, a partner, an NDA."""
    with acting_as(officer):
        department = people_services.department_get_or_create(name="研究開発部")
        aoki = people_services.person_create(
            employee_number="E-001",
            name="青木 一郎",
            email="aoki@example.jp",
            department=department,
            joined_on=datetime.date(2020, 4, 1),
        )
        ishii = people_services.person_create(
            employee_number="E-002", name="石井 二郎", department=department
        )
        technology = asset_services.technology_save(
            name="保護コーティング配合",
            category="core",
            competitiveness=3,
            damage_if_leaked=3,
            others_interest=2,
            owner=aoki,
        )
        asset = asset_services.asset_save(
            name="配合表",
            kind="document",
            secrecy_class=SecrecyClass.objects.get(rank=1),
            owner=aoki,
            technologies=[technology],
            storage_location="開発サーバ /secure/formula",
            marking="ヘッダーに「極秘」",
        )
        other_asset = asset_services.asset_save(
            name="製品カタログ草案", kind="document", secrecy_class=SecrecyClass.objects.get(rank=3)
        )
        grant = asset_services.grant_create(
            person=aoki,
            asset=asset,
            reason="配合の改良",
            granted_by=officer,
            valid_from=datetime.date(2025, 4, 1),
        )
        university = partner_services.counterparty_save(
            name="つくば先端大学", kind="university", country="JP"
        )
        nda = contract_services.contract_save(
            title="秘密保持契約書",
            kind="nda",
            counterparty=university,
            signed_on=datetime.date(2025, 5, 1),
            ends_on=datetime.date(2027, 4, 30),
            scope=[other_asset],
        )
    return Company(department, aoki, ishii, technology, asset, other_asset, grant, university, nda)
