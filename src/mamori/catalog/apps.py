from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class CatalogConfig(AppConfig):
    name = "mamori.catalog"
    label = "catalog"
    verbose_name = "Handbook catalog"

    def ready(self) -> None:
        # Refuse to start on an invalid catalog: every page depends on it, and an error
        # naming the file and field now beats a broken page later.
        from mamori.catalog.loader import CatalogError
        from mamori.catalog.selectors import get_catalog

        try:
            get_catalog()
        except CatalogError as exc:
            raise ImproperlyConfigured(f"the handbook catalog is invalid:\n{exc}") from exc
