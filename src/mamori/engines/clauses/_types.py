"""Guess a contract's type from its title lines, the headings of its first articles and
its wording, with a confidence that reflects the margin between the best two guesses."""

from __future__ import annotations

import math
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


# The weights of the evidence. A title that names a kind weighs _TITLE, and the kind it names
# first (or last, in Japanese) _MAIN more; the wording weighs up to _BODY, shared among the
# kinds in proportion to their words, so that a contract whose wording is mostly of another
# kind than its title ("Supply Agreement" for contract manufacturing) can overturn it.
_TITLE = 10.0
_MAIN = 6.0
# The first operative articles' headings weigh 3, 2 and 1 times _HEADING.
_HEADING = 3.0
_BODY = 10.0
# Added to the wording's signs of all kinds, so that a word or two (one "recipient" in a
# contract that names no kind otherwise) cannot claim the wording's whole weight.
_BODY_PRIOR = 2.0
# The margin between the best two scores at which the confidence is 1 - 1/e (about 0.63).
_MARGIN_SCALE = 8.0


def _body_scores(contract: Contract, requirements: Requirements) -> dict[str, float]:
    """Return each kind's share of the wording's signs, times _BODY: what the parties do
    (make, license, research, buy and sell, serve) is said throughout a contract, and the
    kind whose words dominate it is its subject, however often the others are mentioned. A
    kind's signs are the logarithm of its words' count, so that one word repeated a hundred
    times does not drown the rest."""
    body = contract.norm_text
    signs = {
        rule.kind: math.log1p(len(rule.body.findall(body))) if rule.body is not None else 0.0
        for rule in requirements.types
    }
    total = sum(signs.values()) + _BODY_PRIOR
    return {kind: _BODY * sign / total for kind, sign in signs.items()}


def _title_scores(contract: Contract, requirements: Requirements) -> dict[str, float]:
    """Return the weight of each kind the first title line that names one names: _TITLE, and
    _MAIN more for the one nearest the end of a Japanese title (共同研究に関する秘密保持契約)
    or the start of an English one ("Manufacturing Outsourcing Agreement")."""
    for title in _title_lines(contract):
        japanese = is_japanese(title)
        positions: dict[str, int] = {}
        for rule in requirements.types:
            hits = list(rule.title.finditer(title)) if rule.title is not None else []
            if hits:
                positions[rule.kind] = hits[-1].end() if japanese else -hits[0].start()
        if positions:
            scores = dict.fromkeys(positions, _TITLE)
            scores[max(positions, key=positions.__getitem__)] += _MAIN
            return scores
    return {}


def guess_type(contract: Contract, requirements: Requirements) -> tuple[TypeRule, float]:
    """Return the contract type the title, the first headings and the wording point to, with
    a confidence 0–1 that grows with the margin between the best two scores: a title and
    wording that agree give near 1, a guess from the wording alone or a title the wording
    contradicts give less. Without any sign the type is ``other`` with confidence 0.
    """
    scores = _body_scores(contract, requirements)
    for kind, weight in _title_scores(contract, requirements).items():
        scores[kind] += weight
    for kind, weight in _heading_kinds(contract, requirements).items():
        scores[kind] += _HEADING * weight
    ranked = sorted(scores.values(), reverse=True)
    if not ranked or ranked[0] <= 0:
        other = next((r for r in requirements.types if r.kind == "other"), requirements.types[-1])
        return other, 0.0
    best = max(scores, key=scores.__getitem__)
    rule = next(r for r in requirements.types if r.kind == best)
    margin = ranked[0] - (ranked[1] if len(ranked) > 1 else 0.0)
    return rule, round(1 - math.exp(-margin / _MARGIN_SCALE), 2)
