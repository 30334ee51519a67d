from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mamori.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        # Registers the token scheme with drf-spectacular before any schema is built.
        from mamori.api import schema  # noqa: F401
