"""The digest page: see what the next digest would say, and turn it on or off."""

from __future__ import annotations

from typing import Any

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from mamori.accounts.roles import Capability
from mamori.core.views import ServiceFormView
from mamori.notify import selectors, services
from mamori.notify.config import config
from mamori.notify.digest import digest_build
from mamori.notify.forms import PreferenceForm


class PreferenceView(ServiceFormView):
    capability = Capability.SELF_SERVICE
    write_capability = Capability.SELF_SERVICE
    template_name = "notify/preferences.html"
    form_class = PreferenceForm
    success_url = reverse_lazy("notify:preferences")
    success_message = _("Your choice has been saved.")

    def get_initial(self) -> dict[str, Any]:
        return {"digest_enabled": selectors.digest_enabled(self.request.user)}

    def perform(self, form: PreferenceForm) -> Any:
        return services.preference_set(
            user=self.request.user, enabled=form.cleaned_data["digest_enabled"]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        preview = digest_build(user, selectors.digest_collect(user=user))
        return super().get_context_data(
            enabled=selectors.digest_enabled(user),
            last_sent=selectors.digest_last_sent(user),
            preview=preview,
            horizon_days=config().horizon_days,
            **kwargs,
        )
