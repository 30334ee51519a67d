"""A kind registered for the tests: renaming a user, approved by the officer."""

from __future__ import annotations

import pytest

from mamori.accounts.models import User
from mamori.approvals import registry
from mamori.core.errors import ApplicationError

KIND = "tests.rename"


def _apply(request, user):
    if request.data.get("name") == "refuse":
        raise ApplicationError("refused by the kind")
    subject = request.subject()
    subject.first_name = request.data["name"]
    subject.save()
    return subject


@pytest.fixture(autouse=True)
def rename_kind():
    kind = registry.ApprovalKind(
        key=KIND,
        label="Rename",
        may_approve=lambda user, request: user.is_officer,
        apply=_apply,
        describe=lambda request: f"rename to {request.data['name']}",
    )
    registry.kind_register(kind)
    yield kind
    registry._KINDS.pop(KIND, None)


@pytest.fixture
def ask(editor):
    from mamori.approvals.services import approval_request

    def make(name: str = "Hanako", by: User | None = None, subject: User | None = None):
        return approval_request(
            kind=KIND,
            subject=subject or editor,
            requested_by=by or editor,
            data={"name": name},
            reason="married",
        )

    return make
