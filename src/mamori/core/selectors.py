"""Query pieces every app's selectors share."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet

__all__ = ["filter_given"]

Rows = TypeVar("Rows", bound=QuerySet)


def filter_given(rows: Rows, **lookups: Any) -> Rows:
    """Return ``rows`` filtered by each lookup whose value is given (not empty), one
    ``filter`` after another, in order: the filters a register's list page leaves empty
    do not apply."""
    for lookup, value in lookups.items():
        if value:
            rows = rows.filter(**{lookup: value})
    return rows
