"""The disclosure-ledger rules fire on the problem they name, and not otherwise."""

from __future__ import annotations

import pytest

from mamori.contracts import services as contract_services
from mamori.contracts.models import ContractKind
from mamori.core.bilingual import bilingual_date
from mamori.disclosures import rules
from mamori.findings.registry import RuleContext, registry, specs
from mamori.partners.models import CounterpartyKind
from tests.contracts import factories as make

pytestmark = pytest.mark.django_db

LEDGER_RULES = [
    "disclosures.without_nda",
    "disclosures.outside_scope",
    "disclosures.beyond_stage",
    "disclosures.customer_not_codenamed",
    "disclosures.supplier_without_scope",
    "disclosures.supplier_use_mentioned",
    "disclosures.overseas_not_codenamed",
]


def run(rule_id: str):
    return registry.run(specs(), RuleContext(today=make.today()), only=[rule_id])


def labels(findings) -> list[list[str]]:
    return [[ref.label for ref in finding.objects] for finding in findings]


def test_every_ledger_rule_has_tests_here():
    assert set(LEDGER_RULES) <= set(specs().rules)
    tested = {name.removeprefix("test_").split("__")[0] for name in globals()}
    for rule_id in LEDGER_RULES:
        assert rule_id.split(".", 1)[1] in tested, f"{rule_id} has no test"


# --- disclosures.without_nda ----------------------------------------------------------------


def test_without_nda__fires_per_counterparty_and_stops_once_an_nda_covered_the_day():
    university = make.counterparty("東都大学")
    recipe, drawing = make.asset("電解液の配合表"), make.asset("電極の図面")
    make.disclose(university, [recipe], disclosed_on=make.days_ago(20))
    make.disclose(university, [drawing], disclosed_on=make.days_ago(10), pre_deal=True)
    findings = run("disclosures.without_nda")
    assert labels(findings) == [["東都大学"]]
    assert findings[0].params["count"] == 2
    assert findings[0].params["latest"]["ja"] == bilingual_date(make.days_ago(10))["ja"]

    # An NDA signed later does not cover what was given before it.
    make.contract(university, signed_on=make.days_ago(15))
    assert run("disclosures.without_nda")[0].params["count"] == 1
    make.contract(university, signed_on=make.days_ago(30))
    assert run("disclosures.without_nda") == []


def test_without_nda__an_agreement_of_another_party_or_without_the_clause_does_not_count():
    university, other = make.counterparty("東都大学"), make.counterparty("城北化成")
    asset = make.asset()
    make.contract(other)
    make.contract(university, kind=ContractKind.OTHER, clauses=[])
    make.disclose(university, [asset])
    assert labels(run("disclosures.without_nda")) == [["東都大学"]]
    # A contract listing the counterparty among its other parties binds it too.
    make.contract(other, title="三者間NDA", other_parties=[university])
    assert run("disclosures.without_nda") == []


# --- disclosures.outside_scope --------------------------------------------------------------


def test_outside_scope__names_the_disclosure_and_the_assets_outside():
    university = make.counterparty("東都大学")
    inside, outside = make.asset("電極の図面"), make.asset("評価メモ")
    nda = make.contract(university, title="秘密保持契約", scope=[inside])
    make.disclose(university, [inside, outside], contract=nda)
    findings = run("disclosures.outside_scope")
    assert [labels(findings)[0][1:]] == [["東都大学", "評価メモ"]]
    assert findings[0].params["contract"] == "秘密保持契約"
    assert findings[0].params["scope"]["en"] == "outside the scope of “秘密保持契約”"
    contract_services.contract_save(contract=nda, scope=[inside, outside])
    assert run("disclosures.outside_scope") == []


