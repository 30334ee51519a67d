"""Only the officer (everything) and auditors (reading) reach the departure watch; editors,
executives and employees reach no page and no API of it. Every view is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamori.accounts.roles import Role
from mamori.audit.models import AuditEntry
from mamori.watch.models import AccountAlias, AssetPath, LogImport

pytestmark = pytest.mark.django_db


def _urls(world):
    alias = AccountAlias.objects.get()
    path = AssetPath.objects.get()
    record = LogImport.objects.create(file_name="x.csv", format="generic", status="imported")
    return {
        "index": reverse("watch:index"),
        "person": reverse("watch:person", kwargs={"pk": world.leaver.pk}),
        "imports": reverse("watch:imports"),
        "import": reverse("watch:import", kwargs={"pk": record.pk}),
        "unmatched": reverse("watch:unmatched"),
        "settings": reverse("watch:settings"),
        "alias_delete": reverse("watch:alias_delete", kwargs={"pk": alias.pk}),
        "path_delete": reverse("watch:path_delete", kwargs={"pk": path.pk}),
        "run": reverse("watch:run"),
        "api": reverse("watch:api_people"),
    }


@pytest.mark.parametrize("role", [Role.EDITOR, Role.EMPLOYEE, Role.EXECUTIVE])
def test_other_roles_reach_no_watch_page_or_api(world, make_user, client_as, role):
    client = client_as(make_user(role))
    for name, url in _urls(world).items():
        assert client.get(url).status_code in {403, 405}, name
        assert client.post(url, {"account": "x"}).status_code == 403, name
    assert AccountAlias.objects.count() == 1 and AssetPath.objects.count() == 1
    assert not AuditEntry.objects.filter(action__in=["view", "export"]).exists()


def test_auditors_read_but_cannot_change_anything(world, auditor, client_as):
    client = client_as(auditor)
    urls = _urls(world)
    for name in ("index", "person", "imports", "import", "unmatched", "settings", "api"):
        assert client.get(urls[name]).status_code == 200, name
    for name in ("alias_delete", "path_delete"):
        assert client.get(urls[name]).status_code == 403, name
    for name in (
        "person",
        "imports",
        "unmatched",
        "settings",
        "alias_delete",
        "path_delete",
        "run",
    ):
        assert client.post(urls[name], {"account": "x"}).status_code == 403, name
    assert AccountAlias.objects.count() == 1 and AssetPath.objects.count() == 1
    page = client.get(urls["index"]).content.decode()
    assert "watch/run/" not in page  # no button they could not use


def test_the_officer_reaches_every_page(world, officer, client_as):
    client = client_as(officer)
    for name, url in _urls(world).items():
        if name != "run":
            assert client.get(url).status_code == 200, name


def test_every_view_of_a_persons_watch_page_is_audited(analysed, auditor, officer, client_as):
    url = reverse("watch:person", kwargs={"pk": analysed.leaver.pk})
    client_as(auditor).get(url)
    client_as(officer).get(url)
    entries = AuditEntry.objects.filter(object_type="watch.person", action="view")
    assert [(e.actor_id, e.object_id, e.object_repr) for e in entries.order_by("seq")] == [
        (auditor.pk, str(analysed.leaver.pk), "山本 翔太"),
        (officer.pk, str(analysed.leaver.pk), "山本 翔太"),
    ]


def test_the_list_and_the_api_are_audited_too(analysed, auditor, client_as):
    client = client_as(auditor)
    client.get(reverse("watch:index"))
    client.get(reverse("watch:api_people"))
    kinds = set(
        AuditEntry.objects.filter(object_type="watch.page").values_list("object_id", "action")
    )
    assert kinds == {("index", "view"), ("api_people", "export")}


def test_the_api_answers_scripts_without_credentials_with_a_challenge(client):
    response = client.get(reverse("watch:api_people"))
    assert response.status_code == 401
