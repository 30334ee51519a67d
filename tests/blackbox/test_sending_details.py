"""Issue 19, black-boxing details: the file sent is named so that it is not taken for the
original, the recipient's own name stays in a document addressed to it, nothing is
ticked as given on the sender's behalf, and what must not leave cannot go in one click."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mamori.blackbox.models import Sanitization
from mamori.disclosures.models import Disclosure
from tests.blackbox import factories as make
from tests.contracts import factories as contracts

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    formula = contracts.asset("コーティング配合表")
    partner = contracts.counterparty("株式会社ソーラーテック", kind="customer")
    contracts.contract(partner, title="秘密保持契約", scope=[formula])
    make.term("ポリシラザン", "material", assets=[formula])
    make.term("株式会社ソーラーテック", "customer")
    return partner, formula


def _sanitize(client, name: str, text: str, partner=None):
    fields = {"file": SimpleUploadedFile(name, text.encode())}
    if partner is not None:
        fields["counterparty"] = partner.pk
    response = client.post(reverse("blackbox:sanitize"), fields)
    assert response.status_code == 200, response.content.decode()[:500]
    return response, Sanitization.objects.latest("pk")


def test_the_file_sent_is_named_for_sending(client_as, editor, customer, settings):
    client = client_as(editor)
    _, sanitization = _sanitize(client, "ポリシラザン評価.txt", "主剤はポリシラザン")
    assert sanitization.output_name == "素材A評価_送付用.txt"
    # Already named so: not twice.
    _, again = _sanitize(client, "評価_送付用.txt", "主剤はポリシラザン")
    assert again.output_name == "評価_送付用.txt"
    settings.MAMORI_BLACKBOX_SUFFIX = "（社外提供版）"
    _, other = _sanitize(client, "評価.txt", "主剤はポリシラザン")
    assert other.output_name == "評価（社外提供版）.txt"


def test_the_recipients_own_name_is_kept_in_a_document_to_it(client_as, editor, customer):
    partner, _ = customer
    client = client_as(editor)
    text = "ソーラーテック御中\n主剤はポリシラザンです。"
    response, sanitization = _sanitize(client, "見積.txt", text, partner)
    body = sanitization.output.open("rb").read().decode()
    assert "ソーラーテック御中" in body and "ポリシラザン" not in body
    page = response.content.decode()
    assert 'id="kept"' in page and "株式会社ソーラーテック" in page
    assert 'data-finding="term"' not in page  # the kept name is not reported as left
    # To anyone else (or nobody) the name is codenamed as before.
    other = contracts.counterparty("城北化成")
    _, elsewhere = _sanitize(client, "見積.txt", text, other)
    assert "ソーラーテック" not in elsewhere.output.open("rb").read().decode()


def test_nothing_is_ticked_as_given(client_as, editor, customer):
    partner, formula = customer
    client = client_as(editor)
    response, sanitization = _sanitize(client, "a.txt", "主剤はポリシラザン", partner)
    confirm = response.context["confirm"]
    assert formula.pk in [value for value, _ in confirm.fields["assets"].choices]
    assert not confirm.initial.get("assets")
    assert "checked" not in str(confirm["assets"])
    page = client.get(reverse("blackbox:confirm", args=[sanitization.pk])).content.decode()
    assert 'name="assets"' in page and "checked" not in page.split('id="confirm-form"')[1]


def test_a_marking_left_in_the_file_needs_an_explicit_acknowledgement(client_as, editor, customer):
    partner, formula = customer
    client = client_as(editor)
    response, sanitization = _sanitize(client, "a.txt", "社外秘\n主剤はポリシラザン", partner)
    assert 'name="acknowledge_remaining"' in response.content.decode()
    url = reverse("blackbox:confirm", args=[sanitization.pk])
    fields = {"assets": [formula.pk], "purpose": "評価依頼", "method": "email"}
    refused = client.post(url, fields)
    assert refused.status_code == 400 and 'id="acknowledge-remaining"' in refused.content.decode()
    sanitization.refresh_from_db()
    assert sanitization.confirmed_at is None and not Disclosure.objects.exists()
    assert client.post(url, {**fields, "acknowledge_remaining": "on"}).status_code == 302
    sanitization.refresh_from_db()
    assert sanitization.confirmed_at is not None


def test_a_clean_file_needs_no_acknowledgement(client_as, editor, customer):
    response, _ = _sanitize(client_as(editor), "a.txt", "主剤はポリシラザン")
    assert 'name="acknowledge_remaining"' not in response.content.decode()
