"""The event-kind catalogue (``kinds.yaml``) and the company's domains.

``kind_of(source, name)`` returns the kind the catalogue gives a name, ``"decide"`` for a
name the importer types from the event's details, or the source's ``unknown`` kind.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from mamori.engines.watch._model import Kind

CATALOGUE_FILE = Path(__file__).with_name("kinds.yaml")
KIND_NAMES = {
    "download": Kind.DOWNLOAD,
    "removable": Kind.REMOVABLE,
    "cloud": Kind.CLOUD,
    "print": Kind.PRINT,
    "email": Kind.EMAIL,
    "access": Kind.ACCESS,
    "device": Kind.DEVICE,
    "other": Kind.OTHER,
}


@dataclass(frozen=True)
class Entry:
    source: str  # the log source: m365, gws, windows
    name: str  # as the source writes it
    kind: str  # a KIND_NAMES key or "decide"
    origin: str  # where the name comes from
    rule: str = ""


@functools.cache
def catalogue() -> dict[str, dict[str, Entry]]:
    """Return ``{source: {lower-case name: Entry}}`` from ``kinds.yaml``."""
    data = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    result: dict[str, dict[str, Entry]] = {}
    for source, body in data.items():
        entries: dict[str, Entry] = {}
        for group in body["groups"]:
            for name in group["names"]:
                entries[str(name).lower()] = Entry(
                    source=source,
                    name=str(name),
                    kind=group["kind"],
                    origin=group["source"],
                    rule=group.get("rule", ""),
                )
        entries[""] = Entry(source, "", body.get("unknown", "other"), "unknown")
        result[source] = entries
    return result


def kind_of(source: str, name: str) -> Kind | None:
    """Return the catalogue's kind of ``name`` in ``source``, or ``None`` when the
    importer decides it from the event's details."""
    entries = catalogue()[source]
    entry = entries.get(name.strip().lower()) or entries[""]
    return None if entry.kind == "decide" else KIND_NAMES[entry.kind]


def entries() -> list[Entry]:
    """Every catalogued name, for the documentation and its test."""
    return [e for source in catalogue().values() for key, e in source.items() if key]


_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@([\w-]+(?:\.[\w-]+)+)")


def normalise_domains(domains: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(sorted({d.strip().lower().lstrip("@").rstrip(".") for d in domains if d.strip()}))


def domain_of(address: str) -> str:
    """The domain of an e-mail address (``''`` when there is none)."""
    match = _EMAIL.search(address or "")
    return match.group(1).lower() if match else ""


def is_inside(domain: str, domains: tuple[str, ...]) -> bool:
    """True when ``domain`` is one of the company's domains or a subdomain of one."""
    domain = domain.lower().strip(".")
    return any(domain == d or domain.endswith("." + d) for d in domains)


def is_outside(address_or_domain: str, domains: tuple[str, ...]) -> bool:
    """True when an address (or bare domain) is not the company's. Without company
    domains nothing can be said to be outside, so nothing is."""
    if not domains or not address_or_domain:
        return False
    domain = domain_of(address_or_domain) if "@" in address_or_domain else address_or_domain
    return bool(domain) and not is_inside(domain, domains)
