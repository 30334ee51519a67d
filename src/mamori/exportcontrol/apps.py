from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class ExportControlConfig(AppConfig):
    name = "mamori.exportcontrol"
    label = "exportcontrol"
    verbose_name = _("Export control and investment screening")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from mamori.disclosures.services.ledger import disclosure_gate_register
        from mamori.exportcontrol import knowledge, signals
        from mamori.exportcontrol.services.gate import disclosure_gate
        from mamori.partners.models import Counterparty

        # Refuse to start on a broken data file, naming the file and field.
        try:
            knowledge.investment_rules()
            knowledge.crosswalks()
            knowledge.countries()
        except knowledge.KnowledgeError as exc:
            raise ImproperlyConfigured(f"export-control data is invalid: {exc}") from exc
        post_save.connect(
            signals.screen_counterparty_on_commit,
            sender=Counterparty,
            dispatch_uid="exportcontrol.screen_counterparty",
        )
        # The ledger is the lower app: export control wraps its recording of a disclosure.
        disclosure_gate_register(disclosure_gate)
