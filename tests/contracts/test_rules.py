"""Every contract rule fires on the problem it names and not otherwise; the requirements;
and the acceptance story of a partner's capital change."""

from __future__ import annotations

import pytest
from django.db.models import Q

from mamori.contracts import rules, services
from mamori.contracts.models import ContractKind
from mamori.findings.models import Finding
from mamori.findings.registry import RuleContext, registry, specs
from mamori.findings.services import findings_refresh
from mamori.partners import services as partner_services
from mamori.partners.models import CapitalChange, Counterparty, CounterpartyKind
from mamori.partners.selectors import DDStatus, with_dd_status
from tests.contracts import factories as make
from tests.partners import factories as partner_make

pytestmark = pytest.mark.django_db

CONTRACT_RULES = [rule_id for rule_id in specs().rules if rule_id.startswith("contracts.")]


def run(rule_id: str):
    return registry.run(specs(), RuleContext(today=make.today()), only=[rule_id])


def labels(findings) -> list[list[str]]:
    return [[ref.label for ref in finding.objects] for finding in findings]


def context() -> RuleContext:
    return RuleContext(today=make.today())


def test_every_contract_rule_has_tests_here():
    tested = {name.removeprefix("test_").split("__")[0] for name in globals()}
    for rule_id in CONTRACT_RULES:
        assert rule_id.split(".", 1)[1] in tested, f"{rule_id} has no test"


# --- contracts.missing_clause ------------------------------------------------------------


def test_missing_clause__fires_for_a_contract_in_force_and_names_the_clauses():
    maker = make.counterparty("精密工業", kind=CounterpartyKind.MANUFACTURER)
    required = make.required(ContractKind.SUPPLY)
    contract = make.contract(
        maker,
        kind=ContractKind.SUPPLY,
        title="取引基本契約",
        clauses=[clause for clause in required if clause != make.NO_OTHER_USE],
    )
    findings = run("contracts.missing_clause")
    assert labels(findings) == [["取引基本契約", "精密工業"]]
    assert findings[0].params["clauses"] == {
        "ja": "目的外利用の禁止",
        "en": "No use beyond the purpose",
    }
    assert "目的外利用の禁止" in findings[0].message("ja")

    services.contract_set_clauses(
        contract=contract, clauses={clause: "第3条" for clause in required}
    )
    assert run("contracts.missing_clause") == []


def test_missing_clause__not_for_unsigned_or_ended_contracts():
    party = make.counterparty()
    make.unsigned(party, kind=ContractKind.MANUFACTURING)
    make.contract(party, clauses=[], ends_on=make.days_ago(1))
    assert run("contracts.missing_clause") == []
    make.contract(party, clauses=[], ends_on=make.days_ago(1), renewal="automatic")
    assert len(run("contracts.missing_clause")) == 1


# --- contracts.nda_expired ----------------------------------------------------------------


def _expired_nda(**fields):
    university = make.counterparty("東都大学")
    asset = make.asset("電解液の配合表")
    nda = make.contract(
        university,
        title="秘密保持契約",
        scope=[asset],
        signed_on=make.days_ago(400),
        ends_on=make.days_ago(30),
        **fields,
    )
    make.disclose(university, [asset], contract=nda, disclosed_on=make.days_ago(100))
    return nda


def test_nda_expired__fires_when_the_nda_ended_and_the_information_was_not_returned():
    nda = _expired_nda()
    findings = run("contracts.nda_expired")
    assert labels(findings) == [["秘密保持契約", "東都大学"]]
    services.contract_save(contract=nda, information_returned_on=make.days_ago(2))
    assert run("contracts.nda_expired") == []


def test_nda_expired__not_while_confidentiality_survives_or_a_new_nda_is_in_force():
    nda = _expired_nda(confidentiality_survives_until=make.days_ahead(700))
    assert run("contracts.nda_expired") == []
    services.contract_save(contract=nda, confidentiality_survives_until=make.days_ago(1))
    assert len(run("contracts.nda_expired")) == 1
    make.contract(nda.counterparty, title="秘密保持契約（更新）", signed_on=make.days_ago(29))
    assert run("contracts.nda_expired") == []


