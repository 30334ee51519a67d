"""Capability checks for the API: the same role table as the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from mamori.core.views import AUTHENTICATED


class HasCapability(BasePermission):
    """Allow a signed-in, active user whose role has the view's ``capability``
    (``AUTHENTICATED``: any signed-in user).

    A user who must still change a password set by someone else is refused, as on the
    pages (where a middleware sends them to the password form).
    """

    message = _("Your role does not allow this.")

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated or not user.is_active:
            return False
        if getattr(user, "must_change_password", False):
            return False
        needed = view.required_capability(request.method)
        return needed == AUTHENTICATED or user.has_capability(needed)
