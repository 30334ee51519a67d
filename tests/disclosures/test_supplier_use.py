"""Whether the specific use was withheld from a supplier (the handbook's 仕入先に対する
情報提供範囲の限定) travels through the API and the 情報提供 sheet like the page."""

from __future__ import annotations

import pytest

from mamori.core.actor import acting_as
from mamori.disclosures.models import Disclosure
from mamori.exchange.planning import plan_import
from mamori.exchange.services import exchange_import
from mamori.findings.registry import RuleContext, registry, specs
from mamori.partners.models import CounterpartyKind
from tests.contracts import factories as make
from tests.exchange.conftest import xlsx

pytestmark = pytest.mark.django_db

RULE = "disclosures.supplier_use_mentioned"


@pytest.fixture
def supplier():
    supplier = make.counterparty("北辰素材", kind=CounterpartyKind.SUPPLIER)
    spec = make.asset("原料の受入仕様", rank=3)
    make.contract(supplier, title="秘密保持契約", scope=[spec])
    return supplier, spec


def _hits() -> list:
    return registry.run(specs(), RuleContext(today=make.today()), only=[RULE])


def test_the_api_records_it_and_a_mentioned_use_is_a_finding(supplier, api, editor):
    counterparty, spec = supplier
    body = {
        "counterparty": counterparty.pk,
        "assets": [spec.pk],
        "disclosed_on": make.today().isoformat(),
        "purpose": "原料の受入規格の提示",
        "method": "email",
        "use_withheld": False,
    }
    response = api(editor).post_json("/api/disclosures/", body)
    assert response.status_code == 201 and response.json()["use_withheld"] is False
    assert [f.params["counterparty"] for f in _hits()] == ["北辰素材"]
    withheld = api(editor).post_json("/api/disclosures/", {**body, "use_withheld": True})
    assert withheld.json()["use_withheld"] is True
    assert _hits()[0].params["count"] == 1


def test_the_sheet_records_it(supplier, editor):
    _counterparty, spec = supplier
    headers = ["提供日", "提供先", "提供した情報", "目的", "方法", "具体的な用途に言及しない"]
    rows = [
        [make.today(), "北辰素材", spec.name, "規格の提示", "email", "はい"],
        [make.today(), "北辰素材", spec.name, "用途を説明", "email", "いいえ"],
        [make.today(), "北辰素材", spec.name, "未記入", "email", ""],
    ]
    plan = plan_import(xlsx({"情報提供": [headers, *rows]}), "ledger.xlsx", user=editor)
    assert not plan.errors, plan.errors
    with acting_as(editor):
        exchange_import(plan=plan, user=editor)
    recorded = dict(Disclosure.objects.values_list("purpose", "use_withheld"))
    assert recorded == {"規格の提示": True, "用途を説明": False, "未記入": None}
