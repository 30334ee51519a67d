"""Importing registers: every row checked first, all rows or none, errors by sheet, row and
column, references across sheets, upserts by natural key, Shift_JIS CSV."""

from __future__ import annotations

import datetime

import pytest

from mamori.accounts.roles import Role
from mamori.assets.models import AccessGrant, InformationAsset, Technology
from mamori.audit.models import AuditEntry
from mamori.contracts.models import Contract
from mamori.core.actor import acting_as
from mamori.core.tabular import FileError
from mamori.exchange.planning import plan_import
from mamori.exchange.services import ExchangeImportError, exchange_import
from mamori.partners.models import Counterparty
from mamori.people.models import Department, Person, PersonStatus, TrainingRecord

from .conftest import csv_bytes, xlsx

pytestmark = pytest.mark.django_db

PEOPLE = ["社員番号", "氏名", "メール", "区分", "部署", "入社日"]
TECHNOLOGIES = ["技術名", "分類", "責任者"]
ASSETS = ["資産名", "種類", "秘密区分", "関連技術", "管理責任者", "保管場所"]
GRANTS = ["対象者", "情報資産", "必要な理由", "開始日"]


def _import(content: bytes, name: str = "import.xlsx", user=None, **options):
    plan = plan_import(content, name, user=user, **options)
    if plan.errors:
        raise ExchangeImportError(plan.errors)
    with acting_as(user):
        return exchange_import(plan=plan, user=user)


def _workbook(people_rows, asset_rows=None, grant_rows=None) -> bytes:
    sheets = {
        "部署": [["部署名"], ["研究開発部"]],
        "人員": [PEOPLE, *people_rows],
        "技術": [TECHNOLOGIES, ["保護コーティング配合", "コア技術", "E-001"]],
        "情報資産": [ASSETS, *(asset_rows or [])],
        "アクセス権限": [GRANTS, *(grant_rows or [])],
    }
    return xlsx(sheets)


GOOD_PEOPLE = [
    ["E-001", "青木 一郎", "aoki@example.jp", "役員", "研究開発部", datetime.date(2020, 4, 1)],
    ["E-002", "石井 二郎", "", "従業員", "研究開発部", "2021/10/01"],
]
GOOD_ASSETS = [["配合表", "文書", "極秘", "保護コーティング配合", "E-001", "開発サーバ"]]
GOOD_GRANTS = [["E-002", "配合表", "配合の改良", datetime.date(2025, 4, 1)]]


def test_a_workbook_of_several_registers_imports_in_dependency_order(officer):
    result = _import(_workbook(GOOD_PEOPLE, GOOD_ASSETS, GOOD_GRANTS), user=officer)
    aoki = Person.objects.get(employee_number="E-001")
    assert aoki.kind == "executive" and aoki.department.name == "研究開発部"
    assert aoki.joined_on == datetime.date(2020, 4, 1)
    asset = InformationAsset.objects.get(name="配合表")
    assert asset.owner == aoki and asset.secrecy_class.name == "極秘"
    assert [t.name for t in asset.technologies.all()] == ["保護コーティング配合"]
    assert asset.storage_location == "開発サーバ"
    grant = AccessGrant.objects.get()
    assert grant.person.employee_number == "E-002" and grant.asset == asset
    assert grant.granted_by == officer and grant.valid_from == datetime.date(2025, 4, 1)
    assert result.counts["people"]["created"] == 2 and result.counts["grants"]["created"] == 1
    # Writes go through the services: audited, the joining recorded as an event.
    assert AuditEntry.objects.filter(object_type="people.person", action="create").count() == 2
    assert aoki.events.get().kind == "joined"


