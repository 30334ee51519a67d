"""The officer appointment and the security posture: dates, the executives' review, one
appointment in force at a time, one record per area."""

from __future__ import annotations

import pytest

from mamori.core.errors import ApplicationError
from mamori.governance import selectors, services
from mamori.governance.models import OfficerAppointment, PostureArea
from mamori.people.models import PersonStatus
from tests.governance import factories as make

pytestmark = pytest.mark.django_db


def test_a_new_appointment_ends_the_one_before():
    first = make.appointment(
        make.person("前任 一郎"), appointed_on=make.days_ago(400), reviewed_on=None, reviewed_by=""
    )
    second = make.appointment(
        make.person("後任 花子"), appointed_on=make.days_ago(10), reviewed_on=None, reviewed_by=""
    )
    first.refresh_from_db()
    assert first.ended_on == make.days_ago(10)
    assert selectors.appointment_current() == second


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"appointed_on": make.days_ago(-1)}, "appointed_on"),
        ({"reviewed_on": make.days_ago(70)}, "reviewed_on"),  # before the appointment
        ({"reviewed_by": " "}, "reviewed_by"),
        ({"ended_on": make.days_ago(61)}, "ended_on"),
        ({"mandate": ""}, "mandate"),
    ],
)
def test_bad_appointments_are_refused_and_nothing_is_written(changes, field):
    with pytest.raises(ApplicationError) as error:
        make.appointment(**changes)
    assert error.value.field == field
    assert not OfficerAppointment.objects.exists()


def test_a_person_who_left_cannot_be_appointed():
    gone = make.person("退職 太郎")
    gone.status = PersonStatus.DEPARTED
    gone.save()
    with pytest.raises(ApplicationError) as error:
        make.appointment(gone)
    assert error.value.field == "person"


def test_each_area_is_recorded_once_and_reviews_move_the_due_date():
    measure = make.measure(PostureArea.PHYSICAL, review_interval_months=6)
    with pytest.raises(ApplicationError) as error:
        make.measure(PostureArea.PHYSICAL)
    assert error.value.field == "area"
    services.posture_review_record(
        measure=measure, reviewed_on=make.days_ago(1), reviewed_by="鈴木", result="問題なし"
    )
    [row] = [row for row in selectors.posture(make.today()) if row.area == PostureArea.PHYSICAL]
    assert row.last_review == make.days_ago(1) and not row.overdue
    with pytest.raises(ApplicationError):
        services.posture_review_record(
            measure=measure, reviewed_on=make.days_ago(-1), reviewed_by="鈴木", result="x"
        )
