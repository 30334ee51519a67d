from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "mamori.watch"
    label = "watch"
    verbose_name = _("Departure watch")

    def ready(self) -> None:
        from mamori.core.links import page_register

        # Findings about a watched person link to the person's page in the watch.
        page_register("watch.person", "watch:person")
