"""Access to the handbook catalog from Django code."""

from __future__ import annotations

import functools

from django.conf import settings

from mamori.catalog.loader import DEFAULT_DIR, Catalog, load_catalog


@functools.cache
def _load(directory: str) -> Catalog:
    return load_catalog(directory)


def get_catalog() -> Catalog:
    """Return the catalog (``MAMORI_CATALOG_DIR`` or the shipped one), loaded once."""
    return _load(str(settings.MAMORI_CATALOG_DIR or DEFAULT_DIR))
