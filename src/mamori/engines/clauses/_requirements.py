"""The clause requirements, compiled once from the catalog's clauses and contract types."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from mamori.engines.clauses._errors import RequirementsError

Pattern = re.Pattern[str] | None


def _compile(patterns: Sequence[str], where: str) -> Pattern:
    """Return one regular expression matching any of ``patterns`` (None for none)."""
    if not patterns:
        return None
    try:
        return re.compile("|".join(f"(?:{pattern})" for pattern in patterns))
    except re.error as exc:
        raise RequirementsError(f"{where}: invalid pattern ({exc})") from exc


def _all(patterns: Any) -> list[str]:
    return [*getattr(patterns, "ja", []), *getattr(patterns, "en", [])]


@dataclass(frozen=True)
class PartRule:
    name: str
    text_ja: str
    text_en: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class ClauseRule:
    """One clause as the checker applies it (see clauses.yaml for the meaning of each)."""

    id: str
    key: str
    title_ja: str
    title_en: str
    headings: Pattern
    sentences: re.Pattern[str]
    exclude: Pattern
    negations: Pattern
    parts: tuple[PartRule, ...]
    parts_scope: str
    effort: bool
    waiver: bool
    min_months: int | None
    duration_context: Pattern
    weak_wording: Pattern
    weak_text_ja: str
    weak_text_en: str
    preamble: bool = False  # the clause counts in the preamble (recitals, cover page) too
    definitions: bool = False  # the body of another term's definition can carry it
    prefer: Pattern = None  # among candidates of one grade, sentences with these words win
    missing_without_parts: bool = False  # no part said anywhere: missing, not weak
    weak_unless: Pattern = None  # a sentence anywhere that answers the weak wording


@dataclass(frozen=True)
class TypeRule:
    kind: str
    name: str  # the name the command line prints (the first alias, else the kind)
    names: tuple[str, ...]
    title_ja: str
    title_en: str
    required: tuple[str, ...]  # clause ids
    title: Pattern
    body: Pattern


@dataclass(frozen=True)
class TermRule:
    """A standard name and, per language (``ja``, ``en``), the terms a contract may define
    for it."""

    name: dict[str, str]
    defines: dict[str, Pattern]  # matched against the whole defined term
    context: dict[str, Pattern]  # the defining sentence must match it, when given
    defines_when_protected: dict[str, Pattern]  # a broader term, if the contract protects it
    protected: dict[str, tuple[str, ...]]  # patterns with {term}: the contract protects it


@dataclass(frozen=True)
class Requirements:
    """Every clause, the clauses each contract type requires, and the standard names."""

    clauses: tuple[ClauseRule, ...]
    types: tuple[TypeRule, ...]
    terms: tuple[TermRule, ...] = ()

    def type_named(self, name: str) -> TypeRule:
        """Return the type whose kind or alias is ``name``; raise ``RequirementsError``."""
        for rule in self.types:
            if name in rule.names:
                return rule
        known = ", ".join(rule.name for rule in self.types)
        raise RequirementsError(f"unknown contract type '{name}' (known: {known})")

    def clause(self, key: str) -> ClauseRule:
        for rule in self.clauses:
            if key in (rule.key, rule.id):
                return rule
        raise KeyError(key)


def build_requirements(
    clauses: Iterable[Any], contract_types: Iterable[Any], terms: Iterable[Any] = ()
) -> Requirements:
    """Compile the catalog's clauses, contract types and defined terms
    (``mamori.catalog.schema`` objects, or anything shaped like them) into ``Requirements``.

    Raise ``RequirementsError`` for a pattern that does not compile or a type that requires
    an unknown clause.
    """
    compiled = []
    for clause in clauses:
        where = clause.id
        recognise, weak = clause.recognise, clause.weak
        sentences = _compile(_all(recognise.sentences), f"{where}.sentences")
        if sentences is None:
            raise RequirementsError(f"{where}: no sentence pattern")
        compiled.append(
            ClauseRule(
                id=clause.id,
                key=clause.id.rsplit(":", 1)[-1],
                title_ja=clause.title.ja,
                title_en=clause.title.en,
                headings=_compile(_all(recognise.headings), f"{where}.headings"),
                sentences=sentences,
                exclude=_compile(_all(recognise.exclude), f"{where}.exclude"),
                negations=_compile(_all(recognise.negations), f"{where}.negations"),
                parts=tuple(
                    PartRule(
                        name=part.name,
                        text_ja=part.text.ja,
                        text_en=part.text.en,
                        pattern=_compile(_all(part.patterns), f"{where}.parts.{part.name}"),
                    )
                    for part in clause.parts
                ),
                parts_scope=clause.parts_scope,
                effort=weak.effort,
                waiver=weak.waiver,
                min_months=weak.min_months,
                duration_context=_compile(_all(weak.duration_context), f"{where}.weak"),
                weak_wording=_compile(_all(weak.patterns), f"{where}.weak.patterns"),
                weak_text_ja=weak.text.ja,
                weak_text_en=weak.text.en,
                preamble=bool(getattr(recognise, "preamble", False)),
                definitions=bool(getattr(recognise, "definitions", False)),
                prefer=_compile(_all(getattr(recognise, "prefer", None)), f"{where}.prefer"),
                missing_without_parts=bool(getattr(clause, "missing_without_parts", False)),
                weak_unless=_compile(_all(getattr(weak, "unless", None)), f"{where}.weak.unless"),
            )
        )
    known = {rule.id for rule in compiled}
    types = []
    for contract_type in contract_types:
        unknown = [clause for clause in contract_type.required if clause not in known]
        if unknown:
            raise RequirementsError(f"{contract_type.kind}: unknown clauses {unknown}")
        aliases = tuple(getattr(contract_type, "aliases", ()))
        recognise = getattr(contract_type, "recognise", None)
        types.append(
            TypeRule(
                kind=contract_type.kind,
                name=aliases[0] if aliases else contract_type.kind,
                names=(contract_type.kind, *aliases),
                title_ja=contract_type.name.ja,
                title_en=contract_type.name.en,
                required=tuple(contract_type.required),
                title=_compile(_all(getattr(recognise, "title", None)), contract_type.kind),
                body=_compile(_all(getattr(recognise, "body", None)), contract_type.kind),
            )
        )
    return Requirements(
        clauses=tuple(compiled), types=tuple(types), terms=tuple(_term_rules(terms))
    )


_LANGUAGES = ("ja", "en")


def _per_language(patterns: Any, where: str, whole: bool = False) -> dict[str, Pattern]:
    """Compile each language's patterns (``whole``: each must match a whole term)."""
    return {
        language: _compile(
            [f"(?:{pattern})$" if whole else pattern for pattern in getattr(patterns, language)],
            where,
        )
        for language in _LANGUAGES
    }


def _term_rules(terms: Iterable[Any]) -> Iterable[TermRule]:
    for term in terms:
        yield TermRule(
            name={language: getattr(term.name, language) for language in _LANGUAGES},
            defines=_per_language(term.defines, f"{term.id}.defines", whole=True),
            context=_per_language(term.context, f"{term.id}.context"),
            defines_when_protected=_per_language(
                term.defines_when_protected, f"{term.id}.defines_when_protected", whole=True
            ),
            protected={
                language: tuple(getattr(term.protected, language)) for language in _LANGUAGES
            },
        )
