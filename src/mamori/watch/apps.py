from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "mamori.watch"
    label = "watch"
    verbose_name = "Departure watch"

    def ready(self) -> None:
        from mamori.core.links import page_register

        # Findings about a watched person link to the person's page in the watch.
        page_register("watch.person", "watch:person")
