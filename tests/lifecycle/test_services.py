"""Transfer, departure notice, departure, revoke-all and the exit pledge."""

from __future__ import annotations

import datetime

import pytest

from mamori.accounts.roles import Role
from mamori.assets.models import AccessGrant, AccessReview, Decision, ReviewKind
from mamori.assets.services import grant_revoke
from mamori.audit.models import Action, AuditEntry, AuditHead
from mamori.core.errors import ApplicationError
from mamori.lifecycle import services
from mamori.lifecycle.models import Departure
from mamori.people.models import EventKind, LifecycleEvent, PersonStatus, PledgeKind
from tests.findings import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver():
    """A person with access to three assets."""
    person = f.person("高橋 健")
    for name in ("電解液の配合表", "焼成炉の温度プロファイル", "量産ラインの図面"):
        f.grant(person, f.asset(name))
    return person


def _active(person) -> int:
    return AccessGrant.objects.filter(person=person, revoked_on__isnull=True).count()


# --- departure notice ------------------------------------------------------------------


def test_notice_opens_the_departure_and_a_review_of_every_grant(leaver):
    notice_on = f.days_ago(2)
    departure = services.person_give_notice(
        person=leaver, notice_on=notice_on, last_day=f.today() + datetime.timedelta(days=30)
    )
    leaver.refresh_from_db()
    assert leaver.status == PersonStatus.NOTIFIED and leaver.notice_given_on == notice_on
    assert Departure.objects.get(person=leaver) == departure
    assert LifecycleEvent.objects.filter(person=leaver, kind=EventKind.NOTICE).count() == 1
    review = AccessReview.objects.get(person=leaver, kind=ReviewKind.DEPARTURE)
    assert review.closed_on is None and review.due_on == notice_on
    assert set(review.items.values_list("grant_id", flat=True)) == set(
        AccessGrant.objects.filter(person=leaver).values_list("pk", flat=True)
    )


def test_notice_is_refused_twice_and_with_a_last_day_before_it(leaver):
    with pytest.raises(ApplicationError) as error:
        services.person_give_notice(person=leaver, notice_on=f.today(), last_day=f.days_ago(1))
    assert error.value.field == "last_day"
    assert not Departure.objects.exists()
    services.person_give_notice(person=leaver, notice_on=f.today())
    with pytest.raises(ApplicationError):
        services.person_give_notice(person=leaver, notice_on=f.today())
    assert Departure.objects.count() == 1


# --- transfer ----------------------------------------------------------------------------


def test_transfer_moves_the_person_and_reviews_each_active_grant(leaver):
    revoked = AccessGrant.objects.filter(person=leaver).first()
    grant_revoke(grant=revoked, revoked_by=None, reason="不要になった")
    sales = f.department("営業部")
    services.person_transfer(person=leaver, to_department=sales, date=f.today(), note="組織変更")
    leaver.refresh_from_db()
    assert leaver.department == sales
    event = LifecycleEvent.objects.get(person=leaver, kind=EventKind.TRANSFERRED)
    assert event.from_department.name == "研究開発部" and event.to_department == sales
    review = AccessReview.objects.get(person=leaver, kind=ReviewKind.TRANSFER)
    items = list(review.items.values_list("grant_id", "decision"))
    active = set(
        AccessGrant.objects.filter(person=leaver, revoked_on__isnull=True).values_list(
            "pk", flat=True
        )
    )
    assert len(items) == 2 and {grant for grant, _ in items} == active
    assert {decision for _, decision in items} == {Decision.PENDING}


def test_transfer_to_the_same_department_or_of_a_leaver_is_refused(leaver):
    with pytest.raises(ApplicationError) as error:
        services.person_transfer(person=leaver, to_department=leaver.department, date=f.today())
    assert error.value.field == "to_department"
    services.person_depart(person=leaver, departed_on=f.today())
    with pytest.raises(ApplicationError):
        services.person_transfer(
            person=leaver, to_department=f.department("営業部"), date=f.today()
        )
    assert not AccessReview.objects.filter(kind=ReviewKind.TRANSFER).exists()


# --- departure ---------------------------------------------------------------------------


def test_depart_records_the_day_and_deactivates_the_account(make_user):
    account = make_user(Role.EDITOR)
    person = f.person("伊藤 直樹", user=account)
    services.person_give_notice(person=person, notice_on=f.days_ago(20))
    services.person_depart(person=person, departed_on=f.today(), note="最終出社日")
    person.refresh_from_db()
    account.refresh_from_db()
    assert person.status == PersonStatus.DEPARTED and person.departed_on == f.today()
    assert not account.is_active
    with pytest.raises(ApplicationError):
        services.person_depart(person=person, departed_on=f.today())


