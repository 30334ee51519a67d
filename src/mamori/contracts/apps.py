from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "mamori.contracts"
    label = "contracts"
    verbose_name = "Contracts"

    def ready(self) -> None:
        from mamori.contracts.selectors import counterparty_panel
        from mamori.core.panels import Panel, panel_register
        from mamori.partners.models import Counterparty

        panel_register(
            Counterparty,
            Panel("contracts/_counterparty_panel.html", counterparty_panel, order=10),
        )
