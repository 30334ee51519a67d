from __future__ import annotations

import pytest

from mamori.accounts.roles import Role
from mamori.approvals.models import ApprovalStatus
from mamori.notify.digest import digest_build
from mamori.notify.selectors import digest_collect

pytestmark = pytest.mark.django_db


def test_the_queue_shows_what_waits_for_the_approver(ask, officer, editor, client_as):
    request = ask()
    page = client_as(officer).get("/approvals/").content.decode()
    assert f"/approvals/{request.pk}/" in page and "rename to Hanako" in page
    mine = client_as(editor).get("/approvals/").content.decode()
    assert "rename to Hanako" in mine  # under "your requests"


def test_an_unrelated_user_cannot_open_a_request(ask, make_user, client_as):
    request = ask()
    other = make_user(Role.EMPLOYEE)
    assert client_as(other).get(f"/approvals/{request.pk}/").status_code == 403
    response = client_as(other).post(
        f"/approvals/{request.pk}/", {"action": "approve", "reason": ""}
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == ApprovalStatus.PENDING


def test_the_officer_approves_on_the_page(ask, officer, client_as):
    request = ask()
    response = client_as(officer).post(
        f"/approvals/{request.pk}/", {"action": "approve", "reason": "fine"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ApprovalStatus.APPROVED


def test_declining_without_a_reason_shows_the_form_again(ask, officer, client_as):
    request = ask()
    response = client_as(officer).post(f"/approvals/{request.pk}/", {"action": "decline"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == ApprovalStatus.PENDING


def test_the_requester_cannot_approve_on_the_page(ask, editor, client_as):
    request = ask()
    page = client_as(editor).get(f"/approvals/{request.pk}/").content.decode()
    assert 'value="approve"' not in page and 'value="withdraw"' in page
    response = client_as(editor).post(f"/approvals/{request.pk}/", {"action": "approve"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == ApprovalStatus.PENDING


def test_pending_requests_are_in_the_deciders_digest_only(ask, officer, editor):
    ask()
    data = digest_collect()
    officer_items = digest_build(officer, data).items("waiting")
    assert any("rename to Hanako" in item.title for item in officer_items)
    assert not any(
        "rename to Hanako" in i.title for i in digest_build(editor, data).items("waiting")
    )
