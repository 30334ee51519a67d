"""Declared filters for list endpoints: each view names its filters, the backend applies
them, refuses bad values with 400 naming the parameter, and describes them in the schema.

A filter is data, not code: ``Filter.choice("kind", PersonKind)``, ``Filter.ref("owner")``,
``Filter.flag("key_engineer", "is_key_engineer")``, ``Filter.date_from(...)``; ``q``
searches the view's ``search`` lookups (case-insensitive, any of them).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from mamori.assets.selectors import grants_in_force

# Ids above this cannot exist in any database mamori runs on (a 64-bit key).
MAX_ID = 2**63 - 1
TRUE = frozenset({"true", "1", "yes"})
FALSE = frozenset({"false", "0", "no"})

NOT_AN_ID = _("Enter the id, a whole number from 1.")
NOT_A_BOOLEAN = _("Enter true or false.")
NOT_A_DATE = _("Enter a date as YYYY-MM-DD.")
NOT_A_CHOICE = _("Choose one of: %(choices)s.")
NO_NUL = _("The text may not contain NUL characters.")
UNKNOWN_PARAMETER = _("Unknown parameter; the parameters here are: %(names)s.")
# Parameters every list answers besides its filters: paging, and DRF's format override.
ALWAYS_KNOWN = frozenset({"limit", "offset", "format"})


@dataclass(frozen=True)
class Filter:
    """A query parameter ``name`` of type ``kind`` applied as ``lookup`` (or ``method``)."""

    name: str
    kind: str = "string"  # string, integer, boolean, date
    lookup: str = ""
    choices: tuple[str, ...] = ()
    description: str = ""
    method: Callable[[QuerySet, Any], QuerySet] | None = field(default=None, compare=False)

    @classmethod
    def choice(cls, name: str, choices: Any, lookup: str = "", description: str = "") -> Filter:
        values = tuple(getattr(choices, "values", choices))
        return cls(name, "string", lookup or name, values, description)

    @classmethod
    def ref(cls, name: str, lookup: str = "", description: str = "") -> Filter:
        return cls(name, "integer", lookup or f"{name}_id", (), description or f"id of the {name}")

    @classmethod
    def flag(cls, name: str, lookup: str = "", description: str = "") -> Filter:
        return cls(name, "boolean", lookup or name, (), description)

    @classmethod
    def date_from(cls, name: str, field_name: str) -> Filter:
        return cls(name, "date", f"{field_name}__gte", (), f"{field_name} on or after")

    @classmethod
    def date_to(cls, name: str, field_name: str) -> Filter:
        return cls(name, "date", f"{field_name}__lte", (), f"{field_name} on or before")

    @classmethod
    def custom(
        cls,
        name: str,
        method: Callable[[QuerySet, Any], QuerySet],
        *,
        kind: str = "string",
        choices: Any = (),
        description: str = "",
    ) -> Filter:
        values = tuple(getattr(choices, "values", choices))
        return cls(name, kind, "", values, description, method)

    def parse(self, raw: str) -> Any:
        """Return the typed value of ``raw``; raise ``ValueError`` with a message."""
        if "\x00" in raw:
            raise ValueError(str(NO_NUL))
        if self.kind == "integer":
            if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_ID:
                raise ValueError(str(NOT_AN_ID))
            return int(raw)
        if self.kind == "boolean":
            lowered = raw.strip().lower()
            if lowered in TRUE:
                return True
            if lowered in FALSE:
                return False
            raise ValueError(str(NOT_A_BOOLEAN))
        if self.kind == "date":
            try:
                return datetime.date.fromisoformat(raw)
            except ValueError as exc:
                raise ValueError(str(NOT_A_DATE)) from exc
        if self.choices and raw not in self.choices:
            raise ValueError(str(NOT_A_CHOICE % {"choices": ", ".join(self.choices)}))
        return raw

    def apply(self, queryset: QuerySet, value: Any) -> QuerySet:
        if self.method is not None:
            return self.method(queryset, value)
        return queryset.filter(**{self.lookup: value})

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": self.kind}
        if self.kind == "integer":
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        elif self.kind == "date":
            schema = {"type": "string", "format": "date"}
        if self.choices:
            schema["enum"] = list(self.choices)
        return schema


def grants_in_force_filter() -> Filter:
    """``active``: grants in force today (started, not ended, not revoked) or, with
    ``false``, the others — the need-to-know rule of ``assets.selectors.grants_in_force``."""

    def apply(queryset: QuerySet, value: bool) -> QuerySet:
        condition = grants_in_force()
        return queryset.filter(condition) if value else queryset.exclude(condition)

    return Filter.custom(
        "active",
        apply,
        kind="boolean",
        description="in force today: started, not ended and not revoked",
    )


def search_condition(lookups: tuple[str, ...], text: str) -> Q:
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{lookup: text})
    return condition


class DeclaredFilterBackend(BaseFilterBackend):
    """Apply the view's ``filters`` and ``search``; 400 with every bad parameter named."""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        params = request.query_params
        errors: dict[str, list[str]] = {}
        lookups = getattr(view, "search", ())
        # A misspelt filter would silently return everything: it is a 400 that names it.
        known = ALWAYS_KNOWN | {f.name for f in getattr(view, "filters", ())}
        if lookups:
            known |= {"q"}
        for name in params:
            if name not in known:
                errors[name] = [str(UNKNOWN_PARAMETER % {"names": ", ".join(sorted(known))})]
        for declared in getattr(view, "filters", ()):
            raw = params.get(declared.name, "")
            if raw == "":
                continue
            try:
                value = declared.parse(raw)
            except ValueError as exc:
                errors[declared.name] = [str(exc)]
                continue
            queryset = declared.apply(queryset, value)
        text = params.get("q", "").strip()
        if lookups and text:
            if "\x00" in text:
                errors["q"] = [str(NO_NUL)]
            else:
                queryset = queryset.filter(search_condition(lookups, text))
        if errors:
            raise ValidationError(errors)
        return queryset

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = []
        lookups = getattr(view, "search", ())
        if lookups:
            fields = sorted({lookup.split("__")[0] for lookup in lookups})
            parameters.append(
                {
                    "name": "q",
                    "in": "query",
                    "required": False,
                    "description": f"search (contains, any case) in: {', '.join(fields)}",
                    "schema": {"type": "string"},
                }
            )
        for declared in getattr(view, "filters", ()):
            parameters.append(
                {
                    "name": declared.name,
                    "in": "query",
                    "required": False,
                    "description": declared.description,
                    "schema": declared.schema(),
                }
            )
        return parameters
