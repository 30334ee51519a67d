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

__all__ = [
    "details_read",
    "details_visible",
    "has_details",
    "need_to_know_register",
    "protected_label",
    "visible_pks",
]


@dataclass(frozen=True)
class _Rule:
    visible: Callable[[Any, Any], bool]
    read: Callable[[Any, Any], None]
    visible_pks: Callable[[Any], set[Any] | None] | None = None


_RULES: dict[str, _Rule] = {}


def need_to_know_register(
    model: type[models.Model],
    *,
    visible: Callable[[Any, Any], bool],
    read: Callable[[Any, Any], None],
    visible_pks: Callable[[Any], set[Any] | None] | None = None,
) -> None:
    """Protect ``model``'s details: ``visible(user, obj)`` decides, ``read(user, obj)``
    records each time they are shown (the audit log); ``visible_pks(user)`` gives the
    same answer for every object at once (``None``: all of them)."""
    _RULES[model._meta.label_lower] = _Rule(visible=visible, read=read, visible_pks=visible_pks)


def protected_label(label: str) -> bool:
    """Return whether the model ``label`` (``app.model``) has details under need-to-know."""
    return label in _RULES


def visible_pks(user: Any, label: str) -> set[str] | None:
    """Return the primary keys (as text) of the objects of model ``label`` whose details
    ``user`` may see; ``None`` means all of them (or a model without a rule)."""
    rule = _RULES.get(label)
    if rule is None:
        return None
    if rule.visible_pks is None:
        raise LookupError(f"{label} has no visible_pks rule")
    pks = rule.visible_pks(user)
    return None if pks is None else {str(pk) for pk in pks}


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
