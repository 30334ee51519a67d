from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from mamori.accounts.security import has_second_factor, mfa_required_for


class PasswordChangeRequiredMiddleware:
    """Send a user whose password was set by someone else to change it first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {
                reverse("accounts:password_change"),
                reverse("accounts:logout"),
                reverse("accounts:language"),
            }
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password_change")
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Send a user who must use a second factor (``MAMORI_MFA_REQUIRED``) and has none yet
    to "My security" to enrol one, before any other page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(("/static/", "/accounts/me/security/"))
            and mfa_required_for(user)
            and not has_second_factor(user)
        ):
            allowed = {
                reverse("accounts:logout"),
                reverse("accounts:language"),
                reverse("accounts:password_change"),
            }
            if request.path not in allowed and not request.path.startswith("/api/"):
                return redirect("accounts:security")
        return self.get_response(request)
