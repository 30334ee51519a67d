"""Derived-status cases for the contracts rows (see tests/findings/cases.py): contracts
and the disclosures made under them."""

from __future__ import annotations

from mamori.contracts.models import ContractKind
from mamori.partners import services as partner_services
from mamori.partners.models import CounterpartyKind
from tests.contracts import factories as make
from tests.findings.cases import Case

# --- overseas production: contract scope and clauses ----------------------------------------


def _manufacturing(clauses=None):
    maker = make.counterparty("台北精密製造", kind=CounterpartyKind.MANUFACTURER, country="TW")
    return make.contract(
        maker,
        kind=ContractKind.MANUFACTURING,
        title="製造委託契約",
        scope=[make.asset("量産仕様書")],
        clauses=clauses,
    )


def contract_scope_ok():
    _manufacturing()


def contract_scope_not_yet():
    _manufacturing(clauses=[make.CONFIDENTIALITY, "urn:mamori:clause:scope_of_technology"])


# --- overseas production: staged provision --------------------------------------------------


def _staged(disclosed: str):
    maker = make.counterparty("台北精密製造", kind=CounterpartyKind.MANUFACTURER, country="TW")
    spec, drawing = make.asset("量産仕様書"), make.asset("金型図面")
    contract = make.contract(
        maker, kind=ContractKind.MANUFACTURING, scope=[spec, drawing], signed_on=make.days_ago(60)
    )
    make.stage(contract, "試作", [spec], reached_on=make.days_ago(30))
    make.stage(contract, "量産", [drawing])
    given = spec if disclosed == "spec" else drawing
    make.disclose(maker, [given], contract=contract, codenamed=True)


def staged_ok():
    _staged("spec")


def staged_not_yet():
    _staged("drawing")


# --- alignment: pre-deal scope ----------------------------------------------------------------


def pre_deal_ok():
    candidate = make.counterparty("城北化成", kind=CounterpartyKind.CUSTOMER)
    sample_data = make.asset("評価用データ")
    nda = make.contract(candidate, title="秘密保持契約", scope=[sample_data])
    make.disclose(candidate, [sample_data], contract=nda, pre_deal=True, codenamed=True)


def pre_deal_not_yet():
    candidate = make.counterparty("城北化成", kind=CounterpartyKind.CUSTOMER)
    make.disclose(candidate, [make.asset("評価用データ")], pre_deal=True, codenamed=True)


# --- alignment: confidentiality clauses -------------------------------------------------------


def confidentiality_ok():
    make.contract(make.counterparty("東都大学"), title="秘密保持契約")


def confidentiality_not_yet():
    university = make.counterparty("東都大学")
    recipe = make.asset("電解液の配合表")
    nda = make.contract(
        university,
        title="秘密保持契約",
        scope=[recipe],
        signed_on=make.days_ago(400),
        ends_on=make.days_ago(20),
    )
    make.disclose(university, [recipe], contract=nda, disclosed_on=make.days_ago(100))


# --- alignment: what suppliers receive --------------------------------------------------------


def supplier_ok():
    supplier = make.counterparty("北辰素材", kind=CounterpartyKind.SUPPLIER)
    spec = make.asset("原料の受入仕様")
    contract = make.contract(supplier, kind=ContractKind.SUPPLY, title="取引基本契約", scope=[spec])
    make.disclose(supplier, [spec], contract=contract)


def supplier_not_yet():
    supplier = make.counterparty("北辰素材", kind=CounterpartyKind.SUPPLIER)
    make.contract(supplier, kind=ContractKind.SUPPLY, title="取引基本契約")
    make.disclose(supplier, [make.asset("原料の受入仕様")])


# --- joint research: contracts ready for capital changes ------------------------------------


def _research(with_clause: bool):
    lab = make.counterparty("東都大学 材料研究室")
    clauses = make.required(ContractKind.JOINT_RESEARCH)
    if not with_clause:
        clauses = [clause for clause in clauses if clause != make.CAPITAL_CHANGE]
    make.contract(
        lab,
        kind=ContractKind.JOINT_RESEARCH,
        title="共同研究契約",
        clauses=clauses,
        signed_on=make.days_ago(200),
    )
    return lab


def capital_ok():
    _research(with_clause=True)


def capital_not_yet():
    lab = _research(with_clause=False)
    partner_services.capital_change_record(
        counterparty=lab, occurred_on=make.days_ago(5), description="海外企業が株式の35%を取得"
    )


# --- overseas production: black-boxing -----------------------------------------------------


def _overseas(codenamed: bool):
    maker = make.counterparty("深圳精工", kind=CounterpartyKind.MANUFACTURER, country="CN")
    drawing = make.asset("部品図面")
    contract = make.contract(maker, kind=ContractKind.MANUFACTURING, scope=[drawing])
    make.disclose(maker, [drawing], contract=contract, codenamed=codenamed)


def black_boxing_ok():
    _overseas(codenamed=True)


def black_boxing_not_yet():
    _overseas(codenamed=False)


CASES: list[Case] = [
    Case(
        "urn:mamori:row:overseas_production:contract-scope",
        contract_scope_ok,
        contract_scope_not_yet,
        "必要な条項が欠けている契約 (1)",
    ),
    Case(
        "urn:mamori:row:overseas_production:staged-provision",
        staged_ok,
        staged_not_yet,
        "段階的な技術提供の計画を超えた提供 (1)",
    ),
    Case(
        "urn:mamori:row:alignment:pre-deal-scope",
        pre_deal_ok,
        pre_deal_not_yet,
        "秘密保持契約なしでの情報提供 (1)",
    ),
    Case(
        "urn:mamori:row:alignment:confidentiality-clauses",
        confidentiality_ok,
        confidentiality_not_yet,
        "秘密保持契約の期限切れ（情報が相手方に残っている） (1)",
    ),
    Case(
        "urn:mamori:row:alignment:supplier-scope",
        supplier_ok,
        supplier_not_yet,
        "提供範囲を定めずに仕入先へ情報提供 (1)",
    ),
    Case(
        "urn:mamori:row:joint_research:capital-change-contracts",
        capital_ok,
        capital_not_yet,
        "資本変動があった共同研究先との契約に資本変動条項がない (1)",
    ),
    Case(
        "urn:mamori:row:overseas_production:black-boxing",
        black_boxing_ok,
        black_boxing_not_yet,
        "海外の製造委託先等への提供がブラックボックス化されていない (1)",
    ),
]
