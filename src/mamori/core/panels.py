"""Sections that an app adds to another app's page, so that the page's app need not import it.

A page belongs to the app lower in the layer order (a counterparty's page, in ``partners``);
an app above it knows what else belongs there (the contracts with the counterparty, in
``contracts``). The higher app registers a ``Panel`` for the page's model in its
``AppConfig.ready``; the page renders ``panels_render(...)`` where the sections go, in
``order``. Dependencies keep pointing down: ``partners`` never imports ``contracts``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

__all__ = ["Panel", "panel_register", "panels_render"]


@dataclass(frozen=True)
class Panel:
    """A template and the function that returns its context for the page's object."""

    template: str
    context: Callable[[Any], Mapping[str, Any]]
    order: int = 100


_PANELS: dict[str, list[Panel]] = defaultdict(list)


def panel_register(model: type[models.Model], panel: Panel) -> None:
    """Add ``panel`` to the pages of ``model`` (once, however often it is registered)."""
    panels = _PANELS[model._meta.label_lower]
    if panel not in panels:
        panels.append(panel)
        panels.sort(key=lambda known: known.order)


def panels_render(
    request: HttpRequest, obj: models.Model, page: Mapping[str, Any] | None = None
) -> list[SafeString]:
    """Return the HTML of the panels registered for ``obj``'s model, in order.

    Each template sees the page's ``page`` context (the object under its usual name, what
    the user may do) and what the panel's ``context`` function returns for ``obj``.
    """
    rendered = []
    for panel in _PANELS.get(obj._meta.label_lower, ()):
        context = {"object": obj, **(page or {}), **panel.context(obj)}
        # The templates are the apps' own; their output is escaped by the template engine.
        rendered.append(mark_safe(render_to_string(panel.template, context, request=request)))  # noqa: S308
    return rendered
