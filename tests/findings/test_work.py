"""Findings as work: an owner by rule, a status, risk acceptance until a date, comments
and a history; resolved and accepted findings stay listed behind the status filter."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mamori.audit.models import AuditEntry
from mamori.core.errors import ApplicationError
from mamori.findings import services
from mamori.findings.models import EventKind, Finding, FindingStatus
from mamori.findings.selectors import my_findings, open_findings
from mamori.lifecycle import services as lifecycle_services
from mamori.people import services as people_services
from tests.findings import factories as f

pytestmark = pytest.mark.django_db

LEAVER = "assets.leaver_holds_access"
MARKING = "assets.secret_without_marking"


@pytest.fixture
def leaver(make_user):
    boss_account = make_user(username="boss")
    boss = f.person("上司 一郎", user=boss_account)
    person = f.person("高橋 健", manager=boss)
    f.grant(person, f.asset("電解液の配合表"))
    lifecycle_services.person_give_notice(person=person, notice_on=f.today())
    services.findings_refresh()
    return person


def _finding(rule: str = LEAVER) -> Finding:
    return Finding.objects.get(rule=rule)


def test_the_owner_follows_the_rule_manager_asset_owner_officer(leaver, officer, make_user):
    assert _finding().owner.username == "boss"  # the person's manager
    owner_account = make_user(username="asset-owner")
    owner = f.person("資産 管理者", user=owner_account)
    f.asset("図面", owner=owner, marking="")  # the asset's owner
    f.asset("無主の図面", owner=f.person("口座 なし"), marking="")  # owner without account
    services.findings_refresh()
    owners = {
        row.refs_data[0]["label"]: row.owner.username
        for row in Finding.objects.filter(rule=MARKING)
    }
    assert owners == {"図面": "asset-owner", "無主の図面": officer.username}


def test_the_owner_follows_a_new_manager_unless_chosen_by_hand(leaver, make_user, officer):
    old_boss = leaver.manager
    new_boss = f.person("新しい 上司", user=make_user(username="newboss"))
    people_services.person_update(person=leaver, manager=new_boss)
    services.findings_ensure_fresh()  # the person changed: their findings are re-evaluated
    assert _finding().owner.username == "newboss"
    services.finding_owner_set(finding=_finding(), owner=officer, actor=officer)
    people_services.person_update(person=leaver, manager=old_boss)
    services.findings_ensure_fresh()
    assert _finding().owner == officer


def test_a_person_without_a_manager_leaves_the_finding_with_the_officer(officer):
    person = f.person("一人 親方")
    f.grant(person, f.asset("配合表"))
    lifecycle_services.person_give_notice(person=person, notice_on=f.today())
    services.findings_refresh()
    assert _finding().owner == officer


def test_my_findings_are_those_i_own(leaver, make_user):
    boss = leaver.manager.user
    mine = my_findings(boss)
    # Everything about the people the boss manages, the leaver's access first.
    assert mine[0].finding.rule == LEAVER
    assert {view.finding.subject_id for view in mine} == {str(leaver.pk)}
    assert my_findings(make_user(username="other")) == []


def test_status_comments_and_history_are_audited(leaver, editor):
    finding = _finding()
    services.finding_status_set(finding=finding, status="in_progress", actor=editor, note="連絡中")
    services.finding_comment_add(finding=finding, text="本人に確認しました", author=editor)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.IN_PROGRESS
    kinds = list(finding.events.values_list("kind", flat=True))
    assert kinds == [EventKind.OPENED, EventKind.STATUS]
    audited = AuditEntry.objects.filter(object_type="findings.finding", object_id=str(finding.pk))
    assert audited.filter(changes__has_key="status").exists()
    assert AuditEntry.objects.filter(object_type="findings.findingcomment").exists()
    with pytest.raises(ApplicationError):
        services.finding_comment_add(finding=finding, text="  ", author=editor)


def test_accept_with_expiry_then_the_expiry_reopens(leaver, officer, monkeypatch):
    finding = _finding()
    until = f.today() + datetime.timedelta(days=30)
    with pytest.raises(ApplicationError) as refused:
        services.finding_accept(finding=finding, until=until, reason=" ", actor=officer)
    assert refused.value.field == "accepted_reason"
    with pytest.raises(ApplicationError):
        services.finding_accept(finding=finding, until=f.today(), reason="理由", actor=officer)
    services.finding_accept(finding=finding, until=until, reason="引継ぎ中のため", actor=officer)
    assert _finding().status == FindingStatus.ACCEPTED
    # Accepted: no longer asks for work, but listed behind the filter.
    assert not open_findings(rule=LEAVER).exists()
    assert open_findings(rule=LEAVER, status="accepted").get().accepted_reason == "引継ぎ中のため"
    # A re-evaluation keeps the acceptance while the problem persists.
    services.findings_refresh()
    assert _finding().status == FindingStatus.ACCEPTED

    later = until + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert services.findings_expire_acceptances() == 1
    reopened = _finding()
    assert reopened.status == FindingStatus.OPEN
    assert reopened.events.last().kind == EventKind.EXPIRED


def test_the_list_reopens_an_expired_acceptance_on_read(leaver, officer, client_as):
    finding = _finding()
    services.finding_accept(
        finding=finding, until=f.today() + datetime.timedelta(days=1), reason="理由", actor=officer
    )
    Finding.objects.filter(pk=finding.pk).update(accepted_until=f.today() - datetime.timedelta(1))
    response = client_as(officer).get("/findings/")
    assert response.status_code == 200
    assert _finding().status == FindingStatus.OPEN


def test_resolved_findings_stay_listed_behind_the_filter(leaver, editor, client_as):
    lifecycle_services.departure_revoke_all(person=leaver, revoked_by=editor)
    services.findings_refresh()
    assert _finding().status == FindingStatus.RESOLVED
    client = client_as(editor)
    rule = f'data-rule="{LEAVER}"'
    assert rule not in client.get("/findings/").content.decode()
    resolved = client.get("/findings/?status=resolved").content.decode()
    assert rule in resolved and 'data-status="resolved"' in resolved
    history = client.get(f"/findings/{_finding().pk}/").content.decode()
    assert "解消を確認" in history


def test_a_resolved_finding_that_comes_back_is_open_again(leaver, editor):
    lifecycle_services.departure_revoke_all(person=leaver, revoked_by=editor)
    services.findings_refresh()
    f.grant(leaver, f.asset("別の図面"))
    services.findings_refresh()
    finding = _finding()
    assert finding.status == FindingStatus.OPEN and finding.resolved_at is None
    assert list(finding.events.values_list("kind", flat=True))[-1] == EventKind.REOPENED


def test_the_finding_page_works_the_finding(leaver, officer, editor, client_as):
    finding = _finding()
    page = client_as(editor).get(f"/findings/{finding.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"/lifecycle/people/{leaver.pk}/departure/#access" in body  # the fix button
    assert 'name="action" value="accept"' not in body  # the officer's only
    response = client_as(editor).post(
        f"/findings/{finding.pk}/", {"action": "status", "status": "in_progress", "note": ""}
    )
    assert response.status_code == 302 and _finding().status == FindingStatus.IN_PROGRESS
    refused = client_as(editor).post(
        f"/findings/{finding.pk}/",
        {"action": "accept", "accepted_until": "2099-01-01", "accepted_reason": "x"},
    )
    assert refused.status_code == 403
    kept = client_as(officer).post(
        f"/findings/{finding.pk}/",
        {"action": "accept", "accepted_until": str(f.today()), "accepted_reason": "理由"},
    )
    assert kept.status_code == 400 and "明日以降" in kept.content.decode()


def test_a_manager_is_chosen_on_the_person_form(leaver, editor, client_as):
    other = f.person("別の 上司")
    response = client_as(editor).post(
        f"/people/{leaver.pk}/edit/", {"name": leaver.name, "kind": "employee", "manager": other.pk}
    )
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert leaver.manager == other
