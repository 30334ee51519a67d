from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    """How urgent a finding is; higher is worse."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.upper()]
        except KeyError:
            raise ValueError(f"unknown severity '{value}'") from None


def resolve_params(params: dict[str, Any], language: str) -> dict[str, Any]:
    """Return message parameters with bilingual values (``{"ja": ..., "en": ...}``) resolved."""
    key = "en" if language.startswith("en") else "ja"
    return {
        name: value[key] if isinstance(value, dict) and {"ja", "en"} <= value.keys() else value
        for name, value in params.items()
    }


@dataclass(frozen=True)
class LocalText:
    ja: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.ja


WHOLE_RULE = "*"  # in ``reads``: a change of that model re-evaluates the whole rule


@dataclass(frozen=True)
class FixRoute:
    """Where a finding is fixed: a named URL, its arguments and the step on the page.

    ``kwargs`` values name where each argument comes from: ``subject`` (the finding's
    first object) or an object type among the finding's objects (``lifecycle.departure``).
    """

    name: str
    kwargs: tuple[tuple[str, str], ...] = ()
    anchor: str = ""
    label: LocalText | None = None


@dataclass(frozen=True)
class RuleSpec:
    id: str
    severity: Severity
    title: LocalText
    message: LocalText  # str.format template; placeholders come from the hit's params
    fix: LocalText
    rows: tuple[str, ...] = ()
    capability: str = ""  # when set, only users with it may see these findings
    # The type of the finding's first object (what re-evaluation targets), e.g. people.person.
    subject: str = ""
    # model label -> path from a changed row to the subject's id, or WHOLE_RULE.
    reads: tuple[tuple[str, str], ...] = ()
    owner: str = "officer"  # who works the finding: a key of the owner resolvers
    route: FixRoute | None = None

    def reads_model(self, label: str) -> str | None:
        """Return the path to the subject for a changed ``label`` row, ``WHOLE_RULE``, or
        ``None`` when the rule does not read that model."""
        for model, path in self.reads:
            if model == label:
                return path
        return None


@dataclass(frozen=True)
class RequirementSpec:
    """Something that must exist for a row to count as done (e.g. a registered technology)."""

    id: str
    text: LocalText


@dataclass(frozen=True)
class CheckSpec:
    """A checklist row's derived check: requirements met and no open findings of rules."""

    row: str
    requirements: tuple[str, ...]
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Specs:
    rules: dict[str, RuleSpec]
    requirements: dict[str, RequirementSpec]
    checks: dict[str, CheckSpec]


@dataclass(frozen=True)
class ObjectRef:
    """An object a finding is about: its type (``people.person``), id and label."""

    type: str
    id: int | str
    label: str

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "id": self.id, "label": self.label}


@dataclass(frozen=True)
class Hit:
    """What a rule function returns: the objects at fault and the message parameters."""

    objects: tuple[ObjectRef, ...]
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    rule: RuleSpec
    objects: tuple[ObjectRef, ...]
    params: dict[str, Any]

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def key(self) -> str:
        """A stable identity: the same problem with the same objects keeps its key."""
        subject = "|".join(f"{ref.type}:{ref.id}" for ref in self.objects[:1])
        return hashlib.sha256(f"{self.rule.id}|{subject}".encode()).hexdigest()[:40]

    def message(self, language: str = "ja") -> str:
        return self.rule.message.get(language).format(**resolve_params(self.params, language))

    def fix(self, language: str = "ja") -> str:
        return self.rule.fix.get(language)


@dataclass(frozen=True)
class CheckResult:
    row: str
    satisfied: bool
    unmet: tuple[RequirementSpec, ...]
    open_findings: dict[str, int]  # rule id -> open findings

    def reasons(self, rules: dict[str, RuleSpec], language: str = "ja") -> list[str]:
        texts = [requirement.text.get(language) for requirement in self.unmet]
        for rule_id, count in self.open_findings.items():
            if count:
                texts.append(f"{rules[rule_id].title.get(language)} ({count})")
        return texts
