"""The kinds of approval request, registered by the apps that own them.

See the package docstring (``mamori.approvals``) for how an app registers a kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mamori.accounts.roles import Capability

if TYPE_CHECKING:
    from mamori.approvals.models import ApprovalRequest

__all__ = [
    "ApprovalKind",
    "UnknownKind",
    "kind_get",
    "kind_register",
    "kinds",
    "officer_may_approve",
]


class UnknownKind(KeyError):
    """No app registered an approval kind under this key."""


def officer_may_approve(user: Any, request: ApprovalRequest) -> bool:
    """``may_approve`` of the kinds the officer decides."""
    return user.has_capability(Capability.COMPANY_MANAGE)


def _no_description(request: ApprovalRequest) -> str:
    return request.subject_repr


@dataclass(frozen=True)
class ApprovalKind:
    """What one kind of request is: who may approve it and what approving does."""

    key: str
    label: Any  # a (lazy) translated text
    may_approve: Callable[[Any, ApprovalRequest], bool]
    apply: Callable[[ApprovalRequest, Any], Any]
    describe: Callable[[ApprovalRequest], str] = _no_description


_KINDS: dict[str, ApprovalKind] = {}


def kind_register(kind: ApprovalKind) -> None:
    """Register ``kind``; registering the same key again replaces it (a reloaded app)."""
    _KINDS[kind.key] = kind


def kind_get(key: str) -> ApprovalKind:
    """Return the kind registered under ``key``; raise ``UnknownKind`` when there is none."""
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownKind(key) from None


def kinds() -> dict[str, ApprovalKind]:
    """Return every registered kind by key."""
    return dict(_KINDS)
