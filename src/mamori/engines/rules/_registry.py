from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from mamori.engines.rules._model import (
    WHOLE_RULE,
    CheckResult,
    CheckSpec,
    Finding,
    FixRoute,
    Hit,
    LocalText,
    RequirementSpec,
    RuleSpec,
    Severity,
    Specs,
)

RuleFunction = Callable[[Any], Iterable[Hit]]
RequirementFunction = Callable[[Any], bool]


class RuleError(ValueError):
    """The rule specifications are invalid, or do not match the registered functions."""


def _text(raw: Any, where: str) -> LocalText:
    if not isinstance(raw, dict) or not raw.get("ja") or not raw.get("en"):
        raise RuleError(f"{where}: needs 'ja' and 'en'")
    return LocalText(ja=str(raw["ja"]).strip(), en=str(raw["en"]).strip())


def _reads(raw: Any, has_subject: bool, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict) or not raw:
        raise RuleError(f"{where}: needs the models the rule reads ('app.model: path')")
    reads = []
    for label, path in raw.items():
        if not isinstance(label, str) or label.count(".") != 1 or label != label.lower():
            raise RuleError(f"{where}: '{label}' is not a model label such as people.person")
        path = WHOLE_RULE if path in (None, "", WHOLE_RULE) else str(path)
        if path != WHOLE_RULE and not has_subject:
            raise RuleError(f"{where}.{label}: a path to the subject needs 'subject'")
        reads.append((label, path))
    return tuple(reads)


def _route(raw: Any, where: str) -> FixRoute | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw.get("name"):
        raise RuleError(f"{where}.name: missing (a URL name such as people:person)")
    kwargs = raw.get("kwargs") or {}
    if not isinstance(kwargs, dict):
        raise RuleError(f"{where}.kwargs: expected a mapping")
    label = raw.get("label")
    return FixRoute(
        name=str(raw["name"]),
        kwargs=tuple((str(k), str(v)) for k, v in kwargs.items()),
        anchor=str(raw.get("anchor") or ""),
        label=_text(label, f"{where}.label") if label is not None else None,
    )


def load_specs(*paths: Path | str) -> Specs:
    """Read and validate the rule, requirement and check specifications in ``paths``.

    Several files may contribute (one per app): rule and requirement ids must be unique
    across all of them; checks of the same row are merged (an app may add its rules to a
    row another file checks). Raise ``RuleError`` naming the file, entry and field at fault.
    """
    rules: dict[str, RuleSpec] = {}
    requirements: dict[str, RequirementSpec] = {}
    raw_checks: list[tuple[str, dict]] = []
    for path in map(Path, paths):
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise RuleError(f"{path.name}: {exc}") from exc
        if not isinstance(document, dict) or document.get("version") != 1:
            raise RuleError(f"{path.name}: expected a mapping with 'version: 1'")
        for index, raw in enumerate(document.get("rules") or []):
            where = f"{path.name}: rules[{index}]"
            rule_id = raw.get("id") if isinstance(raw, dict) else None
            if not rule_id or rule_id in rules:
                raise RuleError(f"{where}.id: missing or duplicate")
            try:
                severity = Severity.parse(str(raw.get("severity", "")))
            except ValueError as exc:
                raise RuleError(f"{where}.severity: {exc}") from exc
            rules[rule_id] = RuleSpec(
                id=rule_id,
                severity=severity,
                title=_text(raw.get("title"), f"{where}.title"),
                message=_text(raw.get("message"), f"{where}.message"),
                fix=_text(raw.get("fix"), f"{where}.fix"),
                rows=tuple(raw.get("rows") or ()),
                capability=str(raw.get("capability") or ""),
                subject=str(raw.get("subject") or ""),
                reads=_reads(raw.get("reads"), bool(raw.get("subject")), f"{where}.reads"),
                owner=str(raw.get("owner") or "officer"),
                route=_route(raw.get("route"), f"{where}.route"),
            )
        for index, raw in enumerate(document.get("requirements") or []):
            where = f"{path.name}: requirements[{index}]"
            req_id = raw.get("id") if isinstance(raw, dict) else None
            if not req_id or req_id in requirements:
                raise RuleError(f"{where}.id: missing or duplicate")
            requirements[req_id] = RequirementSpec(
                id=req_id, text=_text(raw.get("text"), f"{where}.text")
            )
        for index, raw in enumerate(document.get("checks") or []):
            where = f"{path.name}: checks[{index}]"
            if not isinstance(raw, dict) or not raw.get("row"):
                raise RuleError(f"{where}.row: missing")
            raw_checks.append((where, raw))
    checks: dict[str, CheckSpec] = {}
    for where, raw in raw_checks:
        row = raw["row"]
        earlier = checks.get(row)
        check = CheckSpec(
            row=row,
            requirements=(
                *(earlier.requirements if earlier else ()),
                *(raw.get("requirements") or ()),
            ),
            rules=(*(earlier.rules if earlier else ()), *(raw.get("rules") or ())),
        )
        for name, known in (("requirements", requirements), ("rules", rules)):
            for ref in getattr(check, name):
                if ref not in known:
                    raise RuleError(f"{where}.{name}: unknown '{ref}'")
        checks[row] = check
    return Specs(rules=rules, requirements=requirements, checks=checks)


