"""Exhibitions: the officer approves what may be said, staff are briefed, approaches are
logged and escalated; and what the services refuse."""

from __future__ import annotations

import pytest

from mamori.core.errors import ApplicationError, NotPermitted
from mamori.disclosures.models import Exhibition, ExhibitionContact
from mamori.disclosures.services import exhibitions as services
from tests.sites import factories as make

pytestmark = pytest.mark.django_db


def test_an_exhibition_is_saved_with_its_staff_and_contact():
    staff = [make.person("展示 一郎"), make.person("展示 花子")]
    boss = make.person("営業部長")
    exhibition = services.exhibition_save(
        name=" 国際ナノテク展 ",
        venue="東京ビッグサイト",
        country="jp",
        starts_on=make.days_ahead(10),
        ends_on=make.days_ahead(12),
        staff=staff,
        may_disclose="カタログ記載の仕様",
        must_not_disclose="焼成条件",
        escalation_contact=boss,
    )
    exhibition.refresh_from_db()
    assert exhibition.name == "国際ナノテク展" and exhibition.country == "JP"
    assert set(exhibition.staff.all()) == set(staff) and exhibition.escalation_contact == boss


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"ends_on": -1}, services.ENDS_BEFORE_START, "ends_on"),
        ({"country": "Japan"}, services.COUNTRY_INVALID, "country"),
    ],
)
def test_bad_dates_and_countries_are_refused(changes, message, field):
    values = {"name": "展示会", "starts_on": make.days_ahead(10), "ends_on": make.days_ahead(11)}
    if "ends_on" in changes:
        changes = {"ends_on": make.days_ahead(9)}
    values.update(changes)
    with pytest.raises(ApplicationError) as error:
        services.exhibition_save(**values)
    assert error.value.message == message and error.value.field == field
    assert not Exhibition.objects.exists()


def test_only_the_officer_approves_the_scope(officer, editor, executive):
    exhibition = make.exhibition()
    for user in (editor, executive):
        with pytest.raises(NotPermitted):
            services.exhibition_approve_scope(exhibition=exhibition, approved_by=user)
    exhibition.refresh_from_db()
    assert exhibition.scope_approved_on is None
    services.exhibition_approve_scope(exhibition=exhibition, approved_by=officer)
    exhibition.refresh_from_db()
    assert exhibition.scope_approved_by == officer
    assert exhibition.scope_approved_on == make.today()


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({"may_disclose": ""}, services.SCOPE_MAY_MISSING),
        ({"must_not_disclose": ""}, services.SCOPE_MUST_NOT_MISSING),
    ],
)
def test_a_scope_is_approved_only_once_written_down(officer, texts, message):
    exhibition = make.exhibition(**texts)
    with pytest.raises(ApplicationError) as error:
        services.exhibition_approve_scope(exhibition=exhibition, approved_by=officer)
    assert error.value.message == message


def test_approval_after_the_event_or_in_the_future_is_refused(officer):
    past = make.exhibition(starts_on=make.days_ago(10), ends_on=make.days_ago(8))
    with pytest.raises(ApplicationError) as error:
        services.exhibition_approve_scope(
            exhibition=past, approved_by=officer, approved_on=make.today()
        )
    assert error.value.field == "approved_on"
    upcoming = make.exhibition()
    with pytest.raises(ApplicationError) as error:
        services.exhibition_approve_scope(
            exhibition=upcoming, approved_by=officer, approved_on=make.days_ahead(1)
        )
    assert error.value.message == services.APPROVED_IN_FUTURE


