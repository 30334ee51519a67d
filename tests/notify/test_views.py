"""The digest page: everyone sees what their next digest would say and can turn it off;
the change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from mamori.audit.models import AuditEntry
from mamori.notify.models import DigestPreference
from mamori.notify.selectors import digest_enabled
from mamori.people import services as people_services

pytestmark = pytest.mark.django_db

URL = reverse("notify:preferences")


def test_an_employee_sees_the_preview_of_their_digest(client_as, employee):
    person = people_services.person_create(
        name="社員", user=employee, joined_on=timezone.localdate()
    )
    people_services.pledge_request(
        person=person, kind="project", title="プロジェクト誓約書", requested_on=timezone.localdate()
    )
    page = client_as(employee).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "プロジェクト誓約書" in text and "メール通知を受け取ります" in text


def test_nothing_to_say(client_as, auditor):
    text = client_as(auditor).get(URL).content.decode()
    assert "メール通知は送信されません" in text


def test_turning_it_off_and_on_is_audited(client_as, employee):
    client = client_as(employee)
    response = client.post(URL, {})  # the box unticked
    assert response.status_code == 302
    assert not digest_enabled(employee)
    entry = AuditEntry.objects.filter(object_type="notify.digestpreference").latest("seq")
    assert entry.actor_id == employee.pk and entry.changes["digest_enabled"] == [True, False]
    client.post(URL, {"digest_enabled": "on"})
    assert digest_enabled(employee)
    assert DigestPreference.objects.get(user=employee).digest_enabled
    entry = AuditEntry.objects.filter(object_type="notify.digestpreference").latest("seq")
    assert entry.changes["digest_enabled"] == [False, True]
    assert "メール通知を受け取ります" in client.get(URL).content.decode()


def test_the_account_page_links_to_it(client_as, employee):
    assert URL in client_as(employee).get(reverse("accounts:profile")).content.decode()
