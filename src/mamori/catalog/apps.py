from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "mamori.catalog"
    label = "catalog"
    verbose_name = _("Handbook catalog")

    def ready(self) -> None:
        # Refuse to start on an invalid catalog: every page depends on it, and an error
        # naming the file and field now beats a broken page later.
        from mamori.catalog.loader import CatalogError
        from mamori.catalog.selectors import get_catalog

        try:
            get_catalog()
        except CatalogError as exc:
            raise ImproperlyConfigured(f"the handbook catalog is invalid:\n{exc}") from exc
        # The audit log names the catalog items it records (a checklist row, a clause).
        from mamori.audit.reading import catalog_titles_register
        from mamori.catalog.selectors import catalog_title

        catalog_titles_register(catalog_title)
