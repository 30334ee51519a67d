from __future__ import annotations

import pytest

from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.approvals import services
from mamori.approvals.models import ApprovalStatus
from mamori.approvals.registry import UnknownKind
from mamori.audit.models import AuditEntry
from mamori.core.errors import ApplicationError, NotPermitted

pytestmark = pytest.mark.django_db


def test_a_request_waits_and_approving_applies_it(ask, editor, officer):
    request = ask()
    assert request.status == ApprovalStatus.PENDING
    assert User.objects.get(pk=editor.pk).first_name != "Hanako"
    services.approval_approve(request=request, user=officer, reason="ok")
    request.refresh_from_db()
    assert request.status == ApprovalStatus.APPROVED
    assert request.decided_by == officer and request.decided_at is not None
    assert (request.result_type, request.result_id) == ("accounts.user", str(editor.pk))
    assert User.objects.get(pk=editor.pk).first_name == "Hanako"


def test_nobody_decides_their_own_request(ask, officer):
    request = ask(by=officer)
    with pytest.raises(NotPermitted) as refused:
        services.approval_approve(request=request, user=officer)
    assert refused.value.message == str(services.OWN_REQUEST)
    with pytest.raises(NotPermitted):
        services.approval_decline(request=request, user=officer, reason="no")
    request.refresh_from_db()
    assert request.status == ApprovalStatus.PENDING


def test_only_whom_the_kind_allows_decides(ask, make_user):
    other_editor = make_user(Role.EDITOR)
    with pytest.raises(NotPermitted):
        services.approval_approve(request=ask(), user=other_editor)


def test_declining_needs_a_reason_and_applies_nothing(ask, editor, officer):
    request = ask()
    with pytest.raises(ApplicationError) as refused:
        services.approval_decline(request=request, user=officer, reason="  ")
    assert refused.value.field == "reason"
    services.approval_decline(request=request, user=officer, reason="not needed")
    request.refresh_from_db()
    assert (request.status, request.decision_reason) == (ApprovalStatus.DECLINED, "not needed")
    assert User.objects.get(pk=editor.pk).first_name != "Hanako"


def test_a_decided_request_cannot_be_decided_again(ask, officer):
    request = ask()
    services.approval_decline(request=request, user=officer, reason="no")
    with pytest.raises(ApplicationError) as refused:
        services.approval_approve(request=request, user=officer)
    assert refused.value.message == str(services.NOT_PENDING)


def test_a_refusal_of_the_kind_leaves_the_request_pending(ask, officer):
    request = ask(name="refuse")
    with pytest.raises(ApplicationError):
        services.approval_approve(request=request, user=officer)
    request.refresh_from_db()
    assert request.status == ApprovalStatus.PENDING


def test_only_the_requester_withdraws(ask, editor, officer):
    request = ask()
    with pytest.raises(NotPermitted):
        services.approval_withdraw(request=request, user=officer)
    services.approval_withdraw(request=request, user=editor)
    request.refresh_from_db()
    assert request.status == ApprovalStatus.WITHDRAWN


def test_the_same_pending_request_is_not_asked_twice(ask):
    ask()
    with pytest.raises(ApplicationError):
        ask()
    ask(name="Other")


def test_an_unknown_kind_is_refused(editor):
    with pytest.raises(UnknownKind):
        services.approval_request(kind="nope", subject=editor, requested_by=editor)


def test_every_step_is_audited(ask, officer):
    request = ask()
    services.approval_decline(request=request, user=officer, reason="no")
    entries = AuditEntry.objects.filter(
        object_type="approvals.approvalrequest", object_id=str(request.pk)
    ).order_by("seq")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].changes["requested_by"][1] == request.requested_by_id
    assert entries[1].changes["status"] == ["pending", "declined"]
    assert entries[1].changes["decision_reason"] == ["", "no"]
    assert entries[1].actor_id is None or entries[1].actor_id == officer.pk
