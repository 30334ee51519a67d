from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "mamori.lifecycle"
    label = "lifecycle"
    verbose_name = _("Joining, transfer and departure")

    def ready(self) -> None:
        from mamori.lifecycle.services import person_transfer
        from mamori.people.services import person_transfer_register

        # The people import records department changes as transfers (this app's service).
        person_transfer_register(person_transfer)
