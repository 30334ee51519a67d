"""The contract checker's status vocabulary, loaded once from ``clause_statuses.yaml``.

Every place that shows a check's result (page, PDF, Word, redline comments, command line)
takes its labels from here, so that a status reads the same everywhere.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils import translation

DATA = Path(__file__).with_name("clause_statuses.yaml")
STATUSES = ("missing", "weak", "present")


@dataclass(frozen=True)
class StatusLabel:
    key: str
    order: int
    mark: str
    badge: str
    ja: str
    en: str

    def get(self, language: str | None = None) -> str:
        """Return the label in ``language`` (the active one when ``None``)."""
        language = language or translation.get_language() or "ja"
        return self.en if language.startswith("en") else self.ja


@functools.cache
def load_statuses(path: Path = DATA) -> dict[str, StatusLabel]:
    """Return the statuses by key; raise ``ValueError`` naming the file when one is absent
    or incomplete."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = raw.get("statuses") or {}
    statuses = {}
    for key in STATUSES:
        entry = entries.get(key)
        try:
            statuses[key] = StatusLabel(
                key=key,
                order=int(entry["order"]),
                mark=str(entry["mark"]),
                badge=str(entry["badge"]),
                ja=str(entry["label"]["ja"]),
                en=str(entry["label"]["en"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path.name}: status {key!r} is missing or incomplete") from exc
    return statuses


def status_label(status: str, language: str | None = None) -> str:
    """Return the label of ``status`` (present, weak, missing) in ``language``."""
    return load_statuses()[str(status)].get(language)


def status_labels(language: str | None = None) -> dict[str, str]:
    """Return every status's label in ``language``, by key."""
    return {key: entry.get(language) for key, entry in load_statuses().items()}


def status_order(status: str) -> int:
    return load_statuses()[str(status)].order
