"""mamori's Japanese glossary (``glossary.yaml``): the preferred term per concept and the
variants to avoid, loaded and checked once."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = ["GLOSSARY_FILE", "Term", "load_glossary", "variants_in"]

GLOSSARY_FILE = Path(__file__).with_name("glossary.yaml")


@dataclass(frozen=True)
class Term:
    id: str
    preferred: str
    avoid: tuple[str, ...]
    allow: tuple[str, ...] = ()
    handbook_page: int | None = None


@functools.cache
def load_glossary(path: Path = GLOSSARY_FILE) -> tuple[Term, ...]:
    """Return the glossary's terms; raise ``ValueError`` for an entry without a preferred
    term or variants, or a variant that is itself some term's preferred one."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    terms = []
    for entry in data.get("terms", []):
        if not entry.get("id") or not entry.get("preferred") or not entry.get("avoid"):
            raise ValueError(f"{path.name}: every term needs an id, a preferred term and variants")
        terms.append(
            Term(
                id=entry["id"],
                preferred=entry["preferred"],
                avoid=tuple(entry["avoid"]),
                allow=tuple(entry.get("allow", ())),
                handbook_page=entry.get("handbook_page"),
            )
        )
    preferred = {term.preferred for term in terms}
    clash = [variant for term in terms for variant in term.avoid if variant in preferred]
    if clash:
        raise ValueError(f"{path.name}: variants that are preferred terms: {clash}")
    return tuple(terms)


def variants_in(text: str, terms: tuple[Term, ...] | None = None) -> list[tuple[Term, str]]:
    """Return the (term, variant) pairs ``text`` uses."""
    found = []
    for term in terms if terms is not None else load_glossary():
        checked = text
        for word in term.allow:
            checked = checked.replace(word, "")
        found += [(term, variant) for variant in term.avoid if variant in checked]
    return found
