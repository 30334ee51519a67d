from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "mamori.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from mamori.contracts.selectors import counterparty_panel
        from mamori.core.panels import Panel, panel_register
        from mamori.partners.models import Counterparty

        panel_register(
            Counterparty,
            Panel("contracts/_counterparty_panel.html", counterparty_panel, order=10),
        )