def test_one_bad_row_writes_nothing_and_names_sheet_row_and_column(officer):
    people = [*GOOD_PEOPLE, ["E-003", "上田 三郎", "", "従業員", "研究開発部", "2024/13/01"]]
    grants = [*GOOD_GRANTS, ["E-009", "配合表", "配合の改良", "2025/04/01"]]
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ExchangeImportError) as caught:
        _import(_workbook(people, GOOD_ASSETS, grants), user=officer)
    errors = {(e.sheet, e.row, e.column): e.message for e in caught.value.errors}
    assert set(errors) == {("人員", 4, "入社日"), ("アクセス権限", 3, "対象者")}
    assert "2024/13/01" in errors[("人員", 4, "入社日")]
    assert "E-009" in errors[("アクセス権限", 3, "対象者")]
    assert not Person.objects.exists() and not Department.objects.exists()
    assert not InformationAsset.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_row_the_service_refuses_rolls_back_every_sheet(officer):
    # Valid cell by cell, but the contract service refuses an end before the start.
    content = xlsx(
        {
            "取引先": [["名称", "種別"], ["つくば先端大学", "大学・研究機関"]],
            "契約": [
                ["契約名", "種類", "相手方", "開始日", "終了日"],
                ["NDA", "NDA", "つくば先端大学", "2025/04/01", "2025/03/31"],
            ],
        }
    )
    with pytest.raises(ExchangeImportError) as caught:
        _import(content, user=officer)
    [error] = caught.value.errors
    assert (error.sheet, error.row, error.column) == ("契約", 2, "終了日")
    assert not Counterparty.objects.exists() and not Contract.objects.exists()


def test_errors_are_in_the_users_language(officer, settings):
    from django.utils import translation

    content = xlsx({"People": [["Employee number", "Name", "Joined on"], ["E-1", "Aoki", "x"]]})
    with translation.override("en"):
        plan = plan_import(content, "people.xlsx")
    [error] = plan.errors
    assert (error.sheet, error.row, error.column) == ("People", 2, "Joined on")
    assert "is not a date" in error.message
    with translation.override("ja"):
        [error] = plan_import(content, "people.xlsx").errors
    assert "日付" in error.message


def test_shift_jis_csv_from_japanese_excel_imports(officer):
    content = csv_bytes(
        [
            ["社員番号", "氏名", "ふりがな", "区分", "入社日"],
            ["E-9", "髙橋 花子", "たかはし はなこ", "契約社員", "2022/4/1"],
        ],
        encoding="cp932",
    )
    assert content.decode("cp932") and not content.startswith(b"\xef\xbb\xbf")
    result = _import(content, "社員一覧.csv", user=officer)
    person = Person.objects.get(employee_number="E-9")
    assert person.name == "髙橋 花子" and person.kind == "contractor"
    assert result.counts == {"people": {"created": 1, "updated": 0, "unchanged": 0}}


def test_a_csv_file_is_matched_to_its_register_by_name_or_option(officer, company):
    rows = [
        ["対象者", "研修名", "対象階層", "受講日"],
        ["E-002", "情報管理研修", "全社員", "2025/6/1"],
    ]
    _import(csv_bytes(rows), "trainings.csv", user=officer)
    _import(
        csv_bytes([rows[0], ["E-001", *rows[1][1:]]]), "upload.csv", user=officer, register="研修"
    )
    assert TrainingRecord.objects.count() == 2


def test_a_row_whose_key_exists_updates_the_record_and_blank_cells_keep_values(officer, company):
    content = xlsx(
        {
            "人員": [["社員番号", "氏名", "役職", "メール"], ["E-001", "青木 一郎", "CTO", ""]],
            "技術": [["技術名", "分類", "流出時の損害"], ["保護コーティング配合", "コア技術", 1]],
        }
    )
    result = _import(content, user=officer)
    company.aoki.refresh_from_db()
    assert company.aoki.title == "CTO" and company.aoki.email == "aoki@example.jp"
    technology = Technology.objects.get()
    assert technology.damage_if_leaked == 1 and technology.importance == "medium"
    assert result.counts["people"]["updated"] == 1
    assert Person.objects.count() == 2 and Technology.objects.count() == 1
    # The same file again changes nothing and writes nothing to the log.
    audit_before = AuditEntry.objects.count()
    again = _import(content, user=officer)
    assert again.counts["people"]["unchanged"] == 1
    assert again.counts["technologies"]["unchanged"] == 1
    assert AuditEntry.objects.count() == audit_before


