"""Form pieces every app's forms share: date inputs, today's date, option labels."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

__all__ = ["DATE_WIDGET", "date_widgets", "person_label", "today"]

# The browser's own date picker; the value is written as ISO so that it shows when editing.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_widgets(*names: str) -> dict[str, forms.Widget]:
    """Return ``Meta.widgets`` entries giving each named field the date input."""
    return {name: DATE_WIDGET for name in names}


def today() -> datetime.date:
    """Return today's date where the site is (an ``initial`` for date fields)."""
    return timezone.localdate()


def person_label(name: str, department: str | None) -> str:
    """Return how a person is offered in a list: the name, then the department."""
    return f"{name}（{department}）" if department else name