def test_depart_refuses_to_close_the_last_officers_account(officer):
    person = f.person("佐藤 美咲", user=officer)
    with pytest.raises(ApplicationError):
        services.person_depart(person=person, departed_on=f.today())
    person.refresh_from_db()
    officer.refresh_from_db()
    assert person.status == PersonStatus.ACTIVE and officer.is_active
    assert not LifecycleEvent.objects.filter(person=person, kind=EventKind.DEPARTED).exists()


def test_depart_closes_an_officers_account_when_another_officer_remains(officer, make_user):
    make_user(Role.OFFICER)
    person = f.person("佐藤 美咲", user=officer)
    services.person_depart(person=person, departed_on=f.today())
    officer.refresh_from_db()
    assert not officer.is_active


# --- revoke all --------------------------------------------------------------------------


def test_revoke_all_revokes_every_grant_with_one_audit_entry_each(leaver, editor):
    services.person_give_notice(person=leaver, notice_on=f.today())
    grants = set(AccessGrant.objects.filter(person=leaver).values_list("pk", flat=True))
    before = AuditHead.objects.get(pk=1).seq
    assert services.departure_revoke_all(person=leaver, revoked_by=editor) == 3
    assert _active(leaver) == 0
    assert set(AccessGrant.objects.filter(person=leaver).values_list("revoked_by", flat=True)) == {
        editor.pk
    }
    entries = AuditEntry.objects.filter(
        seq__gt=before, object_type="assets.accessgrant", action=Action.UPDATE
    )
    assert sorted(int(pk) for pk in entries.values_list("object_id", flat=True)) == sorted(grants)
    assert all("revoked_on" in entry.changes for entry in entries)
    review = AccessReview.objects.get(person=leaver, kind=ReviewKind.DEPARTURE)
    assert review.closed_on is not None
    assert set(review.items.values_list("decision", flat=True)) == {Decision.REVOKED}
    # Nothing left: a second click revokes nothing and writes nothing.
    head = AuditHead.objects.get(pk=1).seq
    assert services.departure_revoke_all(person=leaver, revoked_by=editor) == 0
    assert AuditHead.objects.get(pk=1).seq == head


# --- exit pledge -------------------------------------------------------------------------


def test_exit_pledge_lists_what_the_person_could_access_at_notice(leaver, editor):
    old = f.grant(leaver, f.asset("旧製品の仕様書", rank=3))
    grant_revoke(grant=old, revoked_by=editor, reason="異動", revoked_on=f.days_ago(30))
    services.person_give_notice(person=leaver, notice_on=f.days_ago(3))
    services.departure_revoke_all(person=leaver, revoked_by=editor)
    assert _active(leaver) == 0

    pledge = services.exit_pledge_create(person=leaver)
    assert pledge.kind == PledgeKind.LEAVING and pledge.signed_on is None
    names = [asset["name"] for asset in pledge.listed_assets]
    # Revoked since the notice: still named. Revoked long before it: not.
    assert sorted(names) == sorted(
        ["電解液の配合表", "焼成炉の温度プロファイル", "量産ラインの図面"]
    )
    assert {asset["secrecy_class"] for asset in pledge.listed_assets} == {"極秘"}


def test_exit_pledge_of_someone_without_access_names_nothing():
    person = f.person("新井 誠")
    services.person_give_notice(person=person, notice_on=f.today())
    assert services.exit_pledge_create(person=person).listed_assets == []


def test_exit_pledge_signing_checks_the_date(leaver):
    services.person_give_notice(person=leaver, notice_on=f.today())
    pledge = services.exit_pledge_create(person=leaver)
    for bad in (
        pledge.requested_on - datetime.timedelta(days=1),
        f.today() + datetime.timedelta(days=1),
    ):
        with pytest.raises(ApplicationError) as error:
            services.exit_pledge_sign(pledge=pledge, signed_on=bad)
        assert error.value.field == "signed_on"
    services.exit_pledge_sign(pledge=pledge, signed_on=f.today())
    pledge.refresh_from_db()
    assert pledge.signed_on == f.today()
    with pytest.raises(ApplicationError):
        services.exit_pledge_sign(pledge=pledge, signed_on=f.today())
