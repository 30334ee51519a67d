"""The page of an object named by its type and key, as findings and the audit log name them.

A type is a model's label (``partners.counterparty``): its page is the model's
``get_absolute_url``. A few types name a page that is not a model's own (``watch.person``:
a person as the departure watch sees them); the app that owns such a page registers it at
start-up with ``page_register``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

__all__ = ["object_url", "page_register"]

_PAGES: dict[str, Callable[[Any], str]] = {}


def page_register(object_type: str, url_name: str) -> None:
    """Link ``object_type`` (not a model's label) to the page ``url_name``, taking ``pk``."""
    _PAGES[object_type] = lambda pk: reverse(url_name, kwargs={"pk": pk})


def object_url(object_type: str, pk: Any) -> str:
    """Return the path of the object's page, or an empty string when it has none."""
    try:
        page = _PAGES.get(object_type)
        if page is not None:
            return page(pk)
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return ""
    absolute_url = getattr(model, "get_absolute_url", None)
    if absolute_url is None or pk in (None, ""):
        return ""
    try:
        # Pages are found by key: an instance that carries only the key names its page.
        return absolute_url(model(pk=pk))
    except (NoReverseMatch, ValueError, TypeError):
        return ""
