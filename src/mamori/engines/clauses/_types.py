"""Guess a contract's type from its title lines, the headings of its first articles and
its wording, with a confidence that reflects the margin between the best two guesses."""

from __future__ import annotations

import re

from mamori.engines.clauses._model import Contract
from mamori.engines.clauses._requirements import Requirements, TypeRule
from mamori.engines.clauses._text import is_japanese, normalise

_NAMES_AGREEMENT = re.compile(r"agreement|contract|memorandum|契約|覚書|約款|規約")
_TITLE_END = re.compile(r"\s[(（]|\(the |\bis (made|entered)|\bdated\b|\bby and between\b|、|。")


def _title_lines(contract: Contract) -> list[str]:
    """Return the lines that may be the contract's title, in order: the first line, the page
    header, then the preamble's short sentences naming an agreement ("THIS COLLABORATION
    AGREEMENT (the "Agreement") is made …" up to its bracket)."""
    lines = [normalise(contract.title), normalise(contract.header)]
    preamble = [a for a in contract.articles[:2] if a.kind in ("front", "preamble")]
    for sentence in [s for a in preamble for s in a.sentences][:30]:
        head = _TITLE_END.split(sentence.norm, maxsplit=1)[0][:100]
        if _NAMES_AGREEMENT.search(head):
            lines.append(head)
    return [line for line in lines if line]


# The first operative articles' headings weigh 3, 2 and 1.
_LEADING_ARTICLES = 3
# Headings that open most contracts whatever their kind: they say nothing of the subject.
_GENERIC_HEADING = re.compile(
    r"definition|interpretation|purpose|preamble|recital|scope|general|定義|目的|前文|適用"
)


def _heading_kinds(contract: Contract, requirements: Requirements) -> dict[str, int]:
    """Return the kinds whose title words head one of the first operative articles, with a
    weight that falls with the article's place: the subject a contract deals with first
    ("1. LICENSE", "2. SERVICES", 第1条（業務委託）) names its kind where the title does not
    ("OUTSOURCING AGREEMENT")."""
    headings = [
        normalise(article.heading)
        for article in contract.articles
        if article.kind == "article" and article.heading
    ]
    leading = [h for h in headings if not _GENERIC_HEADING.search(h)][:_LEADING_ARTICLES]
    weights: dict[str, int] = {}
    for place, heading in enumerate(leading):
        for rule in requirements.types:
            if rule.title is not None and rule.title.search(heading):
                weights.setdefault(rule.kind, _LEADING_ARTICLES - place)
    return weights


def guess_type(contract: Contract, requirements: Requirements) -> tuple[TypeRule, float]:
    """Return the contract type the title and wording point to, with a confidence 0–1: the
    margin between the best two guesses (1 when only one type has any sign).

    The first title line that names a type weighs most; where it names two
    (共同研究に関する秘密保持契約), the one nearest the end of a Japanese title, or the start
    of an English one, wins. The wording adds up to 5 per type. Without any sign the type is
    ``other`` with confidence 0.
    """
    body = contract.norm_text
    scores: dict[str, float] = {}
    for rule in requirements.types:
        scores[rule.kind] = (
            min(len(rule.body.findall(body)), 40) / 8 if rule.body is not None else 0.0
        )
    for title in _title_lines(contract):
        japanese = is_japanese(title)
        positions: dict[str, int] = {}
        for rule in requirements.types:
            hits = list(rule.title.finditer(title)) if rule.title is not None else []
            if hits:
                positions[rule.kind] = hits[-1].end() if japanese else -hits[0].start()
        if positions:
            for kind in positions:
                scores[kind] += 10
            scores[max(positions, key=positions.get)] += 10
            break
    for kind, weight in _heading_kinds(contract, requirements).items():
        scores[kind] += weight
    ranked = sorted(scores.values(), reverse=True)
    best = max(scores, key=scores.get)
    if ranked[0] <= 0:
        other = next((r for r in requirements.types if r.kind == "other"), requirements.types[-1])
        return other, 0.0
    rule = next(r for r in requirements.types if r.kind == best)
    second = ranked[1] if len(ranked) > 1 else 0.0
    return rule, round((ranked[0] - second) / ranked[0], 2)
