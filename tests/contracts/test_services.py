"""Contract services: parties and dates, scope, clauses, files and the staged provision plan."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.audit.models import AuditEntry
from mamori.contracts import selectors, services
from mamori.contracts.models import ClauseSource, ContractClause, ContractFile, ContractKind
from mamori.contracts.selectors import ContractStatus
from mamori.core.errors import ApplicationError
from tests.contracts import factories as make

pytestmark = pytest.mark.django_db

MAY_1, APRIL_30 = datetime.date(2026, 5, 1), datetime.date(2026, 4, 30)


# --- contract_save ------------------------------------------------------------------------


def test_contract_save_records_parties_dates_and_scope():
    university, lab = make.counterparty("東都大学"), make.counterparty("東都大学 材料研究所")
    drawing, recipe = make.asset("電極の図面"), make.asset("電解液の配合表")
    contract = services.contract_save(
        title="共同研究契約",
        kind=ContractKind.JOINT_RESEARCH,
        counterparty=university,
        other_parties=[lab, university],
        signed_on=datetime.date(2026, 4, 1),
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2027, 3, 31),
        renewal="agreement",
        confidentiality_survives_until=datetime.date(2030, 3, 31),
        scope=[drawing, recipe],
        scope_note="  電極材料の評価に必要な範囲  ",
    )
    contract.refresh_from_db()
    assert contract.scope_note == "電極材料の評価に必要な範囲"
    # The counterparty is a party already; it is not listed again.
    assert list(contract.other_parties.all()) == [lab]
    assert set(contract.scope.all()) == {drawing, recipe}
    assert AuditEntry.objects.filter(object_type="contracts.contract").exists()


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        (
            {"starts_on": datetime.date(2026, 5, 1), "ends_on": datetime.date(2026, 4, 30)},
            "ends_on",
        ),
        (
            {"signed_on": datetime.date(2026, 5, 1), "ends_on": datetime.date(2026, 4, 30)},
            "ends_on",
        ),
        (
            {
                "ends_on": datetime.date(2027, 3, 31),
                "confidentiality_survives_until": datetime.date(2027, 1, 1),
            },
            "confidentiality_survives_until",
        ),
        (
            {
                "signed_on": datetime.date(2026, 5, 1),
                "information_returned_on": datetime.date(2026, 4, 1),
            },
            "information_returned_on",
        ),
    ],
)
def test_contract_save_refuses_dates_out_of_order(dates, field):
    party = make.counterparty()
    dates = {"signed_on": datetime.date(2026, 4, 1), **dates}
    with pytest.raises(ApplicationError) as error:
        services.contract_save(title="NDA", kind=ContractKind.NDA, counterparty=party, **dates)
    assert error.value.field == field


def test_contract_save_refuses_a_missing_title():
    with pytest.raises(ApplicationError) as error:
        services.contract_save(title=" ", kind=ContractKind.NDA, counterparty=make.counterparty())
    assert error.value.field == "title"


def test_scope_cannot_drop_an_asset_a_stage_releases():
    kept, released = make.asset("仕様書"), make.asset("工程条件")
    contract = make.contract(kind=ContractKind.MANUFACTURING, scope=[kept, released])
    make.stage(contract, "試作", [released])
    with pytest.raises(ApplicationError) as error:
        services.contract_save(contract=contract, scope=[kept])
    assert error.value.field == "scope" and "工程条件" in str(error.value)
    assert set(contract.scope.all()) == {kept, released}
    # Leaving the scope alone (None) is always fine.
    services.contract_save(contract=contract, title="製造委託契約（改定）")


# --- clauses ----------------------------------------------------------------------------


def test_set_clauses_adds_changes_and_removes():
    contract = make.contract(clauses=[])
    services.contract_set_clauses(
        contract=contract,
        clauses={make.CONFIDENTIALITY: "第5条", "urn:mamori:clause:purpose": "第3条"},
    )
    assert dict(contract.clauses.values_list("clause", "article")) == {
        make.CONFIDENTIALITY: "第5条",
        "urn:mamori:clause:purpose": "第3条",
    }
    row = contract.clauses.get(clause=make.CONFIDENTIALITY)
    ContractClause.objects.filter(pk=row.pk).update(source=ClauseSource.CHECKER)
    services.contract_set_clauses(contract=contract, clauses={make.CONFIDENTIALITY: " 第6条 "})
    row.refresh_from_db()
    assert (row.article, row.source) == ("第6条", ClauseSource.MANUAL)
    assert list(contract.clauses.values_list("clause", flat=True)) == [make.CONFIDENTIALITY]


def test_set_clauses_keeps_what_the_checker_found_when_unchanged():
    contract = make.contract(clauses=[make.CONFIDENTIALITY])
    ContractClause.objects.filter(contract=contract).update(source=ClauseSource.CHECKER)
    services.contract_set_clauses(contract=contract, clauses={make.CONFIDENTIALITY: "第1条"})
    assert contract.clauses.get().source == ClauseSource.CHECKER


def test_set_clauses_refuses_an_unknown_clause():
    contract = make.contract(clauses=[make.CONFIDENTIALITY])
    with pytest.raises(ApplicationError):
        services.contract_set_clauses(
            contract=contract, clauses={"urn:mamori:clause:nonsense": "第1条"}
        )
    assert contract.clauses.count() == 1


def test_checklist_lists_required_clauses_first_and_marks_missing():
    contract = make.contract(kind=ContractKind.SUPPLY, clauses=[make.CONFIDENTIALITY])
    lines = selectors.clause_checklist(contract)
    required = make.required(ContractKind.SUPPLY)
    count = len(required)
    assert [line.clause.id for line in lines[:count]] == required
    assert all(line.required for line in lines[:count])
    assert not any(line.required for line in lines[count:])
    assert [line.clause.id for line in lines if line.missing] == [
        clause for clause in required if clause != make.CONFIDENTIALITY
    ]
    assert len(lines) == len(selectors.get_catalog().clauses)


# --- files -------------------------------------------------------------------------------


def test_file_is_stored_under_a_generated_name(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    contract = make.contract()
    upload = SimpleUploadedFile("../../秘密保持契約書.pdf", b"%PDF-1.4 signed")
    record = services.contract_file_add(contract=contract, upload=upload, title="")
    assert record.original_name == "秘密保持契約書.pdf"
    assert record.title == "秘密保持契約書.pdf" and record.size == len(b"%PDF-1.4 signed")
    assert "秘密保持" not in record.file.name and record.file.name.startswith("contracts/")
    assert record.file.read() == b"%PDF-1.4 signed"

    name = record.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.contract_file_delete(contract_file=record)
    assert not ContractFile.objects.exists()
    assert not (tmp_path / name).exists()


def test_empty_and_oversized_files_are_refused(settings):
    contract = make.contract()
    with pytest.raises(ApplicationError) as empty:
        services.contract_file_add(contract=contract, upload=SimpleUploadedFile("a.pdf", b""))
    assert "a.pdf" in str(empty.value) and empty.value.field == "file"
    settings.MAMORI_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ApplicationError) as large:
        services.contract_file_add(contract=contract, upload=SimpleUploadedFile("b.pdf", b"x" * 11))
    assert "b.pdf" in str(large.value)
    assert not ContractFile.objects.exists()


# --- staged provision ---------------------------------------------------------------------


def _plan():
    spec, drawing = make.asset("製品仕様書"), make.asset("金型図面")
    contract = make.contract(
        kind=ContractKind.MANUFACTURING, scope=[spec, drawing], signed_on=make.days_ago(60)
    )
    first = make.stage(contract, "試作", [spec])
    second = make.stage(contract, "量産", [drawing])
    return contract, first, second


def test_stages_are_added_in_order_and_release_only_the_scope():
    contract, first, second = _plan()
    assert (first.order, second.order) == (1, 2)
    outside = make.asset("社内の評価データ")
    with pytest.raises(ApplicationError) as error:
        services.provision_stage_save(contract=contract, name="保守", assets=[outside])
    assert error.value.field == "assets" and "社内の評価データ" in str(error.value)
    with pytest.raises(ApplicationError):
        services.provision_stage_save(contract=contract, name=" ", assets=[])


def test_stages_are_reached_in_order():
    contract, first, second = _plan()
    with pytest.raises(ApplicationError) as error:
        services.provision_stage_reach(stage=second, reached_on=make.days_ago(5))
    assert "試作" in str(error.value)
    services.provision_stage_reach(stage=first, reached_on=make.days_ago(30))
    with pytest.raises(ApplicationError) as before:
        services.provision_stage_reach(stage=second, reached_on=make.days_ago(31))
    assert before.value.field == "reached_on"
    services.provision_stage_reach(stage=second, reached_on=make.days_ago(5))
    assert selectors.current_stage(contract, make.today()).pk == second.pk
    assert selectors.current_stage(contract, make.days_ago(10)).pk == first.pk
    assert selectors.current_stage(contract, make.days_ago(40)) is None
    with pytest.raises(ApplicationError):
        services.provision_stage_reach(stage=second, reached_on=make.today())


@pytest.mark.parametrize(
    "reached_on", [lambda: make.days_ago(61), lambda: make.days_ahead(1)], ids=["early", "future"]
)
def test_a_stage_is_not_reached_before_signing_or_in_the_future(reached_on):
    _, first, _ = _plan()
    with pytest.raises(ApplicationError) as error:
        services.provision_stage_reach(stage=first, reached_on=reached_on())
    assert error.value.field == "reached_on"


def test_a_stage_of_an_unsigned_contract_is_not_reached():
    asset = make.asset()
    draft = make.unsigned(make.counterparty(), scope=[asset])
    stage = services.provision_stage_save(contract=draft, name="試作", assets=[asset])
    with pytest.raises(ApplicationError):
        services.provision_stage_reach(stage=stage, reached_on=make.today())


def test_only_the_latest_stage_is_set_back_and_not_once_used():
    contract, first, second = _plan()
    make.stage(contract, "保守")  # a third, never reached
    services.provision_stage_reach(stage=first, reached_on=make.days_ago(30))
    services.provision_stage_reach(stage=second, reached_on=make.days_ago(5))
    with pytest.raises(ApplicationError):
        services.provision_stage_set_back(stage=first)
    services.provision_stage_set_back(stage=second)
    second.refresh_from_db()
    assert second.reached_on is None
    make.disclose(contract.counterparty, [first.assets.get()], contract=contract)
    with pytest.raises(ApplicationError) as error:
        services.provision_stage_set_back(stage=first)
    assert "試作" in str(error.value)


def test_removing_a_stage_moves_the_later_ones_up():
    contract, first, second = _plan()
    third = make.stage(contract, "保守")
    services.provision_stage_delete(stage=second)
    assert [(s.name, s.order) for s in selectors.provision_stages(contract)] == [
        ("試作", 1),
        ("保守", 2),
    ]
    third.refresh_from_db()
    services.provision_stage_reach(stage=first, reached_on=make.days_ago(3))
    first.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.provision_stage_delete(stage=first)


# --- status and list ----------------------------------------------------------------------


def test_status_of_a_contract():
    party, today = make.counterparty(), make.today()

    def status(**fields):
        return selectors.contract_status(make.contract(party, **fields), today)

    assert selectors.contract_status(make.unsigned(party), today) == ContractStatus.NOT_SIGNED
    assert status(signed_on=make.days_ahead(1)) == ContractStatus.NOT_SIGNED
    assert status(starts_on=make.days_ahead(3)) == ContractStatus.NOT_STARTED
    assert status() == ContractStatus.IN_FORCE
    assert status(ends_on=make.days_ahead(60)) == ContractStatus.EXPIRING
    assert status(ends_on=make.days_ahead(61)) == ContractStatus.IN_FORCE
    assert status(ends_on=make.days_ago(1)) == ContractStatus.ENDED
    assert status(ends_on=make.days_ago(1), renewal="automatic") == ContractStatus.IN_FORCE


def test_list_filters():
    today = make.today()
    university, maker = make.counterparty("東都大学"), make.counterparty("精密工業")
    nda = make.contract(university, title="NDA", ends_on=make.days_ahead(30))
    research = make.contract(
        university,
        kind=ContractKind.JOINT_RESEARCH,
        title="共同研究",
        clauses=[make.CONFIDENTIALITY],
    )
    ended = make.contract(maker, kind=ContractKind.MANUFACTURING, title="旧製造委託")
    services.contract_save(contract=ended, ends_on=make.days_ago(1))
    shared = make.contract(maker, title="三者NDA", other_parties=[university])

    def titles(**filters):
        return {c.title for c in selectors.contract_list(today=today, **filters)}

    assert titles() == {"NDA", "共同研究", "旧製造委託", "三者NDA"}
    assert titles(kind=ContractKind.NDA) == {"NDA", "三者NDA"}
    assert titles(counterparty=university.pk) == {"NDA", "三者NDA", "共同研究"}
    assert titles(status=ContractStatus.IN_FORCE) == {"NDA", "三者NDA", "共同研究"}
    assert titles(status=ContractStatus.EXPIRING) == {"NDA"}
    assert titles(status=ContractStatus.ENDED) == {"旧製造委託"}
    assert titles(missing_only=True) == {"共同研究"}
    missing = selectors.missing_clause_counts([research.pk, shared.pk, nda.pk])
    assert missing[research.pk] == len(make.required(ContractKind.JOINT_RESEARCH)) - 1
    assert missing[shared.pk] == 0 and missing[nda.pk] == 0
    assert shared in selectors.contracts_of_counterparty(university)
