from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlackboxConfig(AppConfig):
    name = "mamori.blackbox"
    label = "blackbox"
    verbose_name = _("Black-boxing (codenames and document sanitizer)")

    def ready(self) -> None:
        from mamori.blackbox.approval import register_kind

        # An editor asks the officer's approval when the ledger blocks a confirmation.
        register_kind()