def test_grants_are_updated_and_revoked_by_person_asset_and_start(officer, company):
    content = xlsx(
        {
            "アクセス権限": [
                [*GRANTS, "取消日", "取消の理由"],
                ["E-001", "配合表", "配合の改良", "2025/04/01", "2025/09/30", "担当替え"],
            ]
        }
    )
    result = _import(content, user=officer)
    company.grant.refresh_from_db()
    assert company.grant.revoked_on == datetime.date(2025, 9, 30)
    assert company.grant.revoke_reason == "担当替え" and company.grant.revoked_by == officer
    assert result.counts["grants"]["updated"] == 1 and AccessGrant.objects.count() == 1


def test_duplicates_unknown_references_choices_and_required_values_are_errors(officer, company):
    content = xlsx(
        {
            "人員": [
                ["社員番号", "氏名", "区分", "部署"],
                ["E-100", "新人 一", "正社員", "研究開発部"],
                ["E-100", "新人 二", "従業員", "研究開発部"],
                ["E-101", "", "従業員", ""],
                ["E-102", "新人 三", "アルバイト", "営業部"],
            ]
        }
    )
    plan = plan_import(content, "people.xlsx", user=officer)
    errors = {(e.row, e.column): e.message for e in plan.errors}
    assert set(errors) == {(3, "社員番号"), (4, "氏名"), (5, "区分"), (5, "部署")}
    assert "2" in errors[(3, "社員番号")]
    assert "アルバイト" in errors[(5, "区分")] and "営業部" in errors[(5, "部署")]
    assert plan.errors[0].sheet == "人員"


def test_a_reference_may_name_a_record_another_sheet_of_the_file_adds(officer):
    content = xlsx(
        {
            # The sheets are out of order: contracts first, their partner after.
            "契約": [
                ["契約名", "種類", "相手方", "提供する情報（範囲）"],
                ["NDA", "秘密保持契約（NDA）", "新しい取引先", "配合表\n仕様書"],
            ],
            "情報資産": [["資産名", "種類"], ["配合表", "文書"], ["仕様書", "文書"]],
            "取引先": [["名称", "種別", "国"], ["新しい取引先", "customer", "us"]],
        }
    )
    _import(content, user=officer)
    contract = Contract.objects.get()
    assert contract.counterparty.name == "新しい取引先" and contract.counterparty.country == "US"
    assert {a.name for a in contract.scope.all()} == {"配合表", "仕様書"}


def test_english_headers_sheet_names_and_labels_are_accepted(officer):
    content = xlsx(
        {
            "Departments": [["Department"], ["R&D"]],
            "People": [
                ["Employee number", "Name", "Kind", "Department", "Key engineer"],
                ["E-1", "Aoki", "Executive", "R&D", "yes"],
            ],
        }
    )
    _import(content, user=officer)
    person = Person.objects.get()
    assert person.kind == "executive" and person.is_key_engineer


def test_a_template_imports_nothing_until_rows_are_added():
    from mamori.exchange.blanks import template_csv, template_workbook
    from mamori.exchange.spec import get_registry

    with pytest.raises(FileError):
        plan_import(template_workbook(), "template.xlsx")
    with pytest.raises(FileError):
        plan_import(template_csv(get_registry()["people"]), "people.csv")


def test_departures_are_recorded_after_the_grants_of_those_who_left(officer):
    content = xlsx(
        {
            "人員": [
                ["社員番号", "氏名", "退職申出日", "退職日"],
                ["E-7", "山本 翔太", "2025/08/01", "2025/08/31"],
            ],
            "情報資産": [["資産名", "種類"], ["配合表", "文書"]],
            "アクセス権限": [
                [*GRANTS, "取消日"],
                ["E-7", "配合表", "担当", "2025/01/01", "2025/08/31"],
            ],
        }
    )
    _import(content, user=officer)
    person = Person.objects.get()
    assert person.status == PersonStatus.DEPARTED
    assert person.notice_given_on == datetime.date(2025, 8, 1)
    assert person.departed_on == datetime.date(2025, 8, 31)
    assert AccessGrant.objects.get().revoked_on == datetime.date(2025, 8, 31)