class Registry:
    """Rule and requirement functions by id, evaluated against their specifications."""

    def __init__(self) -> None:
        self._rules: dict[str, RuleFunction] = {}
        self._requirements: dict[str, RequirementFunction] = {}

    def rule(self, rule_id: str) -> Callable[[RuleFunction], RuleFunction]:
        """Register the function that finds the hits of rule ``rule_id``."""

        def register(function: RuleFunction) -> RuleFunction:
            if rule_id in self._rules:
                raise RuleError(f"rule '{rule_id}' registered twice")
            self._rules[rule_id] = function
            return function

        return register

    def requirement(
        self, requirement_id: str
    ) -> Callable[[RequirementFunction], RequirementFunction]:
        def register(function: RequirementFunction) -> RequirementFunction:
            if requirement_id in self._requirements:
                raise RuleError(f"requirement '{requirement_id}' registered twice")
            self._requirements[requirement_id] = function
            return function

        return register

    def validate(self, specs: Specs) -> None:
        """Raise ``RuleError`` unless every specification has a function and vice versa."""
        for kind, declared, registered in (
            ("rule", set(specs.rules), set(self._rules)),
            ("requirement", set(specs.requirements), set(self._requirements)),
        ):
            if declared - registered:
                raise RuleError(f"{kind}s without a function: {sorted(declared - registered)}")
            if registered - declared:
                raise RuleError(f"{kind}s without a specification: {sorted(registered - declared)}")

    def run(
        self,
        specs: Specs,
        context: Any,
        only: Iterable[str] | None = None,
        *,
        evaluated: Callable[[str], None] | None = None,
    ) -> list[Finding]:
        """Evaluate the rules (all, or ``only`` these ids) and return the findings, worst
        first; ``evaluated(rule_id)`` is called after each rule."""
        findings: list[Finding] = []
        for rule_id in only if only is not None else specs.rules:
            spec = specs.rules[rule_id]
            for hit in self._rules[rule_id](context):
                findings.append(Finding(rule=spec, objects=hit.objects, params=dict(hit.params)))
            if evaluated is not None:
                evaluated(rule_id)
        findings.sort(
            key=lambda f: (-f.severity, f.rule.id, f.objects[0].label if f.objects else "")
        )
        return findings

    def check(
        self,
        specs: Specs,
        row: str,
        context: Any,
        open_counts: Mapping[str, int],
        met: dict[str, bool] | None = None,
    ) -> CheckResult | None:
        """Return the derived status of ``row``, or ``None`` when the row has no check.

        ``open_counts`` gives the number of open findings per rule id. ``met`` keeps the
        requirements' answers across calls (rows share requirements): pass the same dict
        when checking many rows at once.
        """
        spec = specs.checks.get(row)
        if spec is None:
            return None
        met = {} if met is None else met
        for req in spec.requirements:
            if req not in met:
                met[req] = bool(self._requirements[req](context))
        unmet = tuple(specs.requirements[req] for req in spec.requirements if not met[req])
        counts = {rule_id: open_counts.get(rule_id, 0) for rule_id in spec.rules}
        return CheckResult(
            row=row,
            satisfied=not unmet and not any(counts.values()),
            unmet=unmet,
            open_findings=counts,
        )