def test_nda_expired__not_without_disclosures_or_a_confidentiality_clause():
    university = make.counterparty()
    make.contract(university, ends_on=make.days_ago(30), signed_on=make.days_ago(300))
    assert run("contracts.nda_expired") == []
    asset = make.asset()
    other = make.contract(
        university,
        kind=ContractKind.OTHER,
        scope=[asset],
        clauses=[],
        signed_on=make.days_ago(300),
        ends_on=make.days_ago(30),
    )
    make.disclose(university, [asset], contract=other, disclosed_on=make.days_ago(60))
    assert run("contracts.nda_expired") == []


# --- contracts.capital_change_without_clause -----------------------------------------------


def _research(clauses=None, **fields):
    lab = make.counterparty("東都大学 材料研究室")
    held = [c for c in make.required(ContractKind.JOINT_RESEARCH) if c != make.CAPITAL_CHANGE]
    return make.contract(
        lab,
        kind=ContractKind.JOINT_RESEARCH,
        title="共同研究契約",
        clauses=held if clauses is None else clauses,
        signed_on=make.days_ago(200),
        **fields,
    )


def test_capital_change_without_clause__fires_after_a_change_and_clears_with_the_clause():
    contract = _research()
    assert run("contracts.capital_change_without_clause") == []
    partner_services.capital_change_record(
        counterparty=contract.counterparty,
        occurred_on=make.days_ago(10),
        description="海外ファンドが株式の30%を取得",
    )
    findings = run("contracts.capital_change_without_clause")
    assert labels(findings) == [["共同研究契約", "東都大学 材料研究室"]]
    held = dict(contract.clauses.values_list("clause", "article"))
    services.contract_set_clauses(
        contract=contract, clauses={**held, make.CAPITAL_CHANGE: "第18条"}
    )
    assert run("contracts.capital_change_without_clause") == []


def test_capital_change_without_clause__not_for_changes_before_signing_or_other_kinds():
    contract = _research()
    CapitalChange.objects.create(
        counterparty=contract.counterparty, occurred_on=make.days_ago(300), description="増資"
    )
    assert run("contracts.capital_change_without_clause") == []
    nda = make.contract(contract.counterparty, clauses=[make.CONFIDENTIALITY])
    partner_services.capital_change_record(
        counterparty=nda.counterparty, occurred_on=make.days_ago(5), description="買収"
    )
    assert labels(run("contracts.capital_change_without_clause")) == [
        ["共同研究契約", "東都大学 材料研究室"]
    ]
    services.contract_save(contract=contract, ends_on=make.days_ago(1))
    assert run("contracts.capital_change_without_clause") == []


# --- the acceptance story ------------------------------------------------------------------


def _dd_status(partner: Counterparty) -> str:
    return with_dd_status(Counterparty.objects.filter(pk=partner.pk)).get().dd_status


def _open(rule: str, **refs) -> list[Finding]:
    rows = Finding.objects.filter(resolved_at__isnull=True, rule=rule)
    for object_type, object_id in refs.items():
        rows = rows.filter(
            Q(refs__object_type=object_type.replace("__", "."), refs__object_id=str(object_id))
        )
    return list(rows)


def test_a_capital_change_makes_dd_due_and_flags_the_contract_until_the_clause(officer):
    contract = _research()
    partner = contract.counterparty
    partner_make.approved_dd(partner, officer, performed_on=make.days_ago(100))
    findings_refresh()
    assert _dd_status(partner) == DDStatus.VALID
    assert not _open("contracts.capital_change_without_clause")

    partner_services.capital_change_record(
        counterparty=partner,
        occurred_on=make.days_ago(3),
        description="海外の事業会社が発行済株式の40%を取得",
        foreign_share_after="40",
    )
    findings_refresh()
    assert _dd_status(partner) == DDStatus.CAPITAL_CHANGE
    assert _open("partners.capital_change_not_reviewed", partners__counterparty=partner.pk)
    assert _open("contracts.capital_change_without_clause", contracts__contract=contract.pk)

    held = dict(contract.clauses.values_list("clause", "article"))
    services.contract_set_clauses(
        contract=contract, clauses={**held, make.CAPITAL_CHANGE: "第18条"}
    )
    findings_refresh()
    assert not _open("contracts.capital_change_without_clause")
    # The review is still due until a new one is approved.
    assert _open("partners.capital_change_not_reviewed")


