"""The sample pages: who may do what, forms that explain errors, and the acceptance item —
an overdue sample shows in the findings and on the dashboard until its return and
inspection are recorded through the pages."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mamori.accounts.roles import Role
from mamori.disclosures.models import Sample
from mamori.disclosures.services import samples as services
from tests.sites import factories as make

pytestmark = pytest.mark.django_db

LIST = "/disclosures/samples/"
CREATE = "/disclosures/samples/new/"


def _page(pk: int) -> str:
    return f"/disclosures/samples/{pk}/"


def _lend_data(party, **changes) -> dict[str, str]:
    data = {
        "counterparty": str(party.pk),
        "contract": "",
        "description": "評価用セル（ロットB-07）",
        "asset": "",
        "quantity": "3",
        "lent_on": make.days_ago(1).isoformat(),
        "due_back_on": make.days_ahead(30).isoformat(),
    }
    data.update(changes)
    return data


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICER, Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR])
def test_programme_readers_see_the_list_and_the_sample(client_as, make_user, role):
    sample = make.sample(description="試作電極")
    client = client_as(make_user(role))
    listing = client.get(LIST)
    assert listing.status_code == 200 and "試作電極" in listing.content.decode()
    assert client.get(_page(sample.pk)).status_code == 200


def test_employee_sees_no_sample(client_as, employee):
    sample = make.sample()
    client = client_as(employee)
    for url in (LIST, CREATE, _page(sample.pk), f"{_page(sample.pk)}edit/"):
        assert client.get(url).status_code == 403
    assert client.post(_page(sample.pk), {"action": "return"}).status_code == 403


def test_auditor_reads_but_cannot_record(client_as, auditor):
    sample = make.sample()
    client = client_as(auditor)
    assert client.get(CREATE).status_code == 403
    response = client.post(
        _page(sample.pk), {"action": "return", "returned_on": make.today().isoformat()}
    )
    assert response.status_code == 403
    sample.refresh_from_db()
    assert sample.returned_on is None
    assert 'value="return"' not in client.get(_page(sample.pk)).content.decode()


# --- lending -------------------------------------------------------------------------------


def test_editor_lends_a_sample_through_the_form(client_as, editor):
    party = make.counterparty("海外顧客A社", country="US")
    response = client_as(editor).post(CREATE, _lend_data(party))
    sample = Sample.objects.get()
    assert response.status_code == 302 and response["Location"] == _page(sample.pk)
    assert sample.counterparty == party and sample.quantity == 3


def test_the_lend_form_preselects_the_counterparty_and_offers_its_contracts(client_as, editor):
    party, other = make.counterparty("A社"), make.counterparty("B社")
    make.contract(party, title="A社とのNDA")
    make.contract(other, title="B社とのNDA")
    page = client_as(editor).get(f"{CREATE}?counterparty={party.pk}").content.decode()
    assert f'<option value="{party.pk}" selected>' in page
    assert "A社とのNDA" in page and "B社とのNDA" not in page


def test_the_lend_form_explains_what_is_wrong_and_keeps_what_was_typed(client_as, editor):
    party = make.counterparty()
    response = client_as(editor).post(
        CREATE, _lend_data(party, due_back_on=make.days_ago(5).isoformat())
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Sample.objects.exists()
    assert "評価用セル（ロットB-07）" in page
    with translation.override("ja"):
        assert str(services.DUE_BEFORE_LENT) in page


def test_a_contract_with_another_counterparty_is_refused_on_the_form(client_as, editor):
    party, other = make.counterparty("A社"), make.counterparty("B社")
    foreign = make.contract(other)
    response = client_as(editor).post(CREATE, _lend_data(party, contract=str(foreign.pk)))
    assert response.status_code == 200 and not Sample.objects.exists()
    assert "errorlist" in response.content.decode()


def test_editing_moves_the_due_date(client_as, editor):
    sample = make.sample()
    new_due = make.days_ahead(90)
    response = client_as(editor).post(
        f"{_page(sample.pk)}edit/",
        _lend_data(
            sample.counterparty,
            description=sample.description,
            lent_on=sample.lent_on.isoformat(),
            due_back_on=new_due.isoformat(),
        ),
    )
    assert response.status_code == 302
    sample.refresh_from_db()
    assert sample.due_back_on == new_due


# --- the list -------------------------------------------------------------------------------


def test_list_filters_by_status_and_highlights_overdue(client_as, editor):
    make.overdue_sample(description="期限切れの試作品")
    make.sample(description="貸出中の試作品")
    client = client_as(editor)
    page = client.get(LIST).content.decode()
    overdue_row = re.search(r'<tr class="overdue" data-sample="\d+">.*?</tr>', page, re.S)
    assert overdue_row and "期限切れの試作品" in overdue_row.group(0)
    assert 'data-status-count="overdue">' in page
    filtered = client.get(f"{LIST}?status=overdue").content.decode()
    assert "期限切れの試作品" in filtered and "貸出中の試作品" not in filtered
    searched = client.get(f"{LIST}?q=貸出中").content.decode()
    assert "貸出中の試作品" in searched and "期限切れの試作品" not in searched


def test_list_filters_returned_and_done(client_as, editor):
    returned = make.sample(description="返却済み未点検", lent_on=make.days_ago(20))
    services.sample_record_return(sample=returned, returned_on=make.days_ago(1))
    done = make.sample(description="点検済み", lent_on=make.days_ago(20))
    services.sample_record_return(sample=done, returned_on=make.days_ago(2))
    services.sample_record_inspection(
        sample=done, inspected_on=make.days_ago(1), reverse_engineering_signs=False
    )
    client = client_as(editor)

    def listed(status: str) -> set[int]:
        page = client.get(f"{LIST}?status={status}").content.decode()
        return {int(pk) for pk in re.findall(r'data-sample="(\d+)"', page)}

    assert listed("returned") == {returned.pk}
    assert listed("done") == {done.pk}
    assert listed("out") == set()


def test_an_empty_list_says_what_to_do(client_as, editor):
    page = client_as(editor).get(LIST).content.decode()
    assert 'class="empty"' in page and CREATE in page


def _queries(client, url: str) -> int:
    client.get(url)  # findings are evaluated on the first read after a change
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow(client_as, editor):
    client = client_as(editor)
    asset_party = make.counterparty()
    make.sample(asset_party, contract=make.contract(asset_party))
    few = _queries(client, LIST)
    for _ in range(12):
        party = make.counterparty()
        make.overdue_sample(party, contract=make.contract(party))
        make.sample(party)
    assert _queries(client, LIST) == few
    assert _queries(client, f"{LIST}?status=overdue") == few


# --- the acceptance item ---------------------------------------------------------------------


def _has_overdue_finding(page: str) -> bool:
    return 'data-rule="disclosures.sample_overdue"' in page


def test_overdue_sample_is_in_findings_and_dashboard_until_returned_and_inspected(
    client_as, officer, editor, company_at_stage
):
    company_at_stage("middle")
    sample = make.overdue_sample(make.counterparty("海外顧客C社", country="US"))
    officer_client, editor_client = client_as(officer), client_as(editor)

    findings = officer_client.get("/findings/").content.decode()
    dashboard = officer_client.get("/").content.decode()
    assert _has_overdue_finding(findings) and "海外顧客C社" in findings
    assert _has_overdue_finding(dashboard) and sample.description in dashboard
    assert _has_overdue_finding(editor_client.get(_page(sample.pk)).content.decode())

    response = editor_client.post(
        _page(sample.pk),
        {"action": "return", "returned_on": make.today().isoformat(), "condition": "梱包開封済み"},
    )
    assert response.status_code == 302
    dashboard = officer_client.get("/").content.decode()
    assert not _has_overdue_finding(dashboard)
    assert 'data-rule="disclosures.sample_not_inspected"' in dashboard  # inspect it next

    response = editor_client.post(
        _page(sample.pk),
        {
            "action": "inspection",
            "inspected_on": make.today().isoformat(),
            "reverse_engineering_signs": "no",
            "note": "",
        },
    )
    assert response.status_code == 302
    for page in (
        officer_client.get("/").content.decode(),
        officer_client.get("/findings/").content.decode(),
    ):
        assert not _has_overdue_finding(page)
        assert 'data-rule="disclosures.sample_not_inspected"' not in page
    sample.refresh_from_db()
    assert sample.inspected_on == make.today()


def test_inspection_form_needs_an_answer_and_shows_errors(client_as, editor):
    sample = make.sample(lent_on=make.days_ago(10))
    services.sample_record_return(sample=sample, returned_on=make.days_ago(1))
    client = client_as(editor)
    response = client.post(
        _page(sample.pk), {"action": "inspection", "inspected_on": make.today().isoformat()}
    )
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    response = client.post(
        _page(sample.pk),
        {
            "action": "inspection",
            "inspected_on": make.today().isoformat(),
            "reverse_engineering_signs": "yes",
            "note": "",
        },
    )
    assert response.status_code == 400
    sample.refresh_from_db()
    assert sample.inspected_on is None


def test_inspection_before_return_is_refused_on_the_page(client_as, editor):
    sample = make.sample()
    response = client_as(editor).post(
        _page(sample.pk),
        {
            "action": "inspection",
            "inspected_on": make.today().isoformat(),
            "reverse_engineering_signs": "no",
        },
    )
    assert response.status_code == 400
    sample.refresh_from_db()
    assert sample.inspected_on is None


def test_signs_of_reverse_engineering_say_what_to_do_next(client_as, editor):
    party = make.counterparty("海外顧客D社", country="CN")
    nda = make.contract(
        party, title="サンプル貸与契約", clauses=(make.CONFIDENTIALITY, make.NO_REVERSE_ENGINEERING)
    )
    sample = make.sample(party, contract=nda, lent_on=make.days_ago(40))
    services.sample_record_return(sample=sample, returned_on=make.days_ago(2))
    services.sample_record_inspection(
        sample=sample,
        inspected_on=make.days_ago(1),
        reverse_engineering_signs=True,
        note="筐体に開封痕",
    )
    page = client_as(editor).get(_page(sample.pk)).content.decode()
    assert 'data-reverse-engineering="yes"' in page
    assert "筐体に開封痕" in page and "サンプル貸与契約" in page and "第2条" in page
    assert "海外顧客D社" in page
    listing = client_as(editor).get(LIST).content.decode()
    assert f'data-signs="{sample.pk}"' in listing


def test_sample_page_warns_when_no_nda_was_in_force_and_no_clause(client_as, editor):
    sample = make.sample(make.counterparty("NDAなし社"))
    page = client_as(editor).get(_page(sample.pk)).content.decode()
    assert 'data-nda="missing"' in page and 'data-clause="no"' in page
    party = make.counterparty("NDAあり社")
    covered = make.sample(party, contract=make.contract(party))
    page = client_as(editor).get(_page(covered.pk)).content.decode()
    assert 'data-nda="missing"' not in page


def test_sample_page_quotes_the_handbook(client_as, editor):
    sample = make.sample()
    page = client_as(editor).get(_page(sample.pk)).content.decode()
    assert "固有名詞はコードネーム化して提供しましょう" in page  # customer-scope measure
    assert "リバースエンジニアリングの形跡があった" in page  # the handbook's case


def test_unknown_sample_is_404(client_as, editor):
    assert client_as(editor).get(_page(999)).status_code == 404


def test_the_edit_form_shows_what_is_recorded(client_as, editor):
    party = make.counterparty("海外顧客G社")
    sample = make.sample(party, description="試作電極", quantity=4)
    page = client_as(editor).get(f"{_page(sample.pk)}edit/").content.decode()
    assert 'value="試作電極"' in page and 'value="4"' in page
    assert f'<option value="{party.pk}" selected>' in page
