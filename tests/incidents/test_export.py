"""The incident sheets of the workbook: the officer's alone, with the evidence's digests."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from mamori.accounts.roles import Role
from mamori.core.actor import acting_as
from mamori.exchange.export import export_workbook
from mamori.exchange.spec import get_registry
from mamori.incidents import services
from tests.incidents import factories as make

pytestmark = pytest.mark.django_db
SHEETS = [
    "インシデント",
    "インシデントの封じ込め",
    "インシデントの証拠",
    "インシデントの相談先",
    "インシデントへの対応",
    "社員からの相談",
]
NAMES = [
    "incidents",
    "incident_steps",
    "incident_evidence",
    "incident_consultations",
    "incident_responses",
    "concerns",
]


def _export(user):
    registers = [get_registry()[name] for name in NAMES]
    with acting_as(user):
        return load_workbook(io.BytesIO(export_workbook(registers=registers, user=user).content))


def test_the_officer_exports_incidents_with_their_steps_and_digests(officer, employee):
    incident = make.incident("設計図面の持出し")
    make.contain(incident)
    evidence = services.incident_evidence_add(
        incident=incident,
        upload=SimpleUploadedFile("log.csv", b"a,b"),
        preserved_on=make.today(),
        preserved_by="田中",
    )
    make.concern(employee)
    book = _export(officer)
    assert [name for name in book.sheetnames if name in SHEETS] == SHEETS
    rows = list(book["インシデント"].iter_rows(values_only=True))
    assert rows[1][:2] == (incident.pk, "設計図面の持出し")
    digests = [row[4] for row in book["インシデントの証拠"].iter_rows(values_only=True)]
    assert evidence.sha256 in digests
    assert len(list(book["社員からの相談"].iter_rows(values_only=True))) == 2


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR])
def test_no_one_else_exports_them(make_user, role):
    make.incident()
    book = _export(make_user(role))
    assert not set(SHEETS) & set(book.sheetnames)
