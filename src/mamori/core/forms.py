"""Form pieces every app's forms share: date inputs, today's date, option labels, the
yes/no question, selects of thousands of options."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from html import escape
from typing import Any, ClassVar

from django import forms
from django.db import models
from django.forms.models import model_to_dict
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

__all__ = [
    "DATE_WIDGET",
    "YES_NO",
    "FastSelect",
    "FastSelectMultiple",
    "FilterForm",
    "YesNoField",
    "date_widgets",
    "initial_of",
    "options_html",
    "person_label",
    "today",
]

# The browser's own date picker; the value is written as ISO so that it shows when editing.
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_widgets(*names: str) -> dict[str, forms.Widget]:
    """Return ``Meta.widgets`` entries giving each named field the date input."""
    return {name: DATE_WIDGET for name in names}


def initial_of(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Return what a form with ``fields`` starts from to change ``instance``: the values of
    the fields they share, a relation as the key (or the list of keys) it points to."""
    return {
        name: [getattr(item, "pk", item) for item in value] if isinstance(value, list) else value
        for name, value in model_to_dict(instance, fields=list(fields)).items()
    }


def today() -> datetime.date:
    """Return today's date where the site is (an ``initial`` for date fields)."""
    return timezone.localdate()


def person_label(name: str, department: str | None) -> str:
    """Return how a person is offered in a list: the name, then the department."""
    return f"{name}（{department}）" if department else name


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class YesNoField(forms.TypedChoiceField):
    """A required yes/no question: it must be answered, not skipped like a checkbox."""

    def __init__(self, **kwargs: Any):
        super().__init__(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            empty_value=None,
            error_messages={"required": _("Answer yes or no.")},
            **kwargs,
        )


def options_html(choices: Iterable[tuple[Any, Any]], selected: Iterable[str]) -> str:
    """Return ``<option>`` elements for ``choices``, escaped, built without a template (or
    ``format_html``) per option: a list of thousands of people stays fast."""
    chosen = {str(value) for value in selected}
    parts = []
    for value, label in choices:
        value = str(value)
        mark = " selected" if value in chosen else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(str(label))}</option>')
    return mark_safe("\n".join(parts))  # noqa: S308 - every value and label is escaped


class FastSelect(forms.Select):
    """A select that renders its options in Python, so that a list of thousands of people
    does not take a template rendering per option."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        return format_html(
            '<select name="{}"{}{}>{}</select>',
            name,
            " multiple" if self.allow_multiple_selected else "",
            flatatt(widget["attrs"]),
            options_html(self.choices, widget["value"] or []),
        )


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    """A multiple select rendered in Python (thousands of people or counterparties)."""

    def format_value(self, value: Any) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [str(v) for v in value if v not in (None, "")]


class FilterForm(forms.Form):
    """The filters of a register's list page, read from the query string.

    ``filters()`` returns the selector's keyword arguments: one a field, under the field's
    name (the search box ``q`` is the selector's ``query``; ``arguments`` renames others),
    all of them empty unless every value the query string holds is valid. A form without
    fields is a list without filters.
    """

    arguments: ClassVar[dict[str, str]] = {"q": "query"}

    def filters(self) -> dict[str, Any]:
        valid = self.is_valid()
        return {
            self.arguments.get(name, name): self.cleaned_data[name] if valid else ""
            for name in self.fields
        }
