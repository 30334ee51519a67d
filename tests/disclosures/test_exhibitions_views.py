"""The exhibition pages: list, page with approval, briefing and contact log, create and
edit; only the officer approves the scope; employees see nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mamori.accounts.roles import Role
from mamori.disclosures.models import Exhibition, ExhibitionContact
from mamori.disclosures.services import exhibitions as services
from mamori.lifecycle import services as lifecycle_services
from tests.sites import factories as make

pytestmark = pytest.mark.django_db

LIST = "/disclosures/exhibitions/"
CREATE = "/disclosures/exhibitions/new/"


def _page(pk: int) -> str:
    return f"/disclosures/exhibitions/{pk}/"


def _form_data(**changes) -> dict:
    data = {
        "name": "国際ナノテク展",
        "venue": "東京ビッグサイト",
        "country": "JP",
        "starts_on": make.days_ahead(20).isoformat(),
        "ends_on": make.days_ahead(22).isoformat(),
        "staff": [],
        "may_disclose": "カタログ記載の仕様",
        "must_not_disclose": "焼成条件、原材料の調達先",
        "escalation_contact": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", [Role.OFFICER, Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR])
def test_programme_readers_see_exhibitions(client_as, make_user, role):
    exhibition = make.exhibition("光学技術展")
    client = client_as(make_user(role))
    assert "光学技術展" in client.get(LIST).content.decode()
    assert client.get(_page(exhibition.pk)).status_code == 200


def test_employee_sees_no_exhibition(client_as, employee):
    exhibition = make.exhibition()
    client = client_as(employee)
    for url in (LIST, CREATE, _page(exhibition.pk), f"{_page(exhibition.pk)}edit/"):
        assert client.get(url).status_code == 403
    assert client.post(_page(exhibition.pk), {"action": "contact"}).status_code == 403


def test_editor_creates_an_exhibition_with_staff(client_as, editor):
    staff = [make.person("展示 一郎"), make.person("展示 花子")]
    boss = make.person("営業部長")
    response = client_as(editor).post(
        CREATE,
        _form_data(staff=[str(p.pk) for p in staff], escalation_contact=str(boss.pk)),
    )
    exhibition = Exhibition.objects.get()
    assert response.status_code == 302 and response["Location"] == _page(exhibition.pk)
    assert set(exhibition.staff.all()) == set(staff) and exhibition.escalation_contact == boss
    page = client_as(editor).get(_page(exhibition.pk)).content.decode()
    assert "展示 一郎" in page and "営業部長" in page and 'data-scope="pending"' in page


def test_create_form_refuses_dates_in_the_wrong_order(client_as, editor):
    response = client_as(editor).post(CREATE, _form_data(ends_on=make.days_ahead(10).isoformat()))
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Exhibition.objects.exists()


def test_form_offers_current_people_only(client_as, editor):
    make.person("在籍中の社員")
    leaver = make.person("退職した社員")
    lifecycle_services.person_depart(person=leaver, departed_on=make.days_ago(1))
    page = client_as(editor).get(CREATE).content.decode()
    assert "在籍中の社員" in page and 'name="staff" multiple' in page
    assert "退職した社員" not in page


def test_a_past_staff_member_who_left_stays_listed_when_editing(client_as, officer, editor):
    leaver = make.person("退職した社員")
    exhibition = make.exhibition(
        starts_on=make.days_ago(30), ends_on=make.days_ago(29), staff=[leaver]
    )
    lifecycle_services.person_depart(person=leaver, departed_on=make.days_ago(1))
    page = client_as(editor).get(f"{_page(exhibition.pk)}edit/").content.decode()
    assert f'<option value="{leaver.pk}" selected>' in page


def test_only_the_officer_approves_the_scope_on_the_page(client_as, officer, editor):
    exhibition = make.exhibition()
    url = _page(exhibition.pk)
    data = {"action": "approve", "approved_on": make.today().isoformat()}
    editor_page = client_as(editor).get(url).content.decode()
    assert 'value="approve"' not in editor_page
    assert client_as(editor).post(url, data).status_code == 403
    exhibition.refresh_from_db()
    assert exhibition.scope_approved_on is None
    officer_client = client_as(officer)
    assert 'value="approve"' in officer_client.get(url).content.decode()
    assert officer_client.post(url, data).status_code == 302
    exhibition.refresh_from_db()
    assert exhibition.scope_approved_by == officer
    assert 'data-scope="approved"' in officer_client.get(url).content.decode()


def test_approving_an_unwritten_scope_is_explained(client_as, officer):
    exhibition = make.exhibition(must_not_disclose="")
    response = client_as(officer).post(
        _page(exhibition.pk), {"action": "approve", "approved_on": make.today().isoformat()}
    )
    assert response.status_code == 400 and "errorlist" in response.content.decode()


def test_editor_records_the_briefing_once_approved(client_as, officer, editor):
    exhibition = make.approved_exhibition(officer, staff=[make.person()])
    response = client_as(editor).post(
        _page(exhibition.pk), {"action": "brief", "briefed_on": make.today().isoformat()}
    )
    assert response.status_code == 302
    exhibition.refresh_from_db()
    assert exhibition.staff_briefed_on == make.today()


def test_editing_the_scope_withdraws_the_approval_and_says_so(client_as, officer, editor):
    exhibition = make.approved_exhibition(officer)
    client = client_as(editor)
    response = client.post(
        f"{_page(exhibition.pk)}edit/",
        _form_data(
            starts_on=exhibition.starts_on.isoformat(),
            ends_on=exhibition.ends_on.isoformat(),
            may_disclose="試作品の実演も可",
        ),
        follow=True,
    )
    exhibition.refresh_from_db()
    assert exhibition.scope_approved_on is None
    assert 'data-scope="pending"' in response.content.decode()
    with translation.override("ja"):
        assert str(services.APPROVAL_WITHDRAWN) in response.content.decode()


def test_contact_log_records_and_escalates_approaches(client_as, editor):
    exhibition = make.exhibition(starts_on=make.days_ago(3), ends_on=make.days_ago(1))
    reporter = make.person("展示 一郎")
    client = client_as(editor)
    response = client.post(
        _page(exhibition.pk),
        {
            "action": "contact",
            "occurred_on": make.days_ago(2).isoformat(),
            "visitor": "X社 技術部",
            "what_happened": "焼成温度を繰り返し質問された",
            "very_technical": "on",
            "recorded_by": str(reporter.pk),
        },
    )
    assert response.status_code == 302
    contact = ExhibitionContact.objects.get()
    assert contact.very_technical and not contact.asked_private_contact
    page = client.get(_page(exhibition.pk)).content.decode()
    assert "X社 技術部" in page and f'<tr data-contact="{contact.pk}" class="overdue">' in page
    response = client.post(
        _page(exhibition.pk),
        {
            "action": "escalate",
            "contact": str(contact.pk),
            "escalated_on": make.days_ago(1).isoformat(),
            "action_taken": "回答を控え、名刺交換のみ。営業部長に報告",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.escalated_on == make.days_ago(1) and "営業部長" in contact.action
    page = client.get(_page(exhibition.pk)).content.decode()
    assert f'<tr data-contact="{contact.pk}">' in page


def test_an_escalation_without_the_action_taken_is_explained(client_as, editor):
    exhibition = make.exhibition(starts_on=make.days_ago(3), ends_on=make.days_ago(1))
    contact = services.exhibition_contact_record(
        exhibition=exhibition,
        occurred_on=make.days_ago(2),
        visitor="来場者Y",
        what_happened="私用のメールアドレスを聞かれた",
        asked_private_contact=True,
    )
    response = client_as(editor).post(
        _page(exhibition.pk),
        {
            "action": "escalate",
            "contact": str(contact.pk),
            "escalated_on": make.today().isoformat(),
        },
    )
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    contact.refresh_from_db()
    assert contact.escalated_on is None


def test_a_contact_with_an_action_but_no_escalation_date_is_explained(client_as, editor):
    exhibition = make.exhibition(starts_on=make.days_ago(3), ends_on=make.days_ago(1))
    response = client_as(editor).post(
        _page(exhibition.pk),
        {
            "action": "contact",
            "occurred_on": make.days_ago(2).isoformat(),
            "visitor": "来場者Z",
            "what_happened": "工場見学を求められた",
            "action_taken": "上長に報告",
        },
    )
    assert response.status_code == 400 and "来場者Z" in response.content.decode()
    assert not ExhibitionContact.objects.exists()


def test_contact_of_another_exhibition_is_404(client_as, editor):
    one = make.exhibition("展示会1", starts_on=make.days_ago(3), ends_on=make.days_ago(1))
    other = make.exhibition("展示会2", starts_on=make.days_ago(3), ends_on=make.days_ago(1))
    contact = services.exhibition_contact_record(
        exhibition=other, occurred_on=make.days_ago(2), visitor="来場者", what_happened="質問"
    )
    response = client_as(editor).post(
        _page(one.pk),
        {
            "action": "escalate",
            "contact": str(contact.pk),
            "escalated_on": make.today().isoformat(),
            "action_taken": "報告済み",
        },
    )
    assert response.status_code == 404


def test_page_quotes_the_handbook_measure(client_as, editor):
    exhibition = make.exhibition()
    page = client_as(editor).get(_page(exhibition.pk)).content.decode()
    assert "過度に技術的な質問をされる、プライベートの連絡先を求められる" in page


def test_list_filters_and_highlights_unapproved_upcoming(client_as, officer, editor):
    make.exhibition("未承認の展示会")
    make.approved_exhibition(officer, "承認済みの展示会")
    make.exhibition("終わった展示会", starts_on=make.days_ago(30), ends_on=make.days_ago(28))
    client = client_as(editor)
    page = client.get(f"{LIST}?status=not_approved").content.decode()
    assert "未承認の展示会" in page and "承認済みの展示会" not in page
    assert "終わった展示会" not in page and 'class="overdue"' in page
    page = client.get(f"{LIST}?status=past").content.decode()
    assert "終わった展示会" in page and "未承認の展示会" not in page


def test_empty_list_says_what_to_do(client_as, editor):
    page = client_as(editor).get(LIST).content.decode()
    assert 'class="empty"' in page and CREATE in page


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow(client_as, editor):
    client = client_as(editor)
    make.exhibition("展示会0", staff=[make.person()])
    few = _queries(client, LIST)
    for index in range(1, 12):
        exhibition = make.exhibition(
            f"展示会{index}",
            starts_on=make.days_ago(5),
            ends_on=make.days_ago(3),
            staff=[make.person(), make.person()],
            escalation_contact=make.person(),
        )
        services.exhibition_contact_record(
            exhibition=exhibition,
            occurred_on=make.days_ago(4),
            visitor="来場者",
            what_happened="質問",
        )
    assert _queries(client, LIST) == few


def test_the_edit_form_shows_what_is_recorded(client_as, editor):
    contact = make.person("営業部長")
    exhibition = make.exhibition("光学技術展", escalation_contact=contact, staff=[contact])
    page = client_as(editor).get(f"{_page(exhibition.pk)}edit/").content.decode()
    assert 'value="光学技術展"' in page and "焼成条件、原材料の調達先、顧客名" in page
    assert f'<option value="{contact.pk}" selected>' in page