def test_outside_scope__without_a_chosen_contract_when_no_contract_in_force_covers_the_asset():
    customer, partner = make.counterparty("東邦電機"), make.counterparty("城北化成")
    recipe, drawing = make.asset("電解液の配合表"), make.asset("電極の図面")
    make.contract(customer, title="秘密保持契約", scope=[drawing])
    # Covered on the day only by a contract that had ended: it does not count.
    make.contract(
        customer,
        title="旧契約",
        scope=[recipe],
        signed_on=make.days_ago(400),
        ends_on=make.days_ago(30),
    )
    make.disclose(customer, [recipe, drawing], disclosed_on=make.days_ago(10))
    findings = run("disclosures.outside_scope")
    assert [labels(findings)[0][1:]] == [["東邦電機", "電解液の配合表"]]
    assert findings[0].params["scope"]["ja"] == (
        "その日に有効な契約（「秘密保持契約」）のいずれの提供範囲にも含まれていません"
    )
    # A contract in force naming the customer among its other parties covers it.
    make.contract(partner, title="三者間NDA", scope=[recipe], other_parties=[customer])
    assert run("disclosures.outside_scope") == []


def test_outside_scope__not_when_no_contract_is_in_force_at_all():
    # Nothing could cover the asset: disclosures.without_nda speaks instead.
    university = make.counterparty()
    make.contract(university, signed_on=make.days_ago(400), ends_on=make.days_ago(100))
    make.disclose(university, [make.asset()])
    assert run("disclosures.outside_scope") == []
    assert len(run("disclosures.without_nda")) == 1


# --- disclosures.beyond_stage ---------------------------------------------------------------


def test_beyond_stage__fires_until_the_stage_releasing_the_asset_was_reached_before():
    maker = make.counterparty("精密工業", kind=CounterpartyKind.MANUFACTURER)
    spec, drawing = make.asset("製品仕様書"), make.asset("金型図面")
    contract = make.contract(
        maker, kind=ContractKind.MANUFACTURING, scope=[spec, drawing], signed_on=make.days_ago(90)
    )
    make.stage(contract, "試作", [spec], reached_on=make.days_ago(60))
    second = make.stage(contract, "量産", [drawing])
    make.disclose(maker, [spec, drawing], contract=contract, disclosed_on=make.days_ago(10))
    findings = run("disclosures.beyond_stage")
    assert [labels(findings)[0][1:]] == [["精密工業", "金型図面"]]
    # Reached after the disclosure: still beyond the stage on the day it was given.
    contract_services.provision_stage_reach(stage=second, reached_on=make.days_ago(5))
    assert len(run("disclosures.beyond_stage")) == 1
    contract_services.provision_stage_set_back(stage=second)
    contract_services.provision_stage_reach(stage=second, reached_on=make.days_ago(10))
    assert run("disclosures.beyond_stage") == []


def test_beyond_stage__not_without_a_plan():
    maker = make.counterparty(kind=CounterpartyKind.MANUFACTURER)
    spec = make.asset()
    contract = make.contract(maker, kind=ContractKind.MANUFACTURING, scope=[spec])
    make.disclose(maker, [spec], contract=contract)
    assert run("disclosures.beyond_stage") == []


# --- disclosures.customer_not_codenamed -----------------------------------------------------


def test_customer_not_codenamed__fires_for_customers_only_and_stops_with_codenames():
    customer = make.counterparty("城北自動車", kind=CounterpartyKind.CUSTOMER)
    university = make.counterparty("東都大学")
    asset = make.asset()
    make.contract(customer, scope=[asset])
    make.contract(university, scope=[asset])
    make.disclose(university, [asset])
    plain = make.disclose(customer, [asset])
    assert labels(run("disclosures.customer_not_codenamed")) == [["城北自動車"]]
    plain.codenamed = True
    plain.save()
    assert run("disclosures.customer_not_codenamed") == []


# --- disclosures.supplier_without_scope -----------------------------------------------------


