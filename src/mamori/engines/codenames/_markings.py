"""Confidentiality markings (社外秘, 極秘, Confidential…), kept as data in markings.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from mamori.engines.codenames._errors import CodenameError
from mamori.engines.codenames._matcher import Matcher
from mamori.engines.codenames._normalize import normalize

MARKINGS_FILE = Path(__file__).with_name("markings.yaml")


@dataclass(frozen=True)
class Markings:
    """The markings to look for; ``entries`` are the markings as named in the file."""

    entries: tuple[str, ...]
    matcher: Matcher = field(repr=False, compare=False)
    _targets: tuple[int, ...] = field(repr=False, compare=False)

    def matcher_target(self, pattern: int) -> int:
        return self._targets[pattern]


def load_markings(path: Path | str | None = None) -> Markings:
    """Read and check the markings file (the shipped one by default).

    Raise ``CodenameError`` naming the file and entry at fault.
    """
    if path is None:
        return _shipped()
    return _load(Path(path))


@cache
def _shipped() -> Markings:
    return _load(MARKINGS_FILE)


def _load(path: Path) -> Markings:
    try:
        document: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CodenameError(f"{path.name}: {exc}") from exc
    if not isinstance(document, dict) or document.get("version") != 1:
        raise CodenameError(f"{path.name}: expected a mapping with 'version: 1'")
    raw_entries = document.get("markings")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise CodenameError(f"{path.name}: 'markings' must be a non-empty list")
    entries: list[str] = []
    patterns: list[tuple[str, int]] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_entries):
        where = f"{path.name}: markings[{index}]"
        if not isinstance(raw, dict) or not str(raw.get("text") or "").strip():
            raise CodenameError(f"{where}.text: missing")
        variants = raw.get("variants") or []
        if not isinstance(variants, list):
            raise CodenameError(f"{where}.variants: must be a list")
        entries.append(str(raw["text"]).strip())
        for spelling in [raw["text"], *variants]:
            folded = normalize(str(spelling).strip())
            if not folded:
                raise CodenameError(f"{where}: an empty variant")
            if folded in seen:
                raise CodenameError(f"{where}: “{spelling}” is listed twice")
            seen.add(folded)
            patterns.append((folded, index))
    matcher = Matcher(patterns, entries)
    return Markings(entries=tuple(entries), matcher=matcher, _targets=tuple(t for _, t in patterns))
