"""The rule engine: findings (what is wrong, with the fix) and derived checklist checks.

Rule and check texts are data (``load_specs`` reads and validates them once); the queries
that find the offending objects are functions registered by the Django apps under the
same ids. ``Registry.run`` evaluates every rule and returns the findings, sorted by
severity; ``Registry.check`` turns open findings and requirements into a row's derived
status. Nothing here imports Django.
"""

from mamori.engines.rules._model import (
    WHOLE_RULE,
    CheckResult,
    CheckSpec,
    Finding,
    FixRoute,
    Hit,
    ObjectRef,
    RequirementSpec,
    RuleSpec,
    Severity,
    Specs,
    resolve_params,
)
from mamori.engines.rules._registry import Registry, RuleError, load_specs

__all__ = [
    "WHOLE_RULE",
    "CheckResult",
    "CheckSpec",
    "Finding",
    "FixRoute",
    "Hit",
    "ObjectRef",
    "Registry",
    "RequirementSpec",
    "RuleError",
    "RuleSpec",
    "Severity",
    "Specs",
    "load_specs",
    "resolve_params",
]
