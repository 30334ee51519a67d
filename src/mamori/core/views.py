"""Generic views every mamori page derives from.

A view declares the capability it needs (``capability = Capability.X``, or
``AUTHENTICATED`` for any signed-in user). ``ProtectedView`` refuses to run without
one, sends anonymous users to the login page and answers 403 to users whose role
lacks the capability. ``tests/core/test_url_protection.py`` fails on any URL whose
view is neither protected nor on its public allow-list.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView, TemplateView

from mamori.core.errors import ApplicationError

AUTHENTICATED = "authenticated"


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ProtectedView(View):
    """Require sign-in and ``capability``; unsafe methods need ``write_capability`` too."""

    capability: str | None = None
    write_capability: str | None = None

    def required_capability(self, method: str) -> str:
        if self.capability is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no capability")
        if method in SAFE_METHODS or self.write_capability is None:
            return self.capability
        return self.write_capability

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        needed = self.required_capability(request.method)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if needed != AUTHENTICATED and not request.user.has_capability(needed):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProtectedTemplateView(ProtectedView, TemplateView):
    pass


class ServiceFormView(ProtectedView, FormView):
    """A form whose valid submission calls one service through ``perform``.

    An ``ApplicationError`` from the service becomes an error on the form, which is
    shown again with what the user typed.
    """

    success_message: str | None = None

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            result = self.perform(form)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url_for(result))

    def get_success_url_for(self, result: Any) -> str:
        return self.get_success_url()


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> Page:
    """Return the page of ``items`` named by the request's ``page`` parameter."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
