"""The area's knowledge as data: inward-investment rules (``data/fdi.yaml``), country
names for the list importer (``data/countries.yaml``) and the framework crosswalks
(``data/crosswalks.yaml``).

Each file is read and checked once (pydantic models that forbid unknown keys); a bad file
raises ``KnowledgeError`` naming the file and the field. ``mamori.exportcontrol.apps``
loads them at start-up, so the app refuses to start on a broken file.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mamori.catalog.schema import Text

DATA_DIR = Path(__file__).resolve().parent / "data"


class KnowledgeError(ValueError):
    """A data file of the export-control area is missing or invalid."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(_Model):
    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)
    url: str = ""


class Basis(_Model):
    """Where one fact comes from: the document, the article or section, a URL, and
    whether it was checked against that text (``verified``; ``note`` says what is left
    to check)."""

    document: str = Field(min_length=1)
    section: str = ""
    url: str = ""
    verified: bool
    note: str = ""

    @model_validator(mode="after")
    def _unverified_says_why(self) -> Basis:
        if not self.verified and not self.note:
            raise ValueError("an unverified basis needs a note saying what is left to check")
        return self


class Thresholds(_Model):
    unlisted_any_amount: bool
    listed_percent: float = Field(gt=0, le=100)
    verified: bool


class InvestorCategoryText(_Model):
    id: str
    text: Text
    basis: Basis


class Sector(_Model):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    core: bool
    name: Text
    basis: Basis | None = None


class Triggers(_Model):
    board_seat: Text
    technology_access: Text
    state_owned: Text
    core_sector: Text


class InvestmentRules(_Model):
    """Thresholds, investor categories, designated sectors, what makes a review necessary
    and what to prepare — all indicative (``verified: false``) with their source."""

    version: int = Field(ge=1, le=1)
    source: Source
    verified: bool
    note: Text
    thresholds: Thresholds
    investor_categories: list[InvestorCategoryText] = Field(min_length=1)
    sectors: list[Sector] = Field(min_length=1)
    triggers: Triggers
    prepare: list[Text] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_sectors(self) -> InvestmentRules:
        ids = [sector.id for sector in self.sectors]
        if len(ids) != len(set(ids)):
            raise ValueError("sector ids must be unique")
        return self

    def sector(self, sector_id: str) -> Sector | None:
        return next((s for s in self.sectors if s.id == sector_id), None)


class FrameworkItem(_Model):
    id: str = Field(min_length=1)
    title: Text


class Framework(_Model):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: Text
    source: str = Field(min_length=1)
    verified: bool
    items: list[FrameworkItem] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_items(self) -> Framework:
        ids = [item.id for item in self.items]
        if len(ids) != len(set(ids)):
            raise ValueError(f"item ids of '{self.id}' must be unique")
        return self


class Crosswalks(_Model):
    """Frameworks with their items, and the handbook rows mapped to them."""

    version: int = Field(ge=1, le=1)
    frameworks: list[Framework] = Field(min_length=1)
    mappings: dict[str, dict[str, list[str]]]

    @model_validator(mode="after")
    def _known_items(self) -> Crosswalks:
        items = {f.id: {i.id for i in f.items} for f in self.frameworks}
        for row, targets in self.mappings.items():
            for framework, ids in targets.items():
                if framework not in items:
                    raise ValueError(f"mappings.{row}: unknown framework '{framework}'")
                unknown = sorted(set(ids) - items[framework])
                if unknown:
                    raise ValueError(f"mappings.{row}.{framework}: unknown items {unknown}")
        return self

    def rows_for(self, framework: str, item: str) -> list[str]:
        return [row for row, targets in self.mappings.items() if item in targets.get(framework, ())]


def _read(name: str, model: type[BaseModel], directory: Path) -> Any:
    path = directory / name
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(document)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{name}: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(file)"
        raise KnowledgeError(f"{name}: {where}: {first['msg']}") from exc


def load_investment_rules(directory: Path = DATA_DIR) -> InvestmentRules:
    return _read("fdi.yaml", InvestmentRules, directory)


def load_crosswalks(directory: Path = DATA_DIR, row_ids: set[str] | None = None) -> Crosswalks:
    """Read the crosswalks; with ``row_ids``, also refuse rows the catalog does not have."""
    crosswalks = _read("crosswalks.yaml", Crosswalks, directory)
    if row_ids is not None:
        unknown = sorted(set(crosswalks.mappings) - row_ids)
        if unknown:
            raise KnowledgeError(f"crosswalks.yaml: mappings: unknown checklist rows {unknown}")
    return crosswalks


class CatchAllExempt(_Model):
    """The 輸出令別表第3 countries: the end-use and end-user requirements of the catch-all
    control do not apply to them (only the inform requirement, narrowly)."""

    basis: Basis
    codes: list[str] = Field(min_length=1)


class _Countries(_Model):
    version: int = Field(ge=1, le=1)
    countries: dict[str, list[str]]
    catch_all_exempt: CatchAllExempt


def load_countries(directory: Path = DATA_DIR) -> dict[str, str]:
    """Return a look-up from a country's name (folded) to its ISO code."""
    from mamori.engines.screening import fold_text

    data = _read("countries.yaml", _Countries, directory)
    lookup: dict[str, str] = {}
    for code, names in data.countries.items():
        if len(code) != 2 or not code.isupper():
            raise KnowledgeError(f"countries.yaml: countries.{code}: not a two-letter code")
        for name in (code, *names):
            lookup["".join(fold_text(name).split())] = code
    return lookup


def load_catch_all_exempt(directory: Path = DATA_DIR) -> CatchAllExempt:
    data = _read("countries.yaml", _Countries, directory)
    unknown = sorted(set(data.catch_all_exempt.codes) - set(data.countries))
    if unknown:
        raise KnowledgeError(f"countries.yaml: catch_all_exempt: unknown codes {unknown}")
    return data.catch_all_exempt


@functools.cache
def catch_all_exempt() -> CatchAllExempt:
    """The 輸出令別表第3 countries with the basis of the list."""
    return load_catch_all_exempt()


@functools.cache
def investment_rules() -> InvestmentRules:
    return load_investment_rules()


@functools.cache
def crosswalks() -> Crosswalks:
    from mamori.catalog.selectors import get_catalog

    return load_crosswalks(row_ids={row.id for row in get_catalog().rows})


@functools.cache
def countries() -> dict[str, str]:
    return load_countries()
