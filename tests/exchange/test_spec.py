"""The register specs are data checked when loaded; a later register plugs in by adding one."""

from __future__ import annotations

import textwrap

import pytest

from mamori.exchange.spec import ColumnType, SpecError, get_registry, load_registers

pytestmark = pytest.mark.django_db


def _load(tmp_path, text: str):
    path = tmp_path / "registers.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_registers(path)


def test_the_shipped_specs_load_with_types_and_order_from_the_models():
    registry = get_registry()
    assert registry.import_order.index("people") < registry.import_order.index("grants")
    assert registry.import_order.index("assets") < registry.import_order.index("contracts")
    assert set(registry.import_order) == {
        "departments",
        "people",
        "secrecy_classes",
        "technologies",
        "assets",
        "grants",
        "trainings",
        "counterparties",
        "contracts",
        "disclosures",
    }
    assert registry.import_order.index("contracts") < registry.import_order.index("disclosures")
    people = registry["people"]
    assert people.column("joined_on").type == ColumnType.DATE
    assert people.column("kind").type == ColumnType.CHOICE
    assert people.column("department").type == ColumnType.REF
    assert people.column("name").required and not people.column("email").required
    assert not people.column("status").importable
    assert registry["assets"].column("technologies").type == ColumnType.REFS
    # An account is not a register: such a relation is exported as text, never imported.
    assert not registry["grants"].column("granted_by").importable
    for register in registry:
        for sheet in (register.sheet_ja, register.sheet_en):
            assert len(sheet) <= 31
    assert registry.find("ＰＥＯＰＬＥ") is registry["people"]
    assert registry.find("人員") is registry["people"]


def test_a_new_register_plugs_in_with_one_spec(tmp_path):
    registry = _load(
        tmp_path,
        """
        registers:
          - name: audits
            sheet: {ja: 拠点監査, en: Site audits}
            model: overseas_sites.SiteAudit
            columns:
              - {field: site.name, ja: 拠点, en: Site}
              - {field: audited_on, ja: 監査日, en: Audited on}
        """,
    )
    assert registry["audits"].column("audited_on").type == ColumnType.DATE
    assert registry["audits"].column("site.name").type == ColumnType.TEXT
    assert not registry["audits"].importable


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{field: nickname, ja: あだ名, en: Nickname}", "no field 'nickname'"),
        ("{field: department, ja: 部署, en: Department, ref: nowhere}", "no register 'nowhere'"),
        ("{field: name, ja: 氏名, en: Name, colour: red}", "unknown keys"),
        ("{field: kind, ja: 区分, en: Kind, type: colour}", "unknown type"),
    ],
)
def test_a_bad_spec_fails_when_loaded(tmp_path, text, problem):
    with pytest.raises(SpecError, match=problem):
        _load(
            tmp_path,
            f"""
            registers:
              - name: people
                sheet: {{ja: 人員, en: People}}
                model: people.Person
                refer_by: [name]
                columns:
                  - {text}
            """,
        )