def test_only_the_officer_may_import_the_process_limit(make_user, officer):
    editor = make_user(Role.EDITOR)
    content = xlsx(
        {"技術": [["技術名", "分類", "全工程を知ってよい人数の上限"], ["配合", "コア技術", 2]]}
    )
    [error] = plan_import(content, "t.xlsx", user=editor).errors
    assert (error.row, error.column) == (2, "全工程を知ってよい人数の上限")
    _import(content, user=officer)
    assert Technology.objects.get().full_process_limit == 2
    # The officer's export imported again by an editor: the value stays as it is.
    assert plan_import(content, "t.xlsx", user=editor).ok


def test_unknown_sheets_and_columns_are_named():
    content = xlsx({"人員": [["氏名", "血液型"], ["青木", "A"]], "メモ": [["何か"], ["x"]]})
    plan = plan_import(content, "x.xlsx")
    found = {(e.sheet, e.row, e.column) for e in plan.errors}
    assert ("人員", 1, "血液型") in found and ("メモ", None, "") in found


def test_the_row_limit_counts_every_sheet_of_the_workbook():
    from mamori.core.tabular import Limits

    content = xlsx(
        {
            "部署": [["部署名"], ["A"], ["B"]],
            "人員": [["氏名"], ["青木"], ["石井"]],
        }
    )
    assert plan_import(content, "x.xlsx", limits=Limits(max_rows=2, max_total_rows=4)).ok
    with pytest.raises(FileError, match="3"):
        plan_import(content, "x.xlsx", limits=Limits(max_rows=2, max_total_rows=3))


def test_a_row_found_by_e_mail_may_not_overwrite_another_employee_number(officer, company):
    content = xlsx(
        {"人員": [["社員番号", "氏名", "メール"], ["E-999", "青木 一郎", "AOKI@example.jp"]]}
    )
    [error] = plan_import(content, "p.xlsx").errors
    assert (error.row, error.column) == (2, "社員番号") and "E-001" in error.message
    # Without an employee number the e-mail (in any case) finds the person.
    content = xlsx({"人員": [["社員番号", "氏名", "メール"], ["", "青木 一郎", "AOKI@example.jp"]]})
    plan = plan_import(content, "p.xlsx")
    assert plan.ok and plan.sheets[0].rows[0].instance_pk == company.aoki.pk


# --- a person's manager: a reference to another row of the same sheet ----------------------


def _people_with_managers(rows: list[list]) -> bytes:
    return xlsx(
        {
            "部署": [["部署名"], ["研究開発部"]],
            "人員": [["社員番号", "氏名", "部署", "上司"], *rows],
        }
    )


def test_a_manager_may_be_a_person_further_down_the_same_sheet(officer):
    result = _import(
        _people_with_managers(
            [
                ["E-011", "石井 二郎", "研究開発部", "E-010"],  # the manager comes next
                ["E-010", "青木 一郎", "研究開発部", ""],
            ]
        ),
        user=officer,
    )
    ishii, aoki = (
        Person.objects.get(employee_number="E-011"),
        Person.objects.get(employee_number="E-010"),
    )
    assert ishii.manager == aoki and aoki.manager is None
    assert result.counts["people"]["created"] == 2
    # Another manager by name, a blank cell keeps the one on record.
    again = _import(
        _people_with_managers(
            [["E-011", "石井 二郎", "", ""], ["E-010", "青木 一郎", "", "石井 二郎"]]
        ),
        user=officer,
    )
    ishii.refresh_from_db(), aoki.refresh_from_db()
    assert ishii.manager == aoki and aoki.manager == ishii
    assert again.counts["people"]["updated"] == 1 and again.counts["people"]["unchanged"] == 1


def test_a_person_as_their_own_manager_is_refused_and_nothing_is_written(officer):
    with pytest.raises(ExchangeImportError) as caught:
        _import(
            _people_with_managers([["E-010", "青木 一郎", "研究開発部", "E-010"]]), user=officer
        )
    (error,) = caught.value.errors
    assert (error.sheet, error.row, error.column) == ("人員", 2, "上司")
    assert not Person.objects.exists()
