"""Load and validate the handbook catalog from its YAML files.

The loader knows nothing of Django. It reads every file, validates it against the schema,
then checks what no single file can: ids unique across files, references that resolve,
and a stage wizard that always ends in a stage. All problems are collected and raised
together in one ``CatalogError`` so that an editor sees every mistake at once, each
with the file and the field it is in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from mamori.catalog.schema import (
    CLAUSE_PREFIX,
    Case,
    Channel,
    ChecklistRow,
    Clause,
    Column,
    Contact,
    ContractType,
    DefinedTerm,
    Handbook,
    Link,
    Questionnaire,
    RelatedSystem,
    Stage,
    Step,
    WizardQuestion,
)
from mamori.engines.clauses import Requirements, RequirementsError, build_requirements

__all__ = ["DEFAULT_DIR", "Catalog", "CatalogError", "CatalogProblem", "load_catalog"]

DEFAULT_DIR = Path(__file__).resolve().parent / "data"
STAGE_TARGET_PREFIX = "stage:"


@dataclass(frozen=True)
class CatalogProblem:
    """One thing wrong with the catalog: where (file and field) and what."""

    file: str
    location: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.location}" if self.location else self.file
        return f"{where}: {self.message}"


class CatalogError(ValueError):
    """The catalog files are invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[CatalogProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# file name -> (top-level key, model, holds a list?)
_FILES: dict[str, tuple[str, type[BaseModel], bool]] = {
    "handbook.yaml": ("handbook", Handbook, False),
    "stages.yaml": ("stages", Stage, True),
    "channels.yaml": ("channels", Channel, True),
    "steps.yaml": ("steps", Step, True),
    "checklist.yaml": ("rows", ChecklistRow, True),
    "cases.yaml": ("cases", Case, True),
    "columns.yaml": ("columns", Column, True),
    "related_systems.yaml": ("related_systems", RelatedSystem, True),
    "contacts.yaml": ("contacts", Contact, True),
    "links.yaml": ("links", Link, True),
    "stage_wizard.yaml": ("questions", WizardQuestion, True),
    "questionnaires.yaml": ("questionnaires", Questionnaire, True),
    "clauses.yaml": ("clauses", Clause, True),
    "contract_types.yaml": ("contract_types", ContractType, True),
    "defined_terms.yaml": ("terms", DefinedTerm, True),
}
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Catalog:
    """The validated handbook, with lookups by id."""

    handbook: Handbook
    stages: tuple[Stage, ...]
    channels: tuple[Channel, ...]
    steps: tuple[Step, ...]
    rows: tuple[ChecklistRow, ...]
    cases: tuple[Case, ...]
    columns: tuple[Column, ...]
    related_systems: tuple[RelatedSystem, ...]
    contacts: tuple[Contact, ...]
    links: tuple[Link, ...]
    wizard: tuple[WizardQuestion, ...]
    questionnaires: tuple[Questionnaire, ...] = ()
    clauses: tuple[Clause, ...] = ()
    contract_types: tuple[ContractType, ...] = ()
    defined_terms: tuple[DefinedTerm, ...] = ()
    _by_id: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for item in (
            *self.stages,
            *self.channels,
            *self.steps,
            *self.rows,
            *self.cases,
            *self.columns,
            *self.related_systems,
            *self.contacts,
            *self.links,
            *self.questionnaires,
            *self.clauses,
        ):
            self._by_id[item.id] = item

    def stage(self, stage_id: str) -> Stage:
        """Return the stage ``stage_id``; raise ``KeyError`` when there is none."""
        return self._typed(stage_id, Stage)

    def channel(self, channel_id: str) -> Channel:
        return self._typed(channel_id, Channel)

    def row(self, row_id: str) -> ChecklistRow:
        return self._typed(row_id, ChecklistRow)

    def step(self, step_id: str) -> Step:
        return self._typed(step_id, Step)

    def link(self, link_id: str) -> Link:
        return self._typed(link_id, Link)

    def has_row(self, row_id: str) -> bool:
        return isinstance(self._by_id.get(row_id), ChecklistRow)

    def rows_for_stage(self, stage_id: str) -> list[ChecklistRow]:
        """Return the stage's checklist rows in the handbook's order (by channel)."""
        channel_order = {channel.id: channel.order for channel in self.channels}
        rows = [row for row in self.rows if stage_id in row.stages]
        return sorted(rows, key=lambda row: channel_order[row.channel])

    def stages_before(self, stage_id: str) -> list[Stage]:
        order = self.stage(stage_id).order
        return [s for s in self.stages if s.order < order]

    def stage_after(self, stage_id: str) -> Stage | None:
        order = self.stage(stage_id).order
        later = [s for s in self.stages if s.order > order]
        return later[0] if later else None

    def cases_for_stage(self, stage_id: str) -> list[Case]:
        return [case for case in self.cases if case.stage == stage_id]

    def columns_for_stage(self, stage_id: str) -> list[Column]:
        return [column for column in self.columns if column.stage == stage_id]

    def cases_for_row(self, row_id: str) -> list[Case]:
        return [case for case in self.cases if row_id in case.related_rows]

    def questionnaire(self, questionnaire_id: str) -> Questionnaire:
        return self._typed(questionnaire_id, Questionnaire)

    def questionnaires_for(self, counterparty_kind: str) -> list[Questionnaire]:
        return [q for q in self.questionnaires if counterparty_kind in q.applies_to]

    def clause(self, clause_id: str) -> Clause:
        return self._typed(clause_id, Clause)

    def contract_type(self, kind: str) -> ContractType:
        """Return the clause requirements of a contract kind (``nda``, ``licence``...)."""
        for contract_type in self.contract_types:
            if contract_type.kind == kind:
                return contract_type
        raise KeyError(kind)

    def contract_type_named(self, name: str) -> ContractType:
        """Return the contract type whose kind or alias is ``name`` (``license`` gives the
        ``licence`` type); raise ``KeyError`` when none is."""
        for contract_type in self.contract_types:
            if name == contract_type.kind or name in contract_type.aliases:
                return contract_type
        raise KeyError(name)

    def clause_keyed(self, key: str) -> Clause:
        """Return the clause whose short id is ``key`` (``confidentiality``)."""
        return self.clause(CLAUSE_PREFIX + key)

    def required_clauses(self, kind: str) -> list[Clause]:
        """Return the clauses a contract of the kind must hold, in the catalog's order."""
        required = set(self.contract_type(kind).required)
        return [clause for clause in self.clauses if clause.id in required]

    def wizard_start(self) -> WizardQuestion:
        return self.wizard[0]

    def wizard_question(self, question_id: str) -> WizardQuestion:
        for question in self.wizard:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def _typed(self, item_id: str, kind: type) -> Any:
        item = self._by_id.get(item_id)
        if not isinstance(item, kind):
            raise KeyError(item_id)
        return item


class _StrictLoader(yaml.SafeLoader):
    """A safe YAML loader that rejects a key given twice in one mapping."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _location(loc: Iterable[Any]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _read_yaml(path: Path, problems: list[CatalogProblem]) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except FileNotFoundError:
        problems.append(CatalogProblem(path.name, "", "file is missing"))
    except UnicodeDecodeError as exc:
        problems.append(CatalogProblem(path.name, "", f"not UTF-8 text ({exc.reason})"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        problems.append(CatalogProblem(path.name, where, f"invalid YAML: {problem}"))
    return None


def _parse_file(
    directory: Path, name: str, problems: list[CatalogProblem]
) -> list[tuple[str, BaseModel]]:
    """Return ``(location, item)`` pairs of one file; add its problems to ``problems``."""
    key, model, is_list = _FILES[name]
    document = _read_yaml(directory / name, problems)
    if document is None:
        if (directory / name).exists() and not any(p.file == name for p in problems):
            problems.append(CatalogProblem(name, "", "file is empty"))
        return []
    if not isinstance(document, dict):
        problems.append(CatalogProblem(name, "", "the file must hold a mapping"))
        return []
    unknown = sorted(set(document) - {"version", key})
    for extra in unknown:
        problems.append(CatalogProblem(name, str(extra), "unknown top-level key"))
    if document.get("version") != SCHEMA_VERSION:
        problems.append(CatalogProblem(name, "version", f"must be {SCHEMA_VERSION}"))
    if key not in document:
        problems.append(CatalogProblem(name, key, "field required"))
        return []
    raw_items = document[key]
    if is_list and not isinstance(raw_items, list):
        problems.append(CatalogProblem(name, key, "must be a list"))
        return []
    entries = list(enumerate(raw_items)) if is_list else [(None, raw_items)]
    parsed = []
    for index, raw in entries:
        prefix: list[Any] = [key] if index is None else [key, index]
        try:
            parsed.append((_location(prefix), model.model_validate(raw)))
        except ValidationError as exc:
            for error in exc.errors():
                problems.append(
                    CatalogProblem(name, _location([*prefix, *error["loc"]]), error["msg"])
                )
    return parsed


def _check_unique_ids(
    parsed: dict[str, list[tuple[str, BaseModel]]], problems: list[CatalogProblem]
) -> None:
    seen: dict[str, str] = {}
    for name, items in parsed.items():
        for location, item in items:
            item_id = getattr(item, "id", None)
            if item_id is None:
                continue
            where = f"{name}: {location}.id"
            if item_id in seen:
                problems.append(
                    CatalogProblem(
                        name,
                        f"{location}.id",
                        f"duplicate id '{item_id}' (first defined at {seen[item_id]})",
                    )
                )
            else:
                seen[item_id] = where


def _check_references(
    parsed: dict[str, list[tuple[str, BaseModel]]], problems: list[CatalogProblem]
) -> None:
    def ids(name: str) -> set[str]:
        return {item.id for _, item in parsed.get(name, [])}

    stages, channels, steps = ids("stages.yaml"), ids("channels.yaml"), ids("steps.yaml")
    rows, links, questions = ids("checklist.yaml"), ids("links.yaml"), ids("stage_wizard.yaml")

    def expect(name: str, location: str, value: str, known: set[str], what: str) -> None:
        if value not in known:
            problems.append(CatalogProblem(name, location, f"unknown {what} '{value}'"))

    def expect_all(name: str, location: str, values: list[str], known: set[str], what: str):
        for index, value in enumerate(values):
            expect(name, f"{location}[{index}]", value, known, what)

    for loc, row in parsed.get("checklist.yaml", []):
        expect("checklist.yaml", f"{loc}.channel", row.channel, channels, "channel")
        expect_all("checklist.yaml", f"{loc}.stages", row.stages, stages, "stage")
        if row.step is not None:
            expect("checklist.yaml", f"{loc}.step", row.step, steps, "step")
        if (row.channel == "common") != (row.step is not None):
            problems.append(
                CatalogProblem(
                    "checklist.yaml",
                    f"{loc}.step",
                    "common rows are explained by a step, other rows by a measure",
                )
            )
    for loc, case in parsed.get("cases.yaml", []):
        expect("cases.yaml", f"{loc}.stage", case.stage, stages, "stage")
        expect_all("cases.yaml", f"{loc}.related_rows", case.related_rows, rows, "row")
    for loc, column in parsed.get("columns.yaml", []):
        expect("columns.yaml", f"{loc}.stage", column.stage, stages, "stage")
        expect_all("columns.yaml", f"{loc}.links", column.links, links, "link")
    for name in ("related_systems.yaml", "steps.yaml"):
        for loc, item in parsed.get(name, []):
            expect_all(name, f"{loc}.links", item.links, links, "link")
    for loc, handbook in parsed.get("handbook.yaml", []):
        expect_all("handbook.yaml", f"{loc}.links", handbook.links, links, "link")
    clauses = ids("clauses.yaml")
    for loc, questionnaire in parsed.get("questionnaires.yaml", []):
        expect_all("questionnaires.yaml", f"{loc}.stages", questionnaire.stages, stages, "stage")
        expect_all("questionnaires.yaml", f"{loc}.rows", questionnaire.rows, rows, "row")
        seen_questions: set[str] = set()
        for index, question in enumerate(questionnaire.questions):
            if question.id in seen_questions:
                problems.append(
                    CatalogProblem(
                        "questionnaires.yaml",
                        f"{loc}.questions[{index}].id",
                        f"duplicate question '{question.id}'",
                    )
                )
            seen_questions.add(question.id)
    cases = ids("cases.yaml")
    for loc, clause in parsed.get("clauses.yaml", []):
        expect_all("clauses.yaml", f"{loc}.rows", clause.rows, rows, "row")
        expect_all("clauses.yaml", f"{loc}.cases", clause.cases, cases, "case")
        names = [part.name for part in clause.parts]
        if len(names) != len(set(names)):
            problems.append(
                CatalogProblem("clauses.yaml", f"{loc}.parts", "two parts share a name")
            )
        if clause.weak.duration_context.all() and clause.weak.min_months is None:
            problems.append(
                CatalogProblem(
                    "clauses.yaml", f"{loc}.weak.duration_context", "needs weak.min_months"
                )
            )
    kind_names: dict[str, str] = {}
    for loc, contract_type in parsed.get("contract_types.yaml", []):
        expect_all(
            "contract_types.yaml", f"{loc}.required", contract_type.required, clauses, "clause"
        )
        if len(contract_type.required) != len(set(contract_type.required)):
            problems.append(
                CatalogProblem("contract_types.yaml", f"{loc}.required", "a clause is listed twice")
            )
        for index, name in enumerate([contract_type.kind, *contract_type.aliases]):
            where = f"{loc}.kind" if index == 0 else f"{loc}.aliases[{index - 1}]"
            if name in kind_names:
                problems.append(
                    CatalogProblem(
                        "contract_types.yaml",
                        where,
                        f"'{name}' already names the kind '{kind_names[name]}'",
                    )
                )
            kind_names[name] = contract_type.kind
    for loc, question in parsed.get("stage_wizard.yaml", []):
        for answer in ("yes", "no"):
            target = getattr(question, answer)
            if target.startswith(STAGE_TARGET_PREFIX):
                stage_id = target.removeprefix(STAGE_TARGET_PREFIX)
                expect("stage_wizard.yaml", f"{loc}.{answer}", stage_id, stages, "stage")
            else:
                expect("stage_wizard.yaml", f"{loc}.{answer}", target, questions, "question")


def _check_completeness(
    parsed: dict[str, list[tuple[str, BaseModel]]], problems: list[CatalogProblem]
) -> None:
    for name, expected in (
        ("stages.yaml", {"seed_early", "middle", "later"}),
        (
            "channels.yaml",
            {"common", "people", "joint_research", "overseas_production", "alignment"},
        ),
    ):
        if name not in parsed or not parsed[name]:
            continue
        present = {item.id for _, item in parsed[name]}
        for missing in sorted(expected - present):
            problems.append(CatalogProblem(name, _FILES[name][0], f"'{missing}' is missing"))
        orders = [item.order for _, item in parsed[name]]
        if len(orders) != len(set(orders)):
            problems.append(CatalogProblem(name, _FILES[name][0], "two entries share an order"))
    for _, stage in parsed.get("stages.yaml", []):
        if not any(stage.id in row.stages for _, row in parsed.get("checklist.yaml", [])):
            problems.append(
                CatalogProblem("checklist.yaml", "rows", f"stage '{stage.id}' has no rows")
            )
    _check_wizard_terminates(parsed.get("stage_wizard.yaml", []), problems)


def _check_wizard_terminates(
    questions: list[tuple[str, WizardQuestion]], problems: list[CatalogProblem]
) -> None:
    by_id = {question.id: question for _, question in questions}

    def walk(question_id: str, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        if question_id in path:
            yield (*path, question_id)
            return
        question = by_id.get(question_id)
        if question is None:
            return
        for target in (question.yes, question.no):
            if not target.startswith(STAGE_TARGET_PREFIX):
                yield from walk(target, (*path, question_id))

    if not questions:
        problems.append(CatalogProblem("stage_wizard.yaml", "questions", "no questions"))
        return
    for cycle in walk(questions[0][1].id, ()):
        problems.append(
            CatalogProblem("stage_wizard.yaml", "questions", f"answers loop: {' → '.join(cycle)}")
        )
        break


def load_catalog(directory: Path | str = DEFAULT_DIR) -> Catalog:
    """Load, validate and return the catalog in ``directory``.

    Raise ``CatalogError`` listing every problem (file, field, message) when a file is
    missing, is not valid YAML, does not match the schema, or refers to something unknown.
    """
    directory = Path(directory)
    problems: list[CatalogProblem] = []
    parsed = {name: _parse_file(directory, name, problems) for name in _FILES}
    _check_unique_ids(parsed, problems)
    _check_references(parsed, problems)
    _check_completeness(parsed, problems)
    if problems:
        raise CatalogError(problems)

    def items(name: str) -> tuple:
        return tuple(item for _, item in parsed[name])

    return Catalog(
        handbook=parsed["handbook.yaml"][0][1],
        stages=tuple(sorted(items("stages.yaml"), key=lambda s: s.order)),
        channels=tuple(sorted(items("channels.yaml"), key=lambda c: c.order)),
        steps=items("steps.yaml"),
        rows=items("checklist.yaml"),
        cases=items("cases.yaml"),
        columns=items("columns.yaml"),
        related_systems=items("related_systems.yaml"),
        contacts=items("contacts.yaml"),
        links=items("links.yaml"),
        wizard=items("stage_wizard.yaml"),
        questionnaires=items("questionnaires.yaml"),
        clauses=items("clauses.yaml"),
        contract_types=items("contract_types.yaml"),
        defined_terms=items("defined_terms.yaml"),
    )


def load_clause_requirements(directory: Path | str | None = None) -> Requirements:
    """Load the catalog (``directory``, or the shipped one) and compile the contract
    checker's requirements from its clauses and contract types.

    Raise ``RequirementsError`` when the catalog is invalid.
    """
    try:
        catalog = load_catalog(directory or DEFAULT_DIR)
    except CatalogError as exc:
        raise RequirementsError(str(exc)) from exc
    return build_requirements(catalog.clauses, catalog.contract_types, catalog.defined_terms)
