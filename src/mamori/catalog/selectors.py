"""Access to the handbook catalog from Django code."""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils.translation import get_language

from mamori.catalog.loader import DEFAULT_DIR, Catalog, load_catalog


@functools.cache
def _load(directory: str) -> Catalog:
    return load_catalog(directory)


def get_catalog() -> Catalog:
    """Return the catalog (``MAMORI_CATALOG_DIR`` or the shipped one), loaded once."""
    return _load(str(settings.MAMORI_CATALOG_DIR or DEFAULT_DIR))


def catalog_title(item_id: str, language: str | None = None) -> str:
    """Return the title of a catalog item (a checklist row, a clause, a questionnaire, a
    wizard question) in ``language`` (the active one), or ``item_id`` when there is none."""
    catalog = get_catalog()
    item = catalog._by_id.get(item_id)
    if item is None:
        try:
            item = catalog.wizard_question(item_id)
        except KeyError:
            return item_id
    text = getattr(item, "title", None) or getattr(item, "text", None)
    if text is None:
        return item_id
    return text.get(language or get_language() or "ja")
