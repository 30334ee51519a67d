from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "mamori.disclosures"
    label = "disclosures"
    verbose_name = _("Disclosures, samples and exhibitions")

    def ready(self) -> None:
        from mamori.contracts.models import Contract
        from mamori.core.panels import Panel, panel_register
        from mamori.disclosures.selectors import contract_panel, counterparty_panel
        from mamori.partners.models import Counterparty

        panel_register(
            Counterparty,
            Panel("disclosures/_counterparty_panel.html", counterparty_panel, order=20),
        )
        panel_register(Contract, Panel("disclosures/_contract_panel.html", contract_panel))

        from mamori.disclosures.services.approval import register_kind

        # An editor asks the officer's approval for a disclosure the ledger blocks.
        register_kind()
