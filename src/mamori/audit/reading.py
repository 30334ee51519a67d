"""The audit log as people read it: names instead of ids, labels instead of codes.

The log stores what happened in a form machines check (ids, codes, ISO times, the raw
changes the hash covers); this module turns entries into what an officer or an auditor
reads — the object's name as it was recorded, field labels and values in the reader's
language (a foreign key by the related object's name, a choice by its label, a list of ids
by names), before → after, times in the reader's time zone — without touching the entries.

Names are looked up in batches: ``EntryReader.read`` takes a page of entries and makes a
fixed number of queries per kind of object on it, whatever the page holds.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from mamori.audit.models import Action, AuditEntry

__all__ = ["ChangeRow", "EntryReader", "ReadEntry", "object_kind", "object_type_groups"]

EMPTY = "—"
# Fields never shown (the object's own id is the object column).
HIDDEN_FIELDS = frozenset({"id"})
# What the recorder writes for a masked value (``mamori.audit.recorder.MASKED``).
MASKED = "(changed)"
LONG_TEXT = 300
CATALOG_PREFIX = "urn:mamori:"

# Labels of the keys services write themselves (exports, checks, anchors), which are not
# model fields.
EXTRA_LABELS = {
    "sha256": gettext_lazy("SHA-256"),
    "secret": gettext_lazy("secret terms found"),
    "review": gettext_lazy("terms to review"),
    "format": gettext_lazy("format"),
    "rows": gettext_lazy("rows"),
    "entries": gettext_lazy("entries"),
    "file": gettext_lazy("file"),
    "edition": gettext_lazy("edition"),
    "language": gettext_lazy("language"),
    "pages": gettext_lazy("pages"),
    "filters": gettext_lazy("filters"),
    "items": gettext_lazy("review items"),
    "secrecy_class": gettext_lazy("secrecy class"),
    "previous_head": gettext_lazy("previous newest entry's hash"),
    "scheme": gettext_lazy("hash scheme"),
    "query": gettext_lazy("Search"),
    "action": gettext_lazy("Action"),
    "actor": gettext_lazy("By"),
    "object_type": gettext_lazy("Object type"),
    "date_from": gettext_lazy("From"),
    "date_to": gettext_lazy("To"),
    "added": pgettext_lazy("audit", "added"),
    "removed": pgettext_lazy("audit", "removed"),
    "recovery codes": gettext_lazy("recovery codes"),
    "recovery code used": gettext_lazy("recovery code used"),
    "second factor": gettext_lazy("second factor"),
}

# Kinds of object that have no model of their own.
EXTRA_KINDS = {
    "blackbox.scan": gettext_lazy("document check"),
}

# Names services record in English and the log shows translated.
LITERAL_NAMES = {
    "codename dictionary": gettext_lazy("codename dictionary"),
    "CSV": gettext_lazy("CSV"),
}

# Sentences: who did what to which object.
SENTENCES = {
    Action.CREATE: gettext_lazy("%(actor)s created the %(kind)s “%(name)s”."),
    Action.UPDATE: gettext_lazy("%(actor)s changed the %(kind)s “%(name)s”."),
    Action.DELETE: gettext_lazy("%(actor)s deleted the %(kind)s “%(name)s”."),
    Action.VIEW: gettext_lazy("%(actor)s viewed the details of the %(kind)s “%(name)s”."),
    Action.EXPORT: gettext_lazy("%(actor)s exported the %(kind)s “%(name)s”."),
    Action.LOGIN: gettext_lazy("%(actor)s signed in."),
    Action.LOGIN_FAILED: gettext_lazy("A sign-in as “%(name)s” failed."),
    Action.LOGOUT: gettext_lazy("%(actor)s signed out."),
    Action.ANCHOR: gettext_lazy("The audit key was applied to the log up to entry %(name)s."),
}
NAMED = gettext_lazy("%(kind)s “%(name)s”")
REVOKED = gettext_lazy("%(actor)s revoked the %(kind)s “%(name)s”.")

# Actors that are not users.
ACTOR_NAMES = {
    "system": gettext_lazy("mamori (automatic)"),
    "anonymous": gettext_lazy("someone not signed in"),
}

# How a catalog item (``urn:mamori:…``) is named: registered by the catalog app at start-up
# (it lies above the audit log), in the reader's language.
_catalog_titles: list[Callable[[str], str]] = []


def catalog_titles_register(namer: Callable[[str], str]) -> None:
    """Name catalog items in the log with ``namer`` (the catalog app calls this)."""
    _catalog_titles[:] = [namer]


def catalog_title(item_id: str) -> str:
    """Return a catalog item's title in the reader's language, or ``item_id``."""
    return _catalog_titles[0](item_id) if _catalog_titles else item_id


# A name written before names were recorded: ids only ("5→2", "12").
_ID_ONLY = re.compile(r"^[\d\s→:#-]*$")
# The storage adds "_" and seven letters when a file of that name is already stored (the
# same content stored twice under its SHA-256): the reader sees the name it was given.
_STORAGE_SUFFIX = re.compile(r"^([0-9a-f]{32}|[0-9a-f]{64})_[A-Za-z0-9]{7}(\.[^.]*)?$")


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


@dataclass
class ReadEntry:
    """One entry as shown: every text in the reader's language."""

    entry: AuditEntry
    when: datetime.datetime
    actor: str
    username: str
    kind: str
    name: str
    sentence: str
    rows: list[ChangeRow] = field(default_factory=list)
    # The object this one is part of ("佐藤 一郎" for a grant of theirs), kind and name.
    parent: str = ""

    @property
    def changes_text(self) -> str:
        """Return the changes as one line: "label: before → after; …"."""
        return "; ".join(_row_text(row) for row in self.rows)


