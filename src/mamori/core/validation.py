"""Model validation turned into the application's error, for services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models

from mamori.core.errors import ApplicationError


def validate_instance(instance: models.Model, exclude: Iterable[str] = ()) -> None:
    """Run the model's own validation (fields, ``clean``, constraints).

    Raise ``ApplicationError`` with the messages of the first field at fault (``field``
    is ``None`` for errors about the whole object), so that a form can show them.
    """
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(
            " ".join(messages), field=None if field == "__all__" else field
        ) from exc


M = TypeVar("M", bound=models.Model)


def validated_save(instance: M, exclude: Iterable[str] = ()) -> M:
    """Validate ``instance`` (``validate_instance``), save it and return it."""
    validate_instance(instance, exclude)
    instance.save()
    return instance
