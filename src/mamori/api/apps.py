from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "mamori.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        # Registers the token scheme with drf-spectacular before any schema is built.
        from mamori.accounts.signals import password_set_by_officer
        from mamori.api import schema  # noqa: F401

        password_set_by_officer.connect(_revoke_tokens, dispatch_uid="mamori.api.revoke_on_reset")


def _revoke_tokens(sender: object, user: object, by: object = None, **kwargs: object) -> None:
    from mamori.api.services import tokens_revoke_all

    tokens_revoke_all(user=user, by=by)
