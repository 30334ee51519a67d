"""Issue 16, problem 1: a disclosure recorded without choosing a contract is checked
against every contract in force with the counterparty on that day — scope and provision
stage — and the record states only the checks that ran.

The scenario: 株式会社ソーラーテック, a customer, has an NDA covering two other assets;
極秘 information given to it without choosing a contract is warned and blocked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from mamori.contracts.models import ContractKind
from mamori.core.errors import NotPermitted
from mamori.disclosures.models import Disclosure, Method
from mamori.disclosures.services import ledger
from tests.contracts import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    """The customer, its NDA (scope: the drawing and the spec), and the 極秘 conditions."""
    customer = make.counterparty("株式会社ソーラーテック", kind="customer")
    drawing = make.asset("電極の図面", rank=2)
    spec = make.asset("製品仕様書", rank=2)
    secret = make.asset("焼成条件", rank=1)  # 極秘
    nda = make.contract(customer, title="秘密保持契約", scope=[drawing, spec])
    return customer, nda, drawing, spec, secret


def _review(customer, assets, **fields):
    fields.setdefault("disclosed_on", make.today())
    return ledger.disclosure_review(counterparty=customer, assets=assets, **fields)


def _record(user, customer, assets, **fields):
    fields.setdefault("disclosed_on", make.today())
    fields.setdefault("purpose", "量産品質の確認")
    fields.setdefault("method", Method.MEETING)
    return ledger.disclosure_record(counterparty=customer, assets=assets, user=user, **fields)


# --- the checks ---------------------------------------------------------------------------


def test_without_a_contract_every_contract_in_force_is_checked(scenario):
    customer, _nda, drawing, _spec, secret = scenario
    review = _review(customer, [drawing, secret])
    (warning,) = review.warnings
    assert warning.code == ledger.OUTSIDE_SCOPE
    assert [name for _, name in warning.assets] == ["焼成条件"]
    # Which contract covers which asset, and which asset none covers.
    ja = warning.message["ja"]
    assert "「焼成条件」" in ja and "株式会社ソーラーテック" in ja
    assert "「秘密保持契約」" in ja or "“秘密保持契約”" in ja
    assert "「電極の図面」" in ja
    assert [(c.code, c.outcome) for c in review.checks] == [
        ("nda", "passed"),
        ("scope", "failed"),
        ("stage", "not_checked"),
    ]


def test_several_contracts_each_cover_their_assets(scenario):
    customer, _nda, drawing, _spec, secret = scenario
    make.contract(customer, kind=ContractKind.SUPPLY, title="売買基本契約", scope=[secret])
    review = _review(customer, [drawing, secret])
    assert review.warnings == []
    (scope,) = [c for c in review.checks if c.code == "scope"]
    assert scope.outcome == "passed"
    assert "売買基本契約" in scope.message["ja"] and "秘密保持契約" in scope.message["ja"]


def test_a_contract_that_ended_does_not_cover(scenario):
    customer, _nda, _drawing, _spec, secret = scenario
    make.contract(
        customer,
        kind=ContractKind.SUPPLY,
        title="旧売買契約",
        scope=[secret],
        signed_on=make.days_ago(400),
        ends_on=make.days_ago(30),
    )
    assert [w.code for w in _review(customer, [secret]).warnings] == [ledger.OUTSIDE_SCOPE]


def test_the_stage_is_checked_across_the_contracts_covering_an_asset(scenario):
    customer, _nda, _drawing, _spec, _secret = scenario
    mould = make.asset("金型図面", rank=2)
    staged = make.contract(
        customer, kind=ContractKind.MANUFACTURING, title="製造委託契約", scope=[mould]
    )
    stage = make.stage(staged, "量産", [mould])
    (warning,) = _review(customer, [mould]).warnings
    assert warning.code == ledger.BEYOND_STAGE and "製造委託契約" in warning.message["ja"]
    make.services.provision_stage_reach(stage=stage, reached_on=make.days_ago(1))
    review = _review(customer, [mould])
    assert review.warnings == []
    assert ("stage", "passed") in [(c.code, c.outcome) for c in review.checks]


# --- the record and its statement -----------------------------------------------------------


def test_the_scenario_is_blocked_for_an_editor_and_nothing_written(scenario, editor):
    customer, _nda, _drawing, _spec, secret = scenario
    with pytest.raises(ledger.DisclosureBlocked) as blocked:
        _record(editor, customer, [secret])
    assert [w.code for w in blocked.value.warnings] == [ledger.OUTSIDE_SCOPE]
    steps = blocked.value.next_steps
    assert steps.asset_ids == (secret.pk,) and not steps.nda_missing
    assert [title for _, title in steps.contracts] == ["秘密保持契約"]
    assert not Disclosure.objects.exists()


def test_the_statement_is_the_checks_that_ran(scenario, editor, officer):
    customer, _nda, drawing, spec, secret = scenario
    clean = _record(editor, customer, [drawing, spec])
    assert clean.warnings == []
    assert [(c["code"], c["outcome"]) for c in clean.checks] == [
        ("nda", "passed"),
        ("scope", "passed"),
        ("stage", "not_checked"),
    ]
    overridden = _record(
        officer,
        customer,
        [secret],
        confirmed=[f"outside_scope:{secret.pk}"],
        override_reason="品質問題の調査に不可欠（取締役会承認）",
    )
    outcomes = {c["code"]: c["outcome"] for c in overridden.checks}
    assert outcomes == {"nda": "passed", "scope": "failed", "stage": "not_checked"}
    # No NDA at all: the scope is stated as not checked, never as within scope.
    stranger = make.counterparty("城北化成")
    unguarded = _record(editor, stranger, [drawing], confirmed=[f"without_nda:{drawing.pk}"])
    assert [(c["code"], c["outcome"]) for c in unguarded.checks] == [
        ("nda", "failed"),
        ("scope", "not_checked"),
    ]


def test_the_disclosure_page_states_the_checks_and_no_more(scenario, editor, client_as):
    _customer, _nda, drawing, *_ = scenario
    stranger = make.counterparty("城北化成")
    disclosure = _record(editor, stranger, [drawing], confirmed=[f"without_nda:{drawing.pk}"])
    page = client_as(editor).get(disclosure.get_absolute_url()).content.decode()
    assert 'data-check="nda" data-outcome="failed"' in page
    assert 'data-check="scope" data-outcome="not_checked"' in page
    assert "範囲内" not in _statement(page)


def _statement(page: str) -> str:
    match = re.search(r'id="statement">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


# --- the page ---------------------------------------------------------------------------------


def _form(assets, contract=None) -> dict:
    return {
        "contract": contract.pk if contract else "",
        "assets": [asset.pk for asset in assets],
        "disclosed_on": make.today().isoformat(),
        "purpose": "量産品質の確認",
        "method": Method.MEETING,
    }


def test_the_page_warns_and_blocks_with_next_steps(scenario, client_as, editor):
    customer, nda, _drawing, _spec, secret = scenario
    url = f"{reverse('disclosures:disclosure_create')}?counterparty={customer.pk}"
    response = client_as(editor).post(url, _form([secret]))
    page = response.content.decode()
    assert response.status_code == 400 and 'data-blocked="true"' in page
    assert 'data-warning="outside_scope"' in page and "秘密保持契約" in page
    edit = reverse("contracts:contract_edit", args=[nda.pk]) + f"?scope={secret.pk}"
    assert f'href="{edit}"' in page
    assert not Disclosure.objects.exists()


def test_the_next_step_links_prefill_the_contract_forms(scenario, client_as, editor):
    customer, nda, drawing, spec, secret = scenario
    client = client_as(editor)
    edit = client.get(reverse("contracts:contract_edit", args=[nda.pk]) + f"?scope={secret.pk}")
    chosen = set(edit.context["form"].initial["scope"])
    assert chosen == {drawing.pk, spec.pk, secret.pk}
    new = client.get(
        reverse("contracts:contract_create")
        + f"?counterparty={customer.pk}&kind=nda&scope={secret.pk}"
    )
    initial = new.context["form"].initial
    assert initial["kind"] == "nda" and initial["counterparty"] == customer.pk
    assert initial["scope"] == [secret.pk]


def test_a_non_secret_asset_outside_every_scope_is_warned_then_confirmed(
    scenario, client_as, editor
):
    customer, *_ = scenario
    memo = make.asset("評価メモ", rank=2)
    url = f"{reverse('disclosures:disclosure_create')}?counterparty={customer.pk}"
    client = client_as(editor)
    page = client.post(url, _form([memo])).content.decode()
    assert 'data-blocked="false"' in page and 'data-warning="outside_scope"' in page
    seen = re.search(r'name="seen" value="([^"]*)"', page).group(1)
    done = client.post(url, {**_form([memo]), "seen": seen, "confirm": "on"})
    assert done.status_code == 302
    assert Disclosure.objects.get().warnings[0]["code"] == "outside_scope"


# --- the API ----------------------------------------------------------------------------------


API = "/api/disclosures/"


def _body(customer, assets, **fields) -> dict:
    return {
        "counterparty": customer.pk,
        "assets": [asset.pk for asset in assets],
        "disclosed_on": make.today().isoformat(),
        "purpose": "量産品質の確認",
        "method": "meeting",
        **fields,
    }


def test_the_api_warns_and_blocks_the_scenario(scenario, api, editor, officer):
    customer, _nda, _drawing, _spec, secret = scenario
    response = api(editor).post_json(API, _body(customer, [secret]))
    assert response.status_code == 409
    data = response.json()
    assert data["blocked"] is True
    (warning,) = data["warnings"]
    assert warning["code"] == "outside_scope" and warning["key"] == f"outside_scope:{secret.pk}"
    refused = api(editor).post_json(
        API, _body(customer, [secret], confirmed=[warning["key"]], override_reason="自分で判断")
    )
    assert refused.status_code == 403
    assert not Disclosure.objects.exists()

    done = api(officer).post_json(
        API,
        _body(customer, [secret], confirmed=[warning["key"]], override_reason="取締役会承認済み"),
    )
    assert done.status_code == 201, done.json()
    record = done.json()
    assert record["override_reason"] == "取締役会承認済み"
    assert {c["code"]: c["outcome"] for c in record["checks"]}["scope"] == "failed"


def test_the_api_asks_to_confirm_a_warning_then_records(scenario, api, editor):
    customer, *_ = scenario
    memo = make.asset("評価メモ", rank=2)
    client = api(editor)
    first = client.post_json(API, _body(customer, [memo]))
    assert first.status_code == 409 and first.json()["blocked"] is False
    keys = [w["key"] for w in first.json()["warnings"]]
    done = client.post_json(API, _body(customer, [memo], confirmed=keys))
    assert done.status_code == 201 and done.json()["warnings"][0]["code"] == "outside_scope"


# --- an import --------------------------------------------------------------------------------

DISCLOSURE_HEADERS = [
    "提供日",
    "提供先",
    "契約",
    "提供した情報",
    "目的",
    "方法",
    "責任者の判断理由",
]


def _import_rows(user, *rows):
    from mamori.core.actor import acting_as
    from mamori.exchange.planning import plan_import
    from mamori.exchange.services import ExchangeImportError, exchange_import
    from tests.exchange.conftest import xlsx

    content = xlsx({"情報提供": [DISCLOSURE_HEADERS, *rows]})
    plan = plan_import(content, "ledger.xlsx", user=user)
    if plan.errors:
        raise ExchangeImportError(plan.errors)
    with acting_as(user):
        return exchange_import(plan=plan, user=user)


def _row(asset, reason=""):
    purpose = f"{asset.name}の確認"
    return [make.today(), "株式会社ソーラーテック", "", asset.name, purpose, "meeting", reason]


def test_an_import_warns_and_blocks_the_scenario(scenario, editor, officer):
    from mamori.exchange.services import ExchangeImportError

    _customer, _nda, drawing, _spec, secret = scenario
    memo = make.asset("評価メモ", rank=2)
    with pytest.raises(ExchangeImportError) as refused:
        _import_rows(editor, _row(drawing), _row(memo), _row(secret))
    errors = {error.row: error.message for error in refused.value.errors}
    assert set(errors) == {3, 4}
    assert "評価メモ" in errors[3] and "画面で" in errors[3]
    assert "焼成条件" in errors[4] and "責任者" in errors[4]
    assert not Disclosure.objects.exists()  # all rows or none

    result = _import_rows(editor, _row(drawing))
    assert result.total("created") == 1
    (clean,) = Disclosure.objects.all()
    assert {c["code"]: c["outcome"] for c in clean.checks}["scope"] == "passed"

    with pytest.raises(ExchangeImportError):
        _import_rows(editor, _row(secret, reason="自分で判断"))
    # The officer's import confirms the warnings; 極秘 still needs the officer's reason.
    _import_rows(officer, _row(memo))
    assert Disclosure.objects.get(assets=memo).warnings[0]["code"] == "outside_scope"
    with pytest.raises(ExchangeImportError):
        _import_rows(officer, _row(secret))
    _import_rows(officer, _row(secret, reason="品質調査に不可欠（取締役会承認）"))
    overridden = Disclosure.objects.get(assets=secret)
    assert overridden.override_by == officer
    assert overridden.warnings[0]["code"] == "outside_scope"


# --- asking the officer's approval ---------------------------------------------------------


def _ask(client, customer, secret, reason="品質問題の調査に必要"):
    url = f"{reverse('disclosures:disclosure_create')}?counterparty={customer.pk}"
    return client.post(url, {**_form([secret]), "ask_approval": "1", "approval_reason": reason})


def test_the_block_screen_offers_the_editor_to_ask(scenario, client_as, editor, officer):
    customer, *_, secret = scenario
    url = f"{reverse('disclosures:disclosure_create')}?counterparty={customer.pk}"
    page = client_as(editor).post(url, _form([secret])).content.decode()
    assert 'id="ask-approval"' in page and 'name="ask_approval"' in page
    # The officer overrides instead; nothing to ask.
    page = client_as(officer).post(url, _form([secret])).content.decode()
    assert 'id="ask-approval"' not in page and 'name="override_reason"' in page
    # Without a reason nothing is asked and the block is shown again.
    again = _ask(client_as(editor), customer, secret, reason="")
    assert again.status_code == 400 and 'data-blocked="true"' in again.content.decode()
    from mamori.approvals.models import ApprovalRequest

    assert not ApprovalRequest.objects.exists()


def test_an_approved_request_records_the_disclosure_with_the_officers_reason(
    scenario, client_as, editor, officer
):
    from mamori.approvals import services as approvals
    from mamori.approvals.models import ApprovalRequest
    from mamori.audit.models import AuditEntry

    customer, *_, secret = scenario
    response = _ask(client_as(editor), customer, secret)
    request = ApprovalRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{request.pk}/")
    assert request.status == "pending" and request.requested_by == editor
    assert not Disclosure.objects.exists()
    # The pending request is in the officer's digest, not the editor's.
    from mamori.notify.digest import digest_build
    from mamori.notify.selectors import digest_collect

    data = digest_collect()
    waiting = [item.title for item in digest_build(officer, data).items("waiting")]
    assert any("焼成条件" in title for title in waiting)
    assert not any("焼成条件" in i.title for i in digest_build(editor, data).items("waiting"))
    # The editor cannot approve their own request; the officer can.
    with pytest.raises(NotPermitted):
        approvals.approval_approve(request=request, user=editor, reason="自分で")
    approvals.approval_approve(request=request, user=officer, reason="取締役会で承認済み")
    disclosure = Disclosure.objects.get()
    assert list(disclosure.assets.all()) == [secret]
    assert disclosure.override_by == officer and disclosure.override_reason == "取締役会で承認済み"
    assert {c["code"]: c["outcome"] for c in disclosure.checks}["scope"] == "failed"
    request.refresh_from_db()
    assert request.status == "approved" and request.result_id == str(disclosure.pk)
    assert AuditEntry.objects.filter(object_type="approvals.approvalrequest").count() >= 2


def test_a_declined_request_records_nothing_and_keeps_the_reason(
    scenario, client_as, editor, officer
):
    from mamori.approvals import services as approvals
    from mamori.approvals.models import ApprovalRequest

    customer, *_, secret = scenario
    _ask(client_as(editor), customer, secret)
    request = ApprovalRequest.objects.get()
    approvals.approval_decline(request=request, user=officer, reason="まず契約の範囲を広げること")
    request.refresh_from_db()
    assert request.status == "declined" and request.decision_reason == "まず契約の範囲を広げること"
    assert not Disclosure.objects.exists()
    page = client_as(editor).get(reverse("approvals:request", args=[request.pk])).content.decode()
    assert "まず契約の範囲を広げること" in page
