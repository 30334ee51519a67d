"""Shared model bases.

``TrackedModel`` remembers the values a row had when it was loaded, so that the audit
log can record field-level changes (``mamori.audit`` listens to every save and delete
of a tracked model). Every mamori model derives from it, through ``BaseModel`` or, for
the user model, directly.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse


class TrackedModel(models.Model):
    # Fields never written to the audit log (noise such as last_login).
    audit_exclude: ClassVar[frozenset[str]] = frozenset()
    # Fields recorded as "changed" without their values (password hashes).
    audit_mask: ClassVar[frozenset[str]] = frozenset()
    # Fields recorded with their values, but shown on the audit log and in its export only
    # to those who may see the object's secret details (need-to-know, ``core.access``).
    audit_secret: ClassVar[frozenset[str]] = frozenset()
    # The field naming the object whose history includes this one's changes (a document's
    # version, a person's pledge); empty: none.
    audit_parent_field: ClassVar[str] = ""

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str, field_names: list[str], values: list[Any]) -> TrackedModel:
        instance = super().from_db(db, field_names, values)
        instance._audit_snapshot = instance.audit_state()
        return instance

    def audit_fields(self) -> list[models.Field]:
        """Return the concrete fields whose changes are recorded, loaded ones only."""
        deferred = self.get_deferred_fields()
        return [
            field
            for field in self._meta.concrete_fields
            if field.attname not in deferred and field.name not in self.audit_exclude
        ]

    def audit_state(self) -> dict[str, Any]:
        """Return the current values of the recorded fields, keyed by field name."""
        return {field.name: field.value_from_object(self) for field in self.audit_fields()}

    def audit_label(self) -> str:
        """Return how the object is named in the audit log."""
        return str(self)[:200]

    def audit_parent(self) -> models.Model | None:
        """Return the object whose history includes this one's changes, if any: the one
        the field ``audit_parent_field`` names."""
        return getattr(self, self.audit_parent_field) if self.audit_parent_field else None

    @classmethod
    def audit_value_label(cls, name: str, value: Any) -> str | None:
        """Return how a recorded value of field ``name`` reads in the audit log when the
        field's choices and relations do not say (codes kept in a JSON list, keys of a
        registry); ``None`` leaves it to the log's own rules (``mamori.audit.reading``)."""
        return None


class BaseModel(TrackedModel):
    """Base of mamori's models: audited, with creation and modification times."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"created_at", "updated_at"})
    # The field whose value names an object (``str``); empty: Django's own naming.
    name_field: ClassVar[str] = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        if self.name_field:
            return str(getattr(self, self.name_field))
        return super().__str__()


class PageModel:
    """Mixin of a model whose objects have a page of their own: ``page_url`` names the URL,
    which takes the object's key. Findings, the audit log and redirects after a change
    link to the page through ``get_absolute_url`` (``core.links``)."""

    page_url: ClassVar[str]
    pk: Any

    def get_absolute_url(self) -> str:
        return reverse(self.page_url, kwargs={"pk": self.pk})


def part_of(to: Any, verbose_name: Any, **options: Any) -> models.ForeignKey:
    """Return the reference of a row to the object it is part of (a version to its
    document, a pledge to its person): required, and deleted with that object.
    ``options`` go to the ``ForeignKey`` as they are (``related_name``)."""
    return models.ForeignKey(to, verbose_name=verbose_name, on_delete=models.CASCADE, **options)


def optional_ref(
    to: Any, verbose_name: Any, *, on_delete: Any = models.PROTECT, **options: Any
) -> models.ForeignKey:
    """Return a reference that may stay empty (``null`` and ``blank``); the object it names
    cannot be deleted while it stands (``PROTECT``) unless ``on_delete`` says otherwise.
    ``options`` go to the ``ForeignKey`` as they are (``related_name``, ``help_text``)."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, null=True, blank=True, on_delete=on_delete, **options
    )


def user_field(verbose_name: Any, *, required: bool = False) -> models.ForeignKey:
    """Return a reference to the user who did something (recorded, decided, imported): the
    user cannot be deleted while it stands (``PROTECT``), and has no reverse accessor.
    Optional unless ``required``."""
    if not required:
        return optional_ref(settings.AUTH_USER_MODEL, verbose_name, related_name="+")
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        related_name="+",
    )
