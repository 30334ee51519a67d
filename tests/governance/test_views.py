"""The appointment and posture pages: programme readers see them, the officer records the
appointment, editors the posture; employees see neither."""

from __future__ import annotations

import pytest

from mamori.accounts.roles import Role
from mamori.governance.models import OfficerAppointment, PostureArea, PostureMeasure
from tests.governance import factories as make

pytestmark = pytest.mark.django_db


def test_employees_see_neither(client_as, employee):
    measure = make.measure()
    client = client_as(employee)
    for url in (
        "/governance/officer/",
        "/governance/officer/new/",
        "/governance/posture/",
        "/governance/posture/new/",
        f"/governance/posture/{measure.pk}/",
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.EDITOR, Role.AUDITOR])
def test_only_the_officer_records_the_appointment(client_as, make_user, role):
    person = make.person()
    client = client_as(make_user(role))
    assert 'data-officer="none"' in client.get("/governance/officer/").content.decode()
    data = {"person": person.pk, "appointed_on": make.days_ago(5).isoformat(), "mandate": "統括"}
    assert client.post("/governance/officer/new/", data).status_code == 403
    assert not OfficerAppointment.objects.exists()


def test_the_officer_records_the_appointment_and_bad_input_is_named(client_as, officer):
    person = make.person()
    client = client_as(officer)
    data = {
        "person": person.pk,
        "appointed_on": make.days_ago(5).isoformat(),
        "mandate": "技術流出対策を統括し、取締役会へ報告する",
        "reviewed_on": make.days_ago(3).isoformat(),
        "reviewed_by": "",
    }
    response = client.post("/governance/officer/new/", data)
    assert response.status_code == 200 and not OfficerAppointment.objects.exists()
    assert "取締役会など" in response.content.decode()
    data["reviewed_by"] = "取締役会"
    assert client.post("/governance/officer/new/", data).status_code == 302
    page = client.get("/governance/officer/").content.decode()
    assert f'data-officer="{person.pk}"' in page and "取締役会" in page


def test_the_posture_page_shows_missing_areas_and_an_editor_records_them(client_as, editor):
    owner = make.person("鈴木 大輔")
    client = client_as(editor)
    page = client.get("/governance/posture/").content.decode()
    assert page.count("data-area-missing") == 4
    response = client.post(
        "/governance/posture/new/",
        {
            "area": PostureArea.CYBER,
            "measures": "EDRを全端末に導入",
            "owner": owner.pk,
            "review_interval_months": "12",
        },
    )
    measure = PostureMeasure.objects.get()
    assert response.status_code == 302 and response.url == f"/governance/posture/{measure.pk}/"
    response = client.post(
        f"/governance/posture/{measure.pk}/",
        {
            "action": "review",
            "reviewed_on": make.today().isoformat(),
            "reviewed_by": "鈴木",
            "result": "定義ファイル更新を確認",
        },
    )
    assert response.status_code == 302 and measure.reviews.count() == 1
    assert client.get("/governance/posture/").content.decode().count("data-area-missing") == 3


def test_the_workbook_has_the_appointment_and_the_posture(officer):
    import io

    from openpyxl import load_workbook

    from mamori.core.actor import acting_as
    from mamori.exchange.export import export_workbook
    from mamori.exchange.spec import get_registry

    make.appointment()
    make.measure(PostureArea.PHYSICAL)
    names = ["officer_appointments", "security_posture", "security_posture_reviews"]
    with acting_as(officer):
        result = export_workbook(registers=[get_registry()[name] for name in names], user=officer)
    book = load_workbook(io.BytesIO(result.content))
    assert list(book["責任者の任命"].iter_rows(values_only=True))[1][0] == "佐藤 美咲"
    assert list(book["セキュリティ体制"].iter_rows(values_only=True))[1][2] == "鈴木 大輔"


def test_the_edit_pages_open_with_what_is_recorded(client_as, officer):
    appointment, measure = make.appointment(), make.measure(PostureArea.PHYSICAL)
    client = client_as(officer)
    assert "取締役会" in client.get(f"/governance/officer/{appointment.pk}/edit/").content.decode()
    page = client.get(f"/governance/posture/{measure.pk}/edit/").content.decode()
    assert measure.measures in page
