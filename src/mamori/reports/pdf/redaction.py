"""Finding messages for outside readers: names of people, counterparties and objects out.

``redaction.yaml`` says which message parameters may be shown as they are; every other
parameter becomes a neutral placeholder ("取引先", "対象者"). As a second guard, any name
of an object the finding is about that still appears in the text (inside a kept
parameter such as a reason) is replaced as well.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mamori.engines.rules import RuleSpec, resolve_params

__all__ = ["Redaction", "load_redaction", "redacted_message"]

DEFINITION = Path(__file__).with_name("redaction.yaml")
# A name shorter than this (a one-letter code) would blank out ordinary words.
MIN_NAME_LENGTH = 2


@dataclass(frozen=True)
class Redaction:
    keep: frozenset[str]
    placeholders: dict[str, dict[str, str]]
    default: dict[str, str]

    def placeholder(self, param: str, language: str) -> str:
        text = self.placeholders.get(param, self.default)
        return text["en"] if language.startswith("en") else text["ja"]


def _text(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != {"ja", "en"}:
        raise ValueError(f"{DEFINITION.name}: {where} needs exactly 'ja' and 'en'")
    return {key: str(text) for key, text in value.items()}


@functools.cache
def load_redaction(path: Path = DEFINITION) -> Redaction:
    """Read and check the redaction definition (once); raise ``ValueError`` when malformed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) != {"keep", "placeholders", "default"}:
        raise ValueError(f"{path.name}: expected the keys keep, placeholders and default")
    keep = frozenset(str(name) for name in data["keep"])
    placeholders = {
        str(name): _text(text, f"placeholder '{name}'")
        for name, text in data["placeholders"].items()
    }
    both = keep & placeholders.keys()
    if both:
        raise ValueError(f"{path.name}: kept and replaced at once: {', '.join(sorted(both))}")
    return Redaction(
        keep=keep, placeholders=placeholders, default=_text(data["default"], "default")
    )


def redacted_message(
    rule: RuleSpec, params: dict[str, Any], refs: list[dict[str, Any]], language: str
) -> str:
    """Return a finding's message in ``language`` without the names it would show."""
    redaction = load_redaction()
    resolved = resolve_params(params, language)
    shown: dict[str, Any] = {}
    withheld: dict[str, str] = {}
    for name, value in resolved.items():
        if name in redaction.keep:
            shown[name] = value
        else:
            placeholder = redaction.placeholder(name, language)
            shown[name] = placeholder
            if isinstance(value, str):
                withheld[value] = placeholder
    for ref in refs:
        label = str(ref.get("label", ""))
        withheld.setdefault(label, redaction.placeholder("", language))
    message = rule.message.get(language).format(**shown)
    # Longest first, so that a name containing a shorter one is replaced whole.
    for name in sorted(withheld, key=len, reverse=True):
        if len(name) >= MIN_NAME_LENGTH:
            message = message.replace(name, withheld[name])
    return message