# --- requirements --------------------------------------------------------------------------


def test_requirement_has_contracts():
    party = make.counterparty()
    make.unsigned(party)
    assert not rules.has_contracts(context())
    make.contract(party)
    assert rules.has_contracts(context())


@pytest.mark.parametrize("kind", [ContractKind.MANUFACTURING, ContractKind.LICENCE])
def test_requirement_manufacturing_scoped(kind):
    maker = make.counterparty(kind=CounterpartyKind.MANUFACTURER)
    make.contract(maker, kind=ContractKind.NDA)
    assert not rules.manufacturing_scoped(context())  # no manufacturing contract at all
    contract = make.contract(maker, kind=kind)
    assert not rules.manufacturing_scoped(context())
    services.contract_save(contract=contract, scope_note="金型の図面と量産条件に限る")
    assert rules.manufacturing_scoped(context())
    services.contract_save(contract=contract, scope_note="", scope=[make.asset()])
    assert rules.manufacturing_scoped(context())
    make.contract(maker, kind=kind, ends_on=make.days_ago(1))  # ended: not counted
    assert rules.manufacturing_scoped(context())


def test_requirement_manufacturing_staged():
    maker = make.counterparty(kind=CounterpartyKind.MANUFACTURER)
    asset = make.asset()
    contract = make.contract(maker, kind=ContractKind.MANUFACTURING, scope=[asset])
    assert not rules.manufacturing_staged(context())
    make.stage(contract, "試作", [asset])
    assert rules.manufacturing_staged(context())
    make.contract(maker, kind=ContractKind.LICENCE)
    assert not rules.manufacturing_staged(context())


def test_requirement_joint_research_capital_clause():
    assert not rules.joint_research_capital_clause(context())
    contract = _research()
    assert not rules.joint_research_capital_clause(context())
    held = dict(contract.clauses.values_list("clause", "article"))
    services.contract_set_clauses(
        contract=contract, clauses={**held, make.CAPITAL_CHANGE: "第18条"}
    )
    assert rules.joint_research_capital_clause(context())


# --- contracts.weak_clause -----------------------------------------------------------------


def test_weak_clause__fires_for_a_weak_required_clause_of_a_contract_in_force():
    contract = make.contract(make.counterparty("北辰素材"), title="秘密保持契約")
    contract.clauses.filter(clause=make.CONFIDENTIALITY).update(weak=True)
    findings = run("contracts.weak_clause")
    assert labels(findings) == [["秘密保持契約", "北辰素材"]]
    assert findings[0].params["clauses"] == {"ja": "秘密保持義務", "en": "Confidentiality duty"}
    assert "秘密保持義務" in findings[0].message("ja")


def test_weak_clause__not_for_strong_clauses_clauses_not_required_or_ended_contracts():
    party = make.counterparty()
    make.contract(party)
    assert run("contracts.weak_clause") == []
    other = make.contract(party, kind=ContractKind.SUPPLY)
    services.contract_set_clauses(
        contract=other,
        clauses={
            **{c: "第1条" for c in make.required(ContractKind.SUPPLY)},
            make.CAPITAL_CHANGE: "",
        },
    )
    other.clauses.filter(clause=make.CAPITAL_CHANGE).update(weak=True)  # not required
    ended = make.contract(party, ends_on=make.days_ago(1))
    ended.clauses.update(weak=True)
    assert run("contracts.weak_clause") == []
