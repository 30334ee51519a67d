"""The API tokens page under the account settings: create (the key is shown once),
list and revoke one's tokens; the officer can revoke anyone's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.api import selectors, services
from mamori.api.forms import TokenForm
from mamori.api.models import ApiToken
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.core.views import AUTHENTICATED, ProtectedView


class TokenListView(ProtectedView):
    """``/accounts/me/tokens/``: the user's tokens and a form to create one."""

    capability = AUTHENTICATED
    template_name = "api/tokens.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                created = services.token_create(user=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                # Shown on this answer only: mamori keeps nothing but the key's hash.
                response = self.render_page(request, TokenForm(), new=created)
                add_never_cache_headers(response)
                return response
        return self.render_page(request, form, status=400)

    def render_page(
        self, request: HttpRequest, form: TokenForm, status: int = 200, **extra: Any
    ) -> HttpResponse:
        user = request.user
        context = {
            "form": form,
            "tokens": selectors.tokens_of(user),
            "can_manage": user.has_capability(Capability.USERS_MANAGE),
            **extra,
        }
        if context["can_manage"]:
            context["others"] = selectors.active_tokens_of_others(user)
        return render(request, self.template_name, context, status=status)


class TokenRevokeView(ProtectedView):
    """Revoke a token: one's own, or (the officer) anyone's."""

    capability = AUTHENTICATED
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = ApiToken.objects.filter(pk=pk).first()
        own = token is not None and token.user_id == request.user.pk
        if token is None or not (own or request.user.has_capability(Capability.USERS_MANAGE)):
            raise Http404
        try:
            services.token_revoke(token=token, by=request.user)
        except NotPermitted as exc:
            raise PermissionDenied from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("The token “%(name)s” has been revoked.") % {"name": token.name}
            )
        return redirect("api_tokens:list")