def _row_text(row: ChangeRow) -> str:
    if row.old:
        return f"{row.label}: {row.old} → {row.new}"
    return f"{row.label}: {row.new}"


def _model(label: str) -> type[models.Model] | None:
    if not label:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def object_kind(label: str) -> str:
    """Return the human name of an object type (``people.person`` → 人員)."""
    if label in EXTRA_KINDS:
        return str(EXTRA_KINDS[label])
    model = _model(label)
    if model is None:
        return gettext("other record") if label else ""
    return str(model._meta.verbose_name)


def object_type_groups(labels: Iterable[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return ``labels`` as (register, [(label, kind), …]) for a grouped drop-down, both
    levels in the reader's language and sorted as it reads."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for label in labels:
        app_label = label.partition(".")[0]
        try:
            register = str(apps.get_app_config(app_label).verbose_name)
        except LookupError:
            register = gettext("Other")
        groups[register].append((label, object_kind(label)))
    return [
        (register, sorted(kinds, key=lambda kind: kind[1]))
        for register, kinds in sorted(groups.items())
    ]


def _pk_key(value: Any) -> str:
    return str(value)


class EntryReader:
    """Read entries for one reader (the active language and time zone).

    ``read`` resolves the names a batch of entries needs in a few queries and caches them,
    so a reader used for a whole export asks for every name once.
    """

    def __init__(self) -> None:
        self._names: dict[tuple[str, str], str] = {}
        self._users: dict[int, Any] = {}
        self.deleted = gettext("deleted")

    # -- names -------------------------------------------------------------------------

    def _want(self, wanted: dict[str, set[str]], model: type[models.Model], pk: Any) -> None:
        if pk in (None, ""):
            return
        label = model._meta.label_lower
        key = _pk_key(pk)
        if (label, key) not in self._names:
            wanted[label].add(key)

    def _fetch(self, wanted: dict[str, set[str]]) -> None:
        for label, keys in wanted.items():
            model = _model(label)
            if model is None or not keys:
                continue
            try:
                found = model._base_manager.select_related().in_bulk(list(keys))
            except (ValueError, TypeError):
                found = {}
            for pk, obj in found.items():
                self._names[(label, _pk_key(pk))] = str(obj)
            missing = keys - {_pk_key(pk) for pk in found}
            if missing:
                # Deleted since: the name the log last recorded for it.
                recorded = (
                    AuditEntry.objects.filter(object_type=label, object_id__in=missing)
                    .order_by("-seq")
                    .values_list("object_id", "object_repr")
                )
                for object_id, name in recorded.iterator(chunk_size=500):
                    if (label, object_id) in self._names or _ID_ONLY.match(name):
                        continue
                    self._names[(label, object_id)] = f"{name} ({self.deleted})"
                    missing.discard(object_id)
                    if not missing:
                        break
            for key in keys:
                self._names.setdefault((label, key), self.deleted)

    def _name(self, model: type[models.Model], pk: Any) -> str:
        return self._names.get((model._meta.label_lower, _pk_key(pk)), self.deleted)

    def _prepare(self, entries: Sequence[AuditEntry]) -> None:
        wanted: dict[str, set[str]] = defaultdict(set)
        user_ids = {e.actor_id for e in entries if e.actor_id} - set(self._users)
        if user_ids:
            self._users.update(get_user_model()._base_manager.in_bulk(list(user_ids)))
        for entry in entries:
            model = _model(entry.object_type)
            if model is not None and entry.object_id and _ID_ONLY.match(entry.object_repr):
                self._want(wanted, model, entry.object_id)
            parent = _model(entry.parent_type)
            if parent is not None and entry.parent_id:
                self._want(wanted, parent, entry.parent_id)
            if not isinstance(entry.changes, dict):
                continue
            for name, change in entry.changes.items():
                related = _related_model(_field(model, name))
                if related is None:
                    continue
                for pk in _pks(change):
                    self._want(wanted, related, pk)
        self._fetch(wanted)

    # -- values ------------------------------------------------------------------------

    def _value(
        self, fld: models.Field | None, value: Any, model: type[models.Model] | None = None
    ) -> str:
        if value in (None, "", [], {}):
            return EMPTY
        if value == MASKED:
            return gettext("(changed, not recorded)")
        own = getattr(model, "audit_value_label", None)
        label = own(fld.name, value) if own is not None and fld is not None else None
        if label is not None:
            return label
        if isinstance(value, str) and value.startswith(CATALOG_PREFIX):
            return catalog_title(value)
        related = _related_model(fld)
        if related is not None and not isinstance(value, dict):
            values = value if isinstance(value, list) else [value]
            return "、".join(self._name(related, pk) for pk in values)
        if fld is not None and fld.choices:
            choices = dict(fld.flatchoices)
            if isinstance(value, list):
                return "、".join(str(choices.get(v, v)) for v in value)
            return str(choices.get(value, value))
        if isinstance(value, bool):
            return "✓" if value else "✗"
        if isinstance(fld, models.DateTimeField) and isinstance(value, str):
            return _datetime_text(value)
        if isinstance(fld, models.DateField) and isinstance(value, str):
            return _date_text(value)
        if isinstance(fld, models.FileField) and isinstance(value, str):
            return _STORAGE_SUFFIX.sub(r"\1\2", value.rsplit("/", 1)[-1])
        if isinstance(value, list):
            if all(not isinstance(v, dict | list) for v in value):
                return "、".join(self._value(None, v) for v in value)
            return gettext("%(count)s items") % {"count": len(value)}
        if isinstance(value, dict):
            parts = [
                f"{_dict_key(k)}: {_known_value(k, v) or self._value(None, v)}"
                for k, v in value.items()
                if v not in (None, "", [], {})
            ]
            return "; ".join(parts) or EMPTY
        return Truncator(str(value)).chars(LONG_TEXT)

    def _rows(self, entry: AuditEntry, model: type[models.Model] | None) -> list[ChangeRow]:
        if not isinstance(entry.changes, dict):
            return []
        rows = []
        for name, change in entry.changes.items():
            if name in HIDDEN_FIELDS:
                continue
            fld = _field(model, name)
            if _internal(fld):
                continue
            label = _key_label(fld, name)
            if isinstance(change, list) and len(change) == 2:
                old, new = change
                if entry.action == Action.DELETE:
                    rows.append(ChangeRow(label, "", self._value(fld, old, model)))
                elif entry.action == Action.CREATE or old in (None, "", [], {}):
                    if new in (None, "", [], {}) and entry.action == Action.CREATE:
                        continue
                    shown_old = "" if entry.action == Action.CREATE else EMPTY
                    rows.append(ChangeRow(label, shown_old, self._value(fld, new, model)))
                else:
                    rows.append(
                        ChangeRow(label, self._value(fld, old, model), self._value(fld, new, model))
                    )
            elif isinstance(change, dict) and fld is not None and fld.many_to_many:
                for verb in ("added", "removed"):
                    if change.get(verb):
                        rows.append(
                            ChangeRow(
                                f"{label}（{EXTRA_LABELS[verb]}）",
                                "",
                                self._value(fld, change[verb], model),
                            )
                        )
            else:
                rows.append(ChangeRow(label, "", self._value(fld, change, model)))
        return rows

    # -- entries -----------------------------------------------------------------------

    def _actor(self, entry: AuditEntry) -> tuple[str, str]:
        user = self._users.get(entry.actor_id) if entry.actor_id else None
        if user is not None:
            full = (getattr(user, "display_name", "") or user.get_full_name()).strip()
            return full or user.get_username(), user.get_username()
        label = entry.actor_label
        if label in ACTOR_NAMES:
            return str(ACTOR_NAMES[label]), label
        if label.startswith("cli:"):
            return gettext("command line (%(task)s)") % {"task": label[4:]}, label
        return label, label

    def _object_name(self, entry: AuditEntry, model: type[models.Model] | None) -> str:
        name = entry.object_repr
        if name in LITERAL_NAMES:
            return str(LITERAL_NAMES[name])
        if entry.action == Action.ANCHOR:
            return name
        if name.startswith(CATALOG_PREFIX):
            return catalog_title(name)
        if model is not None and entry.object_id and _ID_ONLY.match(name):
            # Written before the log recorded names: the object's current name.
            return self._name(model, entry.object_id)
        return name or EMPTY

    def _sentence(self, entry: AuditEntry, actor: str, kind: str, name: str, rows) -> str:
        template = SENTENCES.get(entry.action)
        if template is None:
            return ""
        if entry.action == Action.UPDATE and _is_revoke(entry):
            template = REVOKED
        return str(template) % {"actor": actor, "kind": kind, "name": name}

    def _parent(self, entry: AuditEntry) -> str:
        parent = _model(entry.parent_type)
        if parent is None or not entry.parent_id:
            return ""
        return str(NAMED) % {
            "kind": object_kind(entry.parent_type),
            "name": self._name(parent, entry.parent_id),
        }

    def labels(self, entry: AuditEntry) -> list[str]:
        """Return the labels of the fields an entry changed (no name look-ups)."""
        return [row.label for row in self._rows(entry, _model(entry.object_type))]

    def read_one(self, entry: AuditEntry) -> ReadEntry:
        model = _model(entry.object_type)
        actor, username = self._actor(entry)
        kind = object_kind(entry.object_type)
        name = self._object_name(entry, model)
        rows = self._rows(entry, model)
        return ReadEntry(
            entry=entry,
            when=timezone.localtime(entry.at),
            actor=actor,
            username=username,
            kind=kind,
            name=name,
            sentence=self._sentence(entry, actor, kind, name, rows),
            rows=rows,
            parent=self._parent(entry),
        )

    def read(self, entries: Iterable[AuditEntry]) -> list[ReadEntry]:
        """Return ``entries`` as read, looking up every name they need at once."""
        entries = list(entries)
        self._prepare(entries)
        return [self.read_one(entry) for entry in entries]

    def read_stream(self, entries: Iterable[AuditEntry], chunk: int = 500) -> Iterator[ReadEntry]:
        """Yield ``entries`` as read, a chunk at a time (exports of the whole log)."""
        iterator = iter(entries)
        while batch := list(islice(iterator, chunk)):
            yield from self.read(batch)


def _is_revoke(entry: AuditEntry) -> bool:
    change = entry.changes.get("revoked_on") if isinstance(entry.changes, dict) else None
    return isinstance(change, list) and len(change) == 2 and not change[0] and bool(change[1])


def _related_model(fld: models.Field | None) -> type[models.Model] | None:
    if fld is None or not fld.is_relation or fld.related_model is None:
        return None
    if fld.many_to_one or fld.one_to_one or fld.many_to_many:
        return fld.related_model
    return None


def _pks(change: Any) -> list[Any]:
    if isinstance(change, list):
        out: list[Any] = []
        for item in change:
            out.extend(item if isinstance(item, list) else [item])
        return [pk for pk in out if isinstance(pk, int | str) and pk != MASKED]
    if isinstance(change, dict):
        return [pk for key in ("added", "removed") for pk in change.get(key) or []]
    return []


def _known_value(key: str, value: Any) -> str:
    """Return the label of a code services record under a known key (export filters)."""
    if key == "action" and isinstance(value, str):
        return str(dict(Action.choices).get(value, ""))
    if key == "object_type" and isinstance(value, str):
        return object_kind(value)
    return ""


def _internal(fld: models.Field | None) -> bool:
    """Return whether a field is bookkeeping nobody reads (a normalised copy, a hash, the
    key of a related record): declared without a label of its own, so not on any form."""
    if fld is None or fld.is_relation or fld.choices:
        return False
    return not isinstance(fld.verbose_name, Promise)


def _dict_key(key: str) -> str:
    if key.startswith(CATALOG_PREFIX):
        return catalog_title(key)
    return _key_label(None, key)


def _key_label(fld: models.Field | None, name: str) -> str:
    if fld is not None and fld.is_relation and not isinstance(fld.verbose_name, Promise):
        return str(fld.related_model._meta.verbose_name)
    if fld is not None and isinstance(fld.verbose_name, Promise):
        return str(fld.verbose_name)
    if fld is not None:
        return gettext(str(fld.verbose_name))
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    return gettext(name)


def _datetime_text(value: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT")


def _date_text(value: str) -> str:
    try:
        day = datetime.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return formats.date_format(day, "DATE_FORMAT")
