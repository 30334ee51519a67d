"""The API tokens page under the account settings: create (the key is shown once),
list and revoke one's tokens; the officer can revoke anyone's."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.api import selectors, services
from mamori.api.forms import TokenForm
from mamori.api.models import ApiToken
from mamori.core.views import AUTHENTICATED, ButtonView, ServiceFormView


class TokenListView(ServiceFormView):
    """``/accounts/me/tokens/``: the user's tokens and a form to create one."""

    capability = AUTHENTICATED
    template_name = "api/tokens.html"
    form_class = TokenForm
    invalid_status = 400

    def perform(self, form: TokenForm) -> Any:
        return services.token_create(user=self.request.user, **form.cleaned_data)

    def success_response(self, created: Any) -> HttpResponse:
        # Shown on this answer only: mamori keeps nothing but the key's hash.
        response = self.render_to_response(self.get_context_data(form=TokenForm(), new=created))
        add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        context = super().get_context_data(
            tokens=selectors.tokens_of(user),
            can_manage=user.has_capability(Capability.USERS_MANAGE),
            **kwargs,
        )
        if context["can_manage"]:
            context["others"] = selectors.active_tokens_of_others(user)
        return context


class TokenRevokeView(ButtonView):
    """Revoke a token: one's own, or (the officer) anyone's."""

    capability = AUTHENTICATED
    success_url = reverse_lazy("api_tokens:list")

    def perform(self) -> str:
        user = self.request.user
        token = ApiToken.objects.filter(pk=self.kwargs["pk"]).first()
        own = token is not None and token.user_id == user.pk
        if token is None or not (own or user.has_capability(Capability.USERS_MANAGE)):
            raise Http404
        services.token_revoke(token=token, by=user)
        return _("The token “%(name)s” has been revoked.") % {"name": token.name}
