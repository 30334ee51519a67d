"""The negotiation draft of a PDF or text contract: a new Word file that lists, under the
article each follows, the clauses to add, and for each weak clause the article, the quote,
the reason and the model wording."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime

from mamori.engines.clauses._model import CheckReport, Contract
from mamori.engines.clauses.redline import (
    ClauseText,
    Draft,
    article_number,
    comment_text,
    load_wording,
    needs_work,
    plan_insertions,
)

TEXTS = {
    "ja": {
        "title": "契約書修正案（mamori）",
        "intro": (
            "「{name}」（{date} チェック）に対し、次の条項の追加と見直しを提案します。"
            "条文例は mamori が用意した出発点です。最終的な文言は専門家に確認してください。"
        ),
        "add": "追加する条項",
        "after": "{after} の後に追加",
        "at_end": "末尾に追加",
        "review": "見直す条項",
        "quote": "現在の定め：「{quote}」",
        "none": "追加・見直しを要する条項はありません。",
    },
    "en": {
        "title": "Proposed amendments (mamori)",
        "intro": (
            "For “{name}” (checked on {date}) mamori proposes to add and to strengthen the "
            "clauses below. The model wordings are a starting point; have the final text "
            "checked by a lawyer."
        ),
        "add": "Clauses to add",
        "after": "To follow {after}",
        "at_end": "To add at the end",
        "review": "Clauses to strengthen",
        "quote": "Currently: “{quote}”",
        "none": "No clause needs to be added or strengthened.",
    },
}


def _numbered(articles) -> list[tuple[str, int, str]]:
    """Return (heading line, number, title) of the articles whose numbers grow."""
    found, last = [], 0
    for article in articles:
        number = article_number(article.label) or article.number
        if number is None or number <= last:
            continue
        heading = article.heading if article.heading != article.label else ""
        found.append((article.display, number, heading))
        last = number
    return found


def proposal_docx(
    *,
    name: str,
    report: CheckReport,
    contract: Contract,
    texts: Mapping[str, ClauseText],
    labels: Mapping[str, str],
    now: datetime,
) -> Draft:
    """Return a new Word file listing the proposed clauses under the articles they follow."""
    from docx import Document

    language = report.language if report.language in TEXTS else "ja"
    words = TEXTS[language]
    wording = load_wording()[language]
    vocabulary = wording.vocabulary(
        "\n".join(sentence.text for article in contract.articles for sentence in article.sentences)
        + "\n"
        + contract.header
    )
    articles = [article for article in contract.articles if article.kind == "article"]
    missing, weak = needs_work(report)
    _before, insertions = plan_insertions(
        _numbered(articles),
        missing,
        texts,
        language,
        vocabulary,
    )
    document = Document()
    document.add_heading(words["title"], level=0)
    document.add_paragraph(words["intro"].format(name=name, date=now.strftime("%Y-%m-%d")))
    if insertions:
        document.add_heading(words["add"], level=1)
        for insertion in insertions:
            where = words["at_end"]
            if insertion.after:
                where = words["after"].format(after=insertion.after)
            document.add_paragraph(where, style="Intense Quote")
            document.add_heading(insertion.heading, level=2)
            document.add_paragraph(insertion.text)
    if weak:
        document.add_heading(words["review"], level=1)
        for result in weak:
            document.add_heading(result.article or "—", level=2)
            if result.quote:
                document.add_paragraph(words["quote"].format(quote=result.quote))
            for text in comment_text(result, texts.get(result.key), language, labels, vocabulary):
                document.add_paragraph(text)
    if not insertions and not weak:
        document.add_paragraph(words["none"])
    buffer = io.BytesIO()
    document.save(buffer)
    return Draft(
        data=buffer.getvalue(),
        kind="list",
        inserted=insertions,
        commented=tuple(result.key for result in weak),
    )
