"""Issue 16 at the black-boxing confirm step: the disclosure it records is checked against
every contract in force with the recipient; 極秘 information outside their scope is
blocked, with the next steps and the officer's approval on request."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mamori.approvals import services as approvals
from mamori.approvals.models import ApprovalRequest
from mamori.blackbox.models import Sanitization
from mamori.disclosures.models import Disclosure
from tests.blackbox import factories as make
from tests.contracts import factories as contracts

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    """A customer whose NDA covers two other assets, and the 極秘 conditions named in the
    document (their term is linked to them)."""
    customer = contracts.counterparty("株式会社ソーラーテック", kind="customer")
    drawing, spec = contracts.asset("電極の図面"), contracts.asset("製品仕様書")
    secret = contracts.asset("焼成条件", rank=1)
    nda = contracts.contract(customer, title="秘密保持契約", scope=[drawing, spec])
    make.term("ポリシラザン", "material", assets=[secret])
    return customer, nda, secret


def _prepared(client, customer) -> int:
    response = client.post(
        reverse("blackbox:sanitize"),
        {
            "file": SimpleUploadedFile("評価.txt", "主剤はポリシラザン".encode()),
            "counterparty": customer.pk,
        },
    )
    assert response.status_code == 200
    return Sanitization.objects.get().pk


def _fields(secret) -> dict:
    return {"assets": [secret.pk], "purpose": "不具合の原因調査", "method": "email"}


def test_the_confirm_step_blocks_the_scenario_with_next_steps(scenario, client_as, editor):
    customer, nda, secret = scenario
    client = client_as(editor)
    pk = _prepared(client, customer)
    response = client.post(reverse("blackbox:confirm", args=[pk]), _fields(secret))
    page = response.content.decode()
    assert response.status_code == 400 and 'data-blocked="true"' in page
    assert 'data-warning="outside_scope"' in page and "秘密保持契約" in page
    assert reverse("contracts:contract_edit", args=[nda.pk]) + f"?scope={secret.pk}" in page
    assert 'id="ask-approval"' in page
    assert not Disclosure.objects.exists()
    assert Sanitization.objects.get().confirmed_at is None


def test_the_officer_approves_the_editors_request(scenario, client_as, editor, officer):
    customer, _nda, secret = scenario
    client = client_as(editor)
    pk = _prepared(client, customer)
    asked = client.post(
        reverse("blackbox:confirm", args=[pk]),
        {**_fields(secret), "ask_approval": "1", "approval_reason": "原因調査に必要"},
    )
    request = ApprovalRequest.objects.get()
    assert asked.status_code == 302 and request.kind == "blackbox.confirm"
    assert not Disclosure.objects.exists()

    approvals.approval_approve(request=request, user=officer, reason="口頭説明に限り承認")
    sanitization = Sanitization.objects.get()
    assert sanitization.confirmed_at is not None
    disclosure = sanitization.disclosure
    assert disclosure.override_by == officer and disclosure.override_reason == "口頭説明に限り承認"
    assert list(disclosure.assets.all()) == [secret] and disclosure.codenamed


def test_a_declined_request_leaves_the_document_unconfirmed(scenario, client_as, editor, officer):
    customer, _nda, secret = scenario
    client = client_as(editor)
    pk = _prepared(client, customer)
    client.post(
        reverse("blackbox:confirm", args=[pk]),
        {**_fields(secret), "ask_approval": "1", "approval_reason": "原因調査に必要"},
    )
    request = ApprovalRequest.objects.get()
    approvals.approval_decline(request=request, user=officer, reason="契約の範囲を先に広げる")
    assert Sanitization.objects.get().confirmed_at is None
    assert not Disclosure.objects.exists()
