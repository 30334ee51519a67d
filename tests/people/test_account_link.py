"""Problem 5 of issue 13: only the officer links a person record to a mamori account
(whoever it is linked to inherits the person's grants), and the link is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamori.accounts.roles import Role
from mamori.api import services as api_services
from mamori.audit.models import AuditEntry
from mamori.core.actor import acting_as
from mamori.core.errors import NotPermitted
from mamori.people import services
from mamori.people.models import Person

from ..api.conftest import TokenClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_record(officer) -> Person:
    return services.person_create(name="佐藤 美咲", user=officer)


def test_an_editor_cannot_relink_a_person_to_their_account(editor, officer_record):
    with acting_as(editor), pytest.raises(NotPermitted) as refused:
        services.person_update(person=officer_record, user=editor)
    assert refused.value.field == "user"
    with pytest.raises(NotPermitted):
        services.person_update(person=officer_record, user=editor, linked_by=editor)
    officer_record.refresh_from_db()
    assert officer_record.user_id != editor.pk


def test_the_edit_page_offers_the_link_to_the_officer_only(client_as, editor, officer):
    person = services.person_create(name="対象 者")
    page = client_as(editor).get(reverse("people:person_edit", kwargs={"pk": person.pk}))
    assert "user" not in page.context["form"].fields
    response = client_as(editor).post(
        reverse("people:person_edit", kwargs={"pk": person.pk}),
        {"name": "対象 者", "kind": "employee", "user": editor.pk},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user_id is None
    assert (
        "user"
        in client_as(officer)
        .get(reverse("people:person_edit", kwargs={"pk": person.pk}))
        .context["form"]
        .fields
    )


def test_the_officer_links_and_the_link_is_audited(client_as, officer, make_user):
    account = make_user(Role.EMPLOYEE, "hanako")
    person = services.person_create(name="高橋 花子")
    response = client_as(officer).post(
        reverse("people:person_edit", kwargs={"pk": person.pk}),
        {"name": "高橋 花子", "kind": "employee", "user": account.pk},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user == account
    entry = AuditEntry.objects.filter(object_type="people.person", object_id=str(person.pk)).latest(
        "seq"
    )
    assert entry.changes["user"] == [None, account.pk] and entry.actor_id == officer.pk


def test_the_api_does_not_link(editor, officer_record):
    with acting_as(editor):
        key = api_services.token_create(user=editor, name="script").key
    response = TokenClient(key).patch_json(
        f"/api/people/{officer_record.pk}/", {"user": editor.pk, "title": "主任"}
    )
    assert response.status_code in (200, 400, 403)
    officer_record.refresh_from_db()
    assert officer_record.user_id != editor.pk
