"""The contract checker's service: a check is kept, and a contract's clause checklist follows
the checked file (clauses found with their article, weak ones marked, missing ones removed)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from mamori.contracts import checker, services
from mamori.contracts.models import ClauseSource, ContractCheck, ContractClause, ContractKind
from mamori.core.errors import ApplicationError
from tests.contracts import factories as make
from tests.data.contracts.corpus import HEAD_JA, apply_edits, pdf_from_lines, sample

pytestmark = pytest.mark.django_db

NDA = sample("nda_ja_word")
CLAUSE = "urn:mamori:clause:"


def upload(data: bytes, name: str = "nda.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def held(contract) -> dict[str, tuple[str, bool, str]]:
    return {
        row.clause.removeprefix(CLAUSE): (row.article, row.weak, row.source)
        for row in ContractClause.objects.filter(contract=contract)
    }


def test_checking_a_contracts_file_records_each_clause_with_its_article(officer):
    contract = make.contract(kind=ContractKind.NDA, clauses=[])
    check = checker.contract_check_file(upload=upload(NDA.data), user=officer, contract=contract)
    assert (check.contract, check.kind, check.kind_guessed) == (contract, "nda", False)
    assert check.file_name == "nda.docx" and check.article_count == 12
    clauses = held(contract)
    # every required clause, and the drawings, which the copy limit on all confidential
    # information covers (labelling rule R13) though an NDA does not require them
    required = {key.removeprefix(CLAUSE) for key in make.required(ContractKind.NDA)}
    assert set(clauses) == required | {"no_drawing_copy"}
    assert clauses["confidentiality"] == ("第2条（秘密保持義務）", False, ClauseSource.CHECKER)
    assert clauses["no_reverse_engineering"][0] == "第7条（リバースエンジニアリングの禁止）"


def test_a_new_check_removes_what_the_file_lacks_and_marks_what_is_weak(officer):
    contract = make.contract(kind=ContractKind.NDA)  # every clause ticked by a person
    text = apply_edits(
        NDA.text,
        [
            {"remove": "第7条"},
            {
                "replace": {
                    "article": "第2条",
                    "old": "しなければならない",
                    "new": "努めるものとする",
                }
            },
        ],
        HEAD_JA,
    )
    check = checker.contract_check_file(
        upload=upload(text.encode(), "nda.txt"), user=officer, contract=contract
    )
    clauses = held(contract)
    assert "no_reverse_engineering" not in clauses
    assert clauses["confidentiality"] == ("第2条（秘密保持義務）", True, ClauseSource.CHECKER)
    applied = checker.contract_apply_check(contract=contract, check=check)
    assert applied.removed == [] and [c.key for c in applied.weak] == ["confidentiality"]


def test_applying_reports_manual_ticks_it_overrides(officer):
    contract = make.contract(kind=ContractKind.NDA)
    text = apply_edits(NDA.text, [{"remove": "第7条"}], HEAD_JA)
    report = checker.contract_check_run(data=text.encode(), name="nda.txt", kind="nda")
    check = ContractCheck.objects.create(
        contract=contract,
        file_name="nda.txt",
        file_size=1,
        kind="nda",
        language="ja",
        results=checker.report_results(report),
    )
    applied = checker.contract_apply_check(contract=contract, check=check)
    assert [c.key for c in applied.removed] == ["no_reverse_engineering"]
    assert [c.key for c in applied.overridden] == ["no_reverse_engineering"]


def test_a_person_changing_the_article_clears_the_weakness(officer):
    contract = make.contract(kind=ContractKind.NDA, clauses=[])
    text = apply_edits(
        NDA.text,
        [{"replace": {"article": "第2条", "old": "しなければならない", "new": "努めるものとする"}}],
        HEAD_JA,
    )
    checker.contract_check_file(
        upload=upload(text.encode(), "a.txt"), user=officer, contract=contract
    )
    clauses = {clause: article for clause, (article, _, _) in held(contract).items()}
    clauses = {CLAUSE + key: article for key, article in clauses.items()}
    clauses[CLAUSE + "confidentiality"] = "第2条"
    services.contract_set_clauses(contract=contract, clauses=clauses)
    assert held(contract)["confidentiality"] == ("第2条", False, ClauseSource.MANUAL)


def test_a_check_on_its_own_guesses_the_type_and_touches_no_contract(officer):
    check = checker.contract_check_file(upload=upload(NDA.data), user=officer)
    assert check.contract is None and check.kind == "nda" and check.kind_guessed
    assert 0.8 <= check.type_confidence <= 1
    assert ContractClause.objects.count() == 0
    lines = checker.check_lines(check)
    assert [line.clause.key for line in lines if line.required][:2] == ["purpose", "definition"]
    assert checker.check_summary(lines) == {"present": 11, "weak": 0, "missing": 0}


def test_a_chosen_type_is_checked_against_its_own_requirements(officer):
    check = checker.contract_check_file(upload=upload(NDA.data), user=officer, kind="licence")
    summary = checker.check_summary(checker.check_lines(check))
    assert check.kind == "licence" and not check.kind_guessed
    # scope, equipment, subcontracting, results, control (the copy limit covers drawings)
    assert summary["missing"] == 5


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.docx", "is empty"),
        (b"PK\x03\x04garbage", "broken.docx", "damaged"),
        (pdf_from_lines(["第1条", "本文。"], encrypt="pw"), "locked.pdf", "password"),
        (b"\x89PNG\r\n\x1a\n", "scan.png", "format"),
    ],
)
def test_unreadable_files_get_a_message_naming_them_and_nothing_is_stored(
    officer, data, name, message
):
    contract = make.contract(kind=ContractKind.NDA)
    before = held(contract)
    with translation.override("en"), pytest.raises(ApplicationError) as error:
        checker.contract_check_file(upload=upload(data, name), user=officer, contract=contract)
    assert error.value.field == "file" and name in str(error.value) and message in str(error.value)
    assert ContractCheck.objects.count() == 0 and held(contract) == before


def test_too_large_files_are_refused(officer, settings):
    settings.MAMORI_MAX_UPLOAD_BYTES = 10
    with translation.override("en"), pytest.raises(ApplicationError, match="larger than the limit"):
        checker.contract_check_file(upload=upload(NDA.data), user=officer)


def test_an_unknown_type_is_refused(officer):
    with pytest.raises(ApplicationError) as error:
        checker.contract_check_file(upload=upload(NDA.data), user=officer, kind="lease")
    assert error.value.field == "kind"