def test_supplier_without_scope__fires_without_a_scoped_contract():
    supplier = make.counterparty("北辰素材", kind=CounterpartyKind.SUPPLIER)
    spec = make.asset("原料の受入仕様")
    unscoped = make.contract(supplier, kind=ContractKind.SUPPLY, title="取引基本契約")
    make.disclose(supplier, [spec])
    make.disclose(supplier, [spec], contract=unscoped)
    findings = run("disclosures.supplier_without_scope")
    assert labels(findings) == [["北辰素材"]] and findings[0].params["count"] == 2
    contract_services.contract_save(contract=unscoped, scope=[spec])
    assert run("disclosures.supplier_without_scope")[0].params["count"] == 1


def test_supplier_without_scope__not_for_other_kinds_or_scoped_contracts():
    university = make.counterparty(kind=CounterpartyKind.UNIVERSITY)
    make.disclose(university, [make.asset()])
    supplier = make.counterparty(kind=CounterpartyKind.SUPPLIER)
    spec = make.asset()
    scoped = make.contract(supplier, kind=ContractKind.SUPPLY, scope=[spec])
    make.disclose(supplier, [spec], contract=scoped)
    assert run("disclosures.supplier_without_scope") == []


# --- disclosures.supplier_use_mentioned -----------------------------------------------------


def test_supplier_use_mentioned__fires_when_a_supplier_was_told_the_use():
    supplier = make.counterparty("北辰素材", kind=CounterpartyKind.SUPPLIER)
    spec = make.asset("原料の受入仕様")
    make.disclose(supplier, [spec], use_withheld=True, disclosed_on=make.days_ago(30))
    told = make.disclose(supplier, [spec], use_withheld=False, disclosed_on=make.days_ago(5))
    findings = run("disclosures.supplier_use_mentioned")
    assert labels(findings) == [["北辰素材"]] and findings[0].params["count"] == 1
    assert findings[0].params["latest"]["ja"] == bilingual_date(make.days_ago(5))["ja"]
    told.use_withheld = True
    told.save()
    assert run("disclosures.supplier_use_mentioned") == []


def test_supplier_use_mentioned__not_when_unrecorded_or_not_a_supplier():
    supplier = make.counterparty("北辰素材", kind=CounterpartyKind.SUPPLIER)
    customer = make.counterparty("城北自動車", kind=CounterpartyKind.CUSTOMER)
    asset = make.asset()
    make.disclose(supplier, [asset])  # not recorded: the page asks, the finding does not guess
    make.disclose(customer, [asset], use_withheld=False)
    assert run("disclosures.supplier_use_mentioned") == []


# --- disclosures.overseas_not_codenamed -----------------------------------------------------


@pytest.mark.parametrize("kind", [CounterpartyKind.MANUFACTURER, CounterpartyKind.LICENSEE])
def test_overseas_not_codenamed__fires_for_foreign_makers_and_licensees(kind):
    foreign = make.counterparty("深圳精工", kind=kind, country="CN")
    asset = make.asset()
    make.contract(foreign, scope=[asset])
    plain = make.disclose(foreign, [asset])
    findings = run("disclosures.overseas_not_codenamed")
    assert labels(findings) == [["深圳精工"]] and findings[0].params["country"] == "CN"
    plain.codenamed = True
    plain.save()
    assert run("disclosures.overseas_not_codenamed") == []


def test_overseas_not_codenamed__not_in_japan_or_for_other_kinds():
    asset = make.asset()
    domestic = make.counterparty(kind=CounterpartyKind.MANUFACTURER, country="JP")
    foreign_lab = make.counterparty(kind=CounterpartyKind.UNIVERSITY, country="US")
    for party in (domestic, foreign_lab):
        make.contract(party, scope=[asset])
        make.disclose(party, [asset])
    assert run("disclosures.overseas_not_codenamed") == []


# --- requirement ----------------------------------------------------------------------------


def test_requirement_recorded():
    context = RuleContext(today=make.today())
    assert not rules.recorded(context)
    make.disclose(make.counterparty(), [make.asset()])
    assert rules.recorded(context)
