"""Need-to-know: whether a user may see an object's secret details, and the record of each
read of them.

The rule is the assets app's (grants valid on the day, the owner, the officer), which sits
above ``core``: it registers its selector for the models it protects at start-up
(``AssetsConfig.ready``), and the generic views (``mamori.core.views``) and the API's base
views ask here for every object they show. An object of a model without a rule has no
secret details: it is visible to whoever may open the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

__all__ = ["details_read", "details_visible", "has_details", "need_to_know_register"]


@dataclass(frozen=True)
class _Rule:
    visible: Callable[[Any, Any], bool]
    read: Callable[[Any, Any], None]


_RULES: dict[str, _Rule] = {}


def need_to_know_register(
    model: type[models.Model],
    *,
    visible: Callable[[Any, Any], bool],
    read: Callable[[Any, Any], None],
) -> None:
    """Protect ``model``'s details: ``visible(user, obj)`` decides, ``read(user, obj)``
    records each time they are shown (the audit log)."""
    _RULES[model._meta.label_lower] = _Rule(visible=visible, read=read)


def has_details(obj: Any) -> bool:
    """Return whether ``obj``'s model has secret details under need-to-know."""
    meta = getattr(obj, "_meta", None)
    return meta is not None and meta.label_lower in _RULES


def details_visible(user: Any, obj: Any) -> bool:
    """Return whether ``user`` may see ``obj``'s secret details (always, without a rule)."""
    if not has_details(obj):
        return True
    return bool(_RULES[obj._meta.label_lower].visible(user, obj))


def details_read(user: Any, obj: Any) -> None:
    """Record that ``user`` was shown ``obj``'s secret details."""
    if has_details(obj):
        _RULES[obj._meta.label_lower].read(user, obj)
