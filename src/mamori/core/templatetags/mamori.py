"""Template helpers: localized catalog texts and small formatting."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def loc(text: Any) -> str:
    """Return a catalog ``Text`` in the active language (``{{ row.title|loc }}``)."""
    if text is None:
        return ""
    getter = getattr(text, "get", None)
    if callable(getter):
        return getter(translation.get_language() or "ja")
    return str(text)


@register.filter
def percent(part: int, whole: int) -> int:
    """Return ``part`` of ``whole`` as a whole percentage (0 when ``whole`` is 0)."""
    return round(100 * part / whole) if whole else 0


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """Return the current query string with ``changes`` applied (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_link(catalog: Any, link_id: str) -> Any:
    """Return the catalog link ``link_id`` (``{% with link=catalog|get_link:id %}``)."""
    return catalog.link(link_id)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """Return ``mapping[key]``, or ``None`` (``{{ checks|get_item:row.id }}``)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
