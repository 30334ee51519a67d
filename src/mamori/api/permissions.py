"""Capability checks for the API: the same role table as the pages."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission


class HasCapability(BasePermission):
    """Allow a signed-in, active user whose role has the view's ``capability``.

    A user who must still change a password set by someone else is refused, as on the
    pages (where a middleware sends them to the password form).
    """

    message = "Your role does not allow this."

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated or not user.is_active:
            return False
        if getattr(user, "must_change_password", False):
            return False
        return user.has_capability(view.required_capability(request.method))
