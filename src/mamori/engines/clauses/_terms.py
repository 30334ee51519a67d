"""Defined terms: a contract's own name for what the clause patterns call by a standard name.

A contract that defines ``(a party's "Proprietary Information")`` or （以下「本情報」という）
and then uses its term throughout is read as if it said "confidential information" /
「秘密情報」 (the standard names of ``defined_terms.yaml``): every normalised sentence,
heading and list lead has the term replaced, so the patterns written for the standard names
apply. The quoted text is unchanged.
"""

from __future__ import annotations

import dataclasses
import re

from mamori.engines.clauses._model import Article, Contract, Sentence
from mamori.engines.clauses._requirements import TermRule

_QUOTED = r'["“]([^"”]{3,60})["”]'
_DEFINITION_EN = re.compile(
    # (a party's "Proprietary Information"), (the "Evaluation Material")
    r"\((?:[^()\"“]{0,40})"
    + _QUOTED
    + r"\)"
    # "Proprietary Information" means …
    + r"|(?:^|\. )"
    + _QUOTED
    + r" (?:means|shall mean|refers to|includes|shall include)\b"
    # hereinafter referred to as the "Information"
    + r"|(?:hereinafter|hereafter)(?: referred to as)?,? (?:the )?"
    + _QUOTED
)
_DEFINITION_JA = re.compile(r"以下、?「([^」]{2,20})」(?:という|と総称)|「([^」]{2,20})」とは")


def _aliases(contract: Contract, terms: tuple[TermRule, ...]) -> dict[str, str]:
    """Return {the contract's term: the standard name} for the terms it defines."""
    language = contract.language
    definition = _DEFINITION_JA if language == "ja" else _DEFINITION_EN
    aliases: dict[str, str] = {}
    for norm in contract.norms:
        for match in definition.finditer(norm):
            term = next(group for group in match.groups() if group).strip()
            for rule in terms:
                name = rule.name[language]
                if term == name or term in aliases:
                    continue
                if _stands_for(rule, term, norm, contract):
                    aliases[term] = name
    return aliases


def _stands_for(rule: TermRule, term: str, definition: str, contract: Contract) -> bool:
    """Return whether the contract's ``term`` (defined in the sentence ``definition``) stands
    for the rule's standard name."""
    language = contract.language
    defines, context = rule.defines[language], rule.context[language]
    if defines is not None and defines.match(term):
        return context is None or bool(context.search(definition))
    broader = rule.defines_when_protected[language]
    if broader is None or not broader.match(term) or not rule.protected[language]:
        return False
    protected = re.compile(
        "|".join(
            f"(?:{pattern.replace('{term}', re.escape(term))})"
            for pattern in rule.protected[language]
        )
    )
    return any(protected.search(norm) for norm in contract.norms)


def resolve_terms(contract: Contract, terms: tuple[TermRule, ...]) -> Contract:
    """Return ``contract`` with its own defined terms replaced by the standard names in every
    normalised text (the contract itself when it defines none)."""
    aliases = _aliases(contract, terms)
    if not aliases:
        return contract
    # Longest first, so that "licensor proprietary information" wins over its tail; English
    # terms only as whole words.
    edge_before, edge_after = (
        ("", "") if contract.language == "ja" else (r"(?<![a-z0-9])", r"(?![a-z0-9])")
    )
    pattern = re.compile(
        "|".join(
            edge_before + re.escape(term) + edge_after
            for term in sorted(aliases, key=len, reverse=True)
        )
    )

    def standard(text: str) -> str:
        return pattern.sub(lambda match: aliases[match.group(0)], text) if text else text

    def sentence(item: Sentence) -> Sentence:
        return dataclasses.replace(item, norm=standard(item.norm), context=standard(item.context))

    def article(item: Article) -> Article:
        sentences = tuple(sentence(s) for s in item.sentences)
        return dataclasses.replace(
            item,
            sentences=sentences,
            norm_heading=standard(item.norm_heading),
            norm_text=" ".join(s.norm for s in sentences),
        )

    return dataclasses.replace(contract, articles=tuple(article(a) for a in contract.articles))
