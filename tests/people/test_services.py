"""Services added for the register pages: saving with a new department, signing, closing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mamori.core.errors import ApplicationError
from mamori.people import services

pytestmark = pytest.mark.django_db


def test_person_save_creates_a_typed_department_once(department):
    first = services.person_save(name="A", new_department="  知財部 ")
    second = services.person_save(name="B", new_department="知財部")
    assert first.department == second.department and first.department.name == "知財部"


def test_person_save_refuses_a_department_and_a_new_one(department):
    with pytest.raises(ApplicationError) as caught:
        services.person_save(name="A", department=department, new_department="知財部")
    assert caught.value.field == "new_department"


def test_employee_number_clash_names_the_field_and_the_holder(make_person):
    make_person("先に登録", employee_number="E-1")
    with pytest.raises(ApplicationError) as caught:
        services.person_create(name="後から", employee_number="E-1")
    assert caught.value.field == "employee_number" and "先に登録" in caught.value.message


def test_pledge_record_signed_refuses_dates_before_the_request_or_in_the_future(make_person):
    pledge = services.pledge_request(
        person=make_person(), kind="joining", title="誓約書", requested_on=datetime.date(2026, 1, 5)
    )
    for day in (datetime.date(2026, 1, 4), timezone.localdate() + datetime.timedelta(days=1)):
        with pytest.raises(ApplicationError) as caught:
            services.pledge_record_signed(pledge=pledge, signed_on=day)
        assert caught.value.field == "signed_on"
    services.pledge_record_signed(pledge=pledge, signed_on=datetime.date(2026, 1, 5))
    with pytest.raises(ApplicationError):
        services.pledge_record_signed(pledge=pledge, signed_on=datetime.date(2026, 1, 6))


def _declare(person, *, type2: bool):
    return services.foreign_declare(
        person=person,
        occasion="yearly",
        declared_on=datetime.date(2026, 1, 10),
        type1_foreign_contract=False,
        type2_foreign_benefit=type2,
        type3_foreign_instruction=False,
        details="報酬あり" if type2 else "",
    )


def test_closing_needs_an_open_declaration_and_a_note(make_person):
    person = make_person()
    with pytest.raises(ApplicationError):
        services.foreign_declaration_close_open(
            declaration=_declare(person, type2=False),
            closed_on=datetime.date(2026, 2, 1),
            closing_note="x",
        )
    declaration = _declare(person, type2=True)
    with pytest.raises(ApplicationError) as caught:
        services.foreign_declaration_close_open(
            declaration=declaration, closed_on=datetime.date(2026, 2, 1), closing_note=" "
        )
    assert caught.value.field == "closing_note"
    services.foreign_declaration_close_open(
        declaration=declaration, closed_on=datetime.date(2026, 2, 1), closing_note="許可取得"
    )
    with pytest.raises(ApplicationError):
        services.foreign_declaration_close_open(
            declaration=declaration, closed_on=datetime.date(2026, 2, 2), closing_note="再度"
        )
