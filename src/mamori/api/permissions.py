"""Capability checks for the API: the same role table as the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from mamori.api.models import ApiToken
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


class TokenScopeAllows(BasePermission):
    """Refuse every write (anything but GET, HEAD, OPTIONS) made with a read-only token."""

    message = _("This API token is read-only; create a read-and-write token to make changes.")

    def has_permission(self, request: Any, view: Any) -> bool:
        token = request.auth
        if request.method in SAFE_METHODS or not isinstance(token, ApiToken):
            return True
        return token.can_write