def test_changing_the_scope_withdraws_the_approval_and_briefing(officer):
    staff = [make.person()]
    exhibition = make.approved_exhibition(officer, staff=staff)
    services.exhibition_record_briefing(exhibition=exhibition, briefed_on=make.today())
    unchanged = dict(
        exhibition=exhibition,
        name="国際ナノテク展（改称）",
        starts_on=exhibition.starts_on,
        ends_on=exhibition.ends_on,
        staff=staff,
        may_disclose=exhibition.may_disclose,
        must_not_disclose=exhibition.must_not_disclose,
    )
    kept = services.exhibition_save(**unchanged)
    assert kept.scope_approved_on is not None and kept.staff_briefed_on is not None
    changed = services.exhibition_save(**{**unchanged, "may_disclose": "試作品の実演も可"})
    changed.refresh_from_db()
    assert changed.scope_approved_on is None and changed.scope_approved_by is None
    assert changed.staff_briefed_on is None


def test_briefing_needs_an_approved_scope_and_staff(officer):
    exhibition = make.exhibition(staff=[make.person()])
    with pytest.raises(ApplicationError) as error:
        services.exhibition_record_briefing(exhibition=exhibition, briefed_on=make.today())
    assert error.value.message == services.BRIEFING_NEEDS_APPROVAL
    lonely = make.approved_exhibition(officer, "スタッフ未定の展示会")
    with pytest.raises(ApplicationError) as error:
        services.exhibition_record_briefing(exhibition=lonely, briefed_on=make.today())
    assert error.value.message == services.BRIEFING_NEEDS_STAFF


def test_briefing_date_follows_the_approval(officer):
    exhibition = make.approved_exhibition(officer, staff=[make.person()])
    with pytest.raises(ApplicationError) as error:
        services.exhibition_record_briefing(exhibition=exhibition, briefed_on=make.days_ago(1))
    assert error.value.field == "briefed_on"
    with pytest.raises(ApplicationError) as error:
        services.exhibition_record_briefing(exhibition=exhibition, briefed_on=make.days_ahead(1))
    assert error.value.message == services.BRIEFED_IN_FUTURE
    services.exhibition_record_briefing(exhibition=exhibition, briefed_on=make.today())
    exhibition.refresh_from_db()
    assert exhibition.staff_briefed_on == make.today()


def _past_exhibition() -> Exhibition:
    return make.exhibition(starts_on=make.days_ago(5), ends_on=make.days_ago(3))


def test_an_approach_is_logged_and_escalated_later():
    exhibition = _past_exhibition()
    staff = make.person("展示 一郎")
    contact = services.exhibition_contact_record(
        exhibition=exhibition,
        occurred_on=make.days_ago(4),
        visitor="X社 技術部 某氏",
        what_happened="焼成温度と雰囲気ガスを繰り返し質問された",
        very_technical=True,
        recorded_by=staff,
    )
    assert contact.escalated_on is None and contact.very_technical
    services.exhibition_contact_escalate(
        contact=contact, escalated_on=make.days_ago(3), action="回答を控え、名刺のみ交換"
    )
    contact.refresh_from_db()
    assert contact.escalated_on == make.days_ago(3) and "名刺" in contact.action


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"occurred_on": 6}, "before", "occurred_on"),
        ({"escalated_on": 5}, services.ESCALATED_BEFORE_CONTACT, "escalated_on"),
        ({"escalated_on": 3}, services.ESCALATION_NEEDS_ACTION, "action"),
        ({"action": "上長に報告"}, services.ACTION_NEEDS_ESCALATION, "escalated_on"),
        ({"escalated_on": -1, "action": "報告"}, services.ESCALATED_IN_FUTURE, "escalated_on"),
    ],
)
def test_an_approach_with_dates_out_of_order_is_refused(changes, message, field):
    exhibition = _past_exhibition()
    values = {
        "exhibition": exhibition,
        "occurred_on": make.days_ago(4),
        "visitor": "来場者",
        "what_happened": "個人の連絡先を求められた",
        "asked_private_contact": True,
    }
    for key, value in changes.items():
        values[key] = make.days_ago(value) if key.endswith("_on") else value
    with pytest.raises(ApplicationError) as error:
        services.exhibition_contact_record(**values)
    assert error.value.field == field
    if message != "before":
        assert error.value.message == message
    assert not ExhibitionContact.objects.exists()
