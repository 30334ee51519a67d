"""Small helpers every app's services use."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

__all__ = ["model_update"]

M = TypeVar("M", bound=models.Model)


def model_update(
    instance: M, fields: Mapping[str, Any], *, allowed: Iterable[str], strip: bool = True
) -> M:
    """Set ``fields`` on ``instance`` without saving it, and return it.

    Text values lose surrounding spaces unless ``strip`` is false. Raise ``TypeError``
    naming the fields outside ``allowed``: a caller's mistake, never a user's input.
    """
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown {type(instance).__name__} fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value.strip() if strip and isinstance(value, str) else value)
    return instance
