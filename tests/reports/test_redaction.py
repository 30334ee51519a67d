"""Finding messages for outside readers: names replaced, dates and counts kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mamori.engines.rules import RuleSpec, Severity
from mamori.engines.rules._model import LocalText
from mamori.findings.registry import specs
from mamori.reports.pdf.redaction import load_redaction, redacted_message

RULE = RuleSpec(
    id="test.rule",
    severity=Severity.HIGH,
    title=LocalText("テスト", "Test"),
    message=LocalText(
        "{person}は{date}に{counterparty}へ{count}件を提供しました（{reason}）。",
        "{person} gave {count} items to {counterparty} on {date} ({reason}).",
    ),
    fix=LocalText("直す", "Fix it"),
)
PARAMS = {
    "person": "山本 翔太",
    "counterparty": "株式会社ナノフィルムテック",
    "date": {"ja": "2026年11月1日", "en": "1 Nov 2026"},
    "count": 3,
    # A kept parameter that happens to carry a name: the objects' labels catch it.
    "reason": {"ja": "株式会社ナノフィルムテックの出資比率が高い", "en": "high share"},
}
REFS = [
    {"type": "people.person", "id": 1, "label": "山本 翔太"},
    {"type": "partners.counterparty", "id": 2, "label": "株式会社ナノフィルムテック"},
]


def test_names_become_placeholders_and_dates_and_counts_stay():
    message = redacted_message(RULE, PARAMS, REFS, "ja")
    assert message == "対象者は2026年11月1日に取引先へ3件を提供しました（取引先の出資比率が高い）。"


def test_the_english_placeholders():
    message = redacted_message(RULE, PARAMS, REFS, "en")
    assert message == "a person gave 3 items to a counterparty on 1 Nov 2026 (high share)."


def test_a_parameter_nobody_listed_is_withheld():
    rule = RuleSpec(
        id="test.new",
        severity=Severity.LOW,
        title=LocalText("t", "t"),
        message=LocalText("{newthing}です。", "It is {newthing}."),
        fix=LocalText("f", "f"),
    )
    assert redacted_message(rule, {"newthing": "秘密の名前"}, [], "ja") == "（非開示）です。"


def test_every_message_parameter_of_every_rule_is_kept_or_has_a_placeholder():
    redaction = load_redaction()
    listed = redaction.keep | redaction.placeholders.keys()
    unlisted = {
        f"{rule.id}: {name}"
        for rule in specs().rules.values()
        for text in (rule.message.ja, rule.message.en)
        for name in re.findall(r"{(\w+)", text)
        if name not in listed
    }
    assert not unlisted, "list these in reports/pdf/redaction.yaml"


def test_a_malformed_definition_is_refused(tmp_path: Path):
    path = tmp_path / "redaction.yaml"
    path.write_text("keep: [person]\nplaceholders:\n  person: {ja: 人, en: p}\n", "utf-8")
    with pytest.raises(ValueError, match="keys"):
        load_redaction.__wrapped__(path)
    path.write_text(
        "keep: [person]\nplaceholders:\n  person: {ja: 人, en: p}\ndefault: {ja: x, en: y}\n",
        "utf-8",
    )
    with pytest.raises(ValueError, match="person"):
        load_redaction.__wrapped__(path)
