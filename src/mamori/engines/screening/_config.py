from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mamori.engines.screening._fold import fold_text

DEFAULT_CONFIG = Path(__file__).resolve().parent / "screening.yaml"


class ScreeningError(ValueError):
    """The screening settings are invalid, or an input cannot be screened."""


@dataclass(frozen=True)
class ScreeningConfig:
    """Thresholds, blocking limits and legal-form words, checked once."""

    threshold: float
    country_mismatch_penalty: float
    max_block: int
    cjk_legal_forms: tuple[str, ...]  # longest first, so 股份有限公司 goes before 有限公司
    latin_legal_forms: frozenset[str]
    threshold_source: str = ""
    legal_forms_source: str = ""
    legal_forms_verified: bool = False


def _number(raw: Any, where: str, low: float, high: float) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not low <= raw <= high:
        raise ScreeningError(f"{where}: expected a number from {low} to {high}")
    return float(raw)


def _words(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, list) or not raw:
        raise ScreeningError(f"{where}: expected a non-empty list of words")
    words = []
    for index, word in enumerate(raw):
        if not isinstance(word, str) or not word.strip():
            raise ScreeningError(f"{where}[{index}]: expected a word")
        words.append(word.strip())
    return words


def parse_config(document: Any, name: str = "screening settings") -> ScreeningConfig:
    """Check a settings mapping (as read from YAML) and return it typed.

    Raise ``ScreeningError`` naming the file and field at fault.
    """
    if not isinstance(document, dict) or document.get("version") != 1:
        raise ScreeningError(f"{name}: expected a mapping with 'version: 1'")
    thresholds = document.get("thresholds")
    blocking = document.get("blocking")
    forms = document.get("legal_forms")
    for key, value in (("thresholds", thresholds), ("blocking", blocking), ("legal_forms", forms)):
        if not isinstance(value, dict):
            raise ScreeningError(f"{name}: '{key}' must be a mapping")
    max_block = blocking.get("max_block")
    if isinstance(max_block, bool) or not isinstance(max_block, int) or max_block < 1:
        raise ScreeningError(f"{name}: blocking.max_block: expected a positive whole number")
    if "verified" not in forms or not isinstance(forms["verified"], bool):
        raise ScreeningError(f"{name}: legal_forms.verified: expected true or false")
    if not str(forms.get("source") or "").strip():
        raise ScreeningError(f"{name}: legal_forms.source: name where the words come from")
    cjk = {fold_text(word) for word in _words(forms.get("cjk"), f"{name}: legal_forms.cjk")}
    latin = {fold_text(word) for word in _words(forms.get("latin"), f"{name}: legal_forms.latin")}
    return ScreeningConfig(
        threshold=_number(thresholds.get("default"), f"{name}: thresholds.default", 1, 100),
        country_mismatch_penalty=_number(
            thresholds.get("country_mismatch_penalty", 0),
            f"{name}: thresholds.country_mismatch_penalty",
            0,
            100,
        ),
        max_block=max_block,
        cjk_legal_forms=tuple(sorted(cjk, key=lambda word: (-len(word), word))),
        latin_legal_forms=frozenset(latin),
        threshold_source=str(thresholds.get("source") or ""),
        legal_forms_source=" ".join(str(forms["source"]).split()),
        legal_forms_verified=forms["verified"],
    )


def load_config(path: Path | str | None = None) -> ScreeningConfig:
    """Read and check the screening settings (the shipped ``screening.yaml`` by default)."""
    path = Path(path) if path is not None else DEFAULT_CONFIG
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScreeningError(f"{path.name}: {exc}") from exc
    return parse_config(document, path.name)


@functools.cache
def default_config() -> ScreeningConfig:
    """Return the shipped settings, read once."""
    return load_config()
