"""Pages of the disclosure ledger: permissions, recording with warnings (confirmation, and
the officer's override of a 極秘 block), the disclosure page and the list's filters."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamori.disclosures.models import Disclosure, Method
from mamori.partners.models import CounterpartyKind
from tests.contracts import factories as make

pytestmark = pytest.mark.django_db

LIST, CREATE = reverse("disclosures:disclosure_list"), reverse("disclosures:disclosure_create")


def _page(response) -> str:
    return response.content.decode()


def _seen(page: str) -> str:
    match = re.search(r'name="seen" value="([^"]*)"', page)
    assert match, "the warnings are not asked to be confirmed"
    return match.group(1)


@pytest.fixture
def nda():
    """東都大学 with an NDA in force; its scope is the drawing and the recipe."""
    university = make.counterparty("東都大学")
    scope = [make.asset("電極の図面", rank=2), make.asset("電解液の配合表", rank=2)]
    contract = make.contract(university, title="秘密保持契約", scope=scope)
    return contract


def _form(contract, assets, **fields) -> dict:
    return {
        "contract": contract.pk if contract else "",
        "assets": [asset.pk for asset in assets],
        "disclosed_on": make.today().isoformat(),
        "purpose": "電極材料の共同評価",
        "method": Method.MEETING,
        **fields,
    }


def _create_url(contract) -> str:
    return f"{CREATE}?counterparty={contract.counterparty_id}&contract={contract.pk}"


# --- permissions ---------------------------------------------------------------------------


def test_an_employee_cannot_see_or_record_disclosures(client_as, employee, nda):
    disclosure = make.disclose(nda.counterparty, nda.scope.all(), contract=nda)
    client = client_as(employee)
    for url in (
        LIST,
        CREATE,
        _create_url(nda),
        reverse("disclosures:disclosure", args=[disclosure.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(_create_url(nda), _form(nda, nda.scope.all())).status_code == 403
    assert Disclosure.objects.count() == 1


def test_an_auditor_reads_the_ledger_but_does_not_record(client_as, auditor, nda):
    disclosure = make.disclose(nda.counterparty, nda.scope.all(), contract=nda)
    client = client_as(auditor)
    assert "電極の図面" in _page(client.get(LIST))
    assert client.get(reverse("disclosures:disclosure", args=[disclosure.pk])).status_code == 200
    assert client.get(_create_url(nda)).status_code == 403
    assert client.post(_create_url(nda), _form(nda, nda.scope.all())).status_code == 403


# --- recording -----------------------------------------------------------------------------


def test_the_counterparty_is_chosen_first(client_as, editor, nda):
    client = client_as(editor)
    picker = _page(client.get(CREATE))
    assert 'name="counterparty"' in picker and "東都大学" in picker
    form = _page(client.get(f"{CREATE}?counterparty={nda.counterparty_id}"))
    assert "秘密保持契約" in form and "電極の図面" in form and 'name="purpose"' in form
    # Through the contract alone, the counterparty follows.
    assert "電極の図面" in _page(client.get(f"{CREATE}?contract={nda.pk}"))


def test_a_disclosure_inside_the_scope_is_recorded_at_once(client_as, editor, nda):
    response = client_as(editor).post(_create_url(nda), _form(nda, nda.scope.all()))
    disclosure = Disclosure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosures:disclosure", args=[disclosure.pk])
    assert disclosure.warnings == [] and disclosure.contract == nda
    assert set(disclosure.assets.all()) == set(nda.scope.all())


def test_warnings_are_shown_and_confirmed_keeping_what_was_typed(client_as, editor, nda):
    memo = make.asset("評価メモ", rank=2)
    client = client_as(editor)
    data = _form(nda, [*nda.scope.all(), memo], purpose="試作品の評価条件のすり合わせ")
    first = client.post(_create_url(nda), data)
    page = _page(first)
    assert first.status_code == 400 and not Disclosure.objects.exists()
    assert 'data-warning="outside_scope"' in page and "評価メモ" in page
    assert "試作品の評価条件のすり合わせ" in page
    assert re.search(rf'value="{memo.pk}"[^>]*checked', page)
    assert 'data-blocked="false"' in page and 'name="override_reason"' not in page
    seen = _seen(page)

    # Ticking without having seen these warnings (no key) is not a confirmation.
    again = client.post(_create_url(nda), {**data, "confirm": "on"})
    assert again.status_code == 400 and not Disclosure.objects.exists()

    done = client.post(_create_url(nda), {**data, "confirm": "on", "seen": seen})
    assert done.status_code == 302
    disclosure = Disclosure.objects.get()
    assert [w["code"] for w in disclosure.warnings] == ["outside_scope"]
    assert disclosure.override_by is None


def test_without_an_nda_the_warning_names_the_counterparty(client_as, editor):
    stranger = make.counterparty("城北化成")
    asset = make.asset("評価用データ", rank=2)
    response = client_as(editor).post(
        f"{CREATE}?counterparty={stranger.pk}", _form(None, [asset], pre_deal="on")
    )
    page = _page(response)
    assert response.status_code == 400 and 'data-warning="without_nda"' in page
    assert "城北化成" in page and "評価用データ" in page


def test_top_secret_with_a_warning_is_blocked_for_an_editor(client_as, editor, nda):
    secret = make.asset("焼成条件", rank=1)
    client = client_as(editor)
    data = _form(nda, [secret])
    blocked = client.post(_create_url(nda), data)
    page = _page(blocked)
    assert blocked.status_code == 400 and 'data-blocked="true"' in page
    assert "焼成条件" in page and 'name="override_reason"' not in page
    seen = _seen(page)
    assert client.post(_create_url(nda), {**data, "seen": seen, "confirm": "on"}).status_code == 400
    forced = client.post(
        _create_url(nda), {**data, "seen": seen, "override_reason": "自分で判断した"}
    )
    assert forced.status_code == 403
    assert not Disclosure.objects.exists()


def test_the_officer_overrides_a_block_with_a_reason(client_as, officer, nda):
    secret = make.asset("焼成条件", rank=1)
    client = client_as(officer)
    data = _form(nda, [secret])
    blocked = _page(client.post(_create_url(nda), data))
    assert 'name="override_reason"' in blocked
    seen = _seen(blocked)
    without_reason = client.post(_create_url(nda), {**data, "seen": seen, "confirm": "on"})
    assert without_reason.status_code == 400 and not Disclosure.objects.exists()
    reason = "試作評価に不可欠。追補契約で範囲に加える（取締役会承認済み）"
    done = client.post(_create_url(nda), {**data, "seen": seen, "override_reason": reason})
    assert done.status_code == 302
    disclosure = Disclosure.objects.get()
    assert disclosure.override_by == officer and disclosure.override_reason == reason
    page = _page(client.get(done["Location"]))
    assert reason in page and 'data-warning="outside_scope"' in page and 'id="override"' in page


def test_a_supplier_disclosure_asks_whether_the_use_was_withheld(client_as, editor):
    supplier = make.counterparty("北辰素材", kind=CounterpartyKind.SUPPLIER)
    spec = make.asset("原料の受入仕様", rank=2)
    contract = make.contract(supplier, title="秘密保持契約", scope=[spec])
    client = client_as(editor)
    assert 'name="use_withheld"' in _page(client.get(_create_url(contract)))
    missing = client.post(_create_url(contract), _form(contract, [spec]))
    assert missing.status_code == 400 and not Disclosure.objects.exists()
    done = client.post(_create_url(contract), _form(contract, [spec], use_withheld="no"))
    assert done.status_code == 302
    disclosure = Disclosure.objects.get()
    assert disclosure.use_withheld is False
    page = _page(client.get(reverse("disclosures:disclosure", args=[disclosure.pk])))
    assert 'id="use-withheld"' in page


def test_other_counterparties_are_not_asked_about_the_use(client_as, editor, nda):
    client = client_as(editor)
    assert 'name="use_withheld"' not in _page(client.get(_create_url(nda)))
    client.post(_create_url(nda), _form(nda, nda.scope.all(), use_withheld="no"))
    assert Disclosure.objects.get().use_withheld is None


def test_an_invalid_form_is_shown_again(client_as, editor, nda):
    response = client_as(editor).post(
        _create_url(nda), _form(nda, [], purpose="残したい目的", disclosed_on="2026-13-40")
    )
    assert response.status_code == 400
    page = _page(response)
    assert "残したい目的" in page and "errorlist" in page
    assert not Disclosure.objects.exists()


# --- the disclosure page -------------------------------------------------------------------


def test_the_disclosure_page_shows_what_was_given_and_its_findings(client_as, auditor):
    university = make.counterparty("東都大学")
    asset = make.asset("電解液の配合表")
    disclosure = make.disclose(university, [asset], purpose="配合の妥当性確認")
    page = _page(client_as(auditor).get(reverse("disclosures:disclosure", args=[disclosure.pk])))
    assert "東都大学" in page and "電解液の配合表" in page and "配合の妥当性確認" in page
    assert 'data-warning="without_nda"' in page
    assert 'data-rule="disclosures.without_nda"' not in page  # a finding on the counterparty


def test_the_disclosure_page_lists_findings_about_it(client_as, auditor, nda):
    memo = make.asset("評価メモ")
    disclosure = make.disclose(nda.counterparty, [memo], contract=nda)
    page = _page(client_as(auditor).get(reverse("disclosures:disclosure", args=[disclosure.pk])))
    assert 'data-rule="disclosures.outside_scope"' in page


# --- the list ------------------------------------------------------------------------------


def test_list_filters(client_as, auditor, nda):
    university = nda.counterparty
    drawing, recipe = nda.scope.order_by("name")
    other = make.counterparty("城北化成")
    make.contract(other, scope=[recipe])
    make.disclose(university, [drawing], contract=nda, disclosed_on=make.days_ago(40))
    make.disclose(university, [make.asset("評価メモ")], contract=nda, disclosed_on=make.days_ago(5))
    make.disclose(other, [recipe], disclosed_on=make.days_ago(20))
    client = client_as(auditor)

    def rows(query: str = "") -> int:
        return _page(client.get(LIST + query)).count("data-disclosure=")

    assert rows() == 3
    assert rows(f"?counterparty={other.pk}") == 1
    assert rows(f"?contract={nda.pk}") == 2
    assert rows("?asset_q=配合") == 1
    assert rows(f"?asset={drawing.pk}") == 1
    assert rows(f"?date_from={make.days_ago(30).isoformat()}") == 2
    assert rows(f"?date_to={make.days_ago(30).isoformat()}") == 1
    assert rows("?warnings=on") == 1
    assert "評価メモ" in _page(client.get(LIST + "?warnings=on"))


def test_list_query_count_does_not_grow(client_as, auditor, nda):
    def queries() -> int:
        client = client_as(auditor)
        client.get(LIST)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST)
        assert response.status_code == 200
        return len(captured)

    make.disclose(nda.counterparty, nda.scope.all(), contract=nda)
    few = queries()
    for _ in range(10):
        party = make.counterparty()
        contract = make.contract(party, scope=[make.asset(), make.asset()])
        make.disclose(party, contract.scope.all(), contract=contract)
        make.disclose(party, [make.asset(rank=1)])
    assert queries() == few
