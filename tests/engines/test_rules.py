"""The plain-Python rule core: loading specifications, matching functions, runs, checks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mamori.engines.rules import (
    Finding,
    Hit,
    ObjectRef,
    Registry,
    RuleError,
    Severity,
    load_specs,
    resolve_params,
)

RULES_YAML = Path(__file__).resolve().parents[2] / "src" / "mamori" / "findings" / "rules.yaml"

VALID = """\
version: 1
rules:
  - id: a.bad
    severity: high
    title: {ja: 悪い, en: Bad}
    message: {ja: "{who}が悪い", en: "{who} is bad"}
    fix: {ja: 直す, en: Fix it}
    rows: [urn:row:one]
    subject: people.person
    reads: {people.person: id, people.pledge: person}
    owner: manager
    route: {name: "people:person", kwargs: {pk: subject}, anchor: pledges}
  - id: b.worse
    severity: critical
    title: {ja: もっと悪い, en: Worse}
    message: {ja: "{who}はもっと悪い", en: "{who} is worse"}
    fix: {ja: すぐ直す, en: Fix it now}
    reads: {people.person: "*"}
  - id: c.minor
    severity: low
    title: {ja: 軽微, en: Minor}
    message: {ja: 軽微, en: Minor}
    fix: {ja: いつか, en: Some day}
    reads: {people.person: "*"}
requirements:
  - id: has.things
    text: {ja: 何かある, en: Something exists}
checks:
  - row: urn:row:one
    requirements: [has.things]
    rules: [a.bad, b.worse]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _registry(hits: dict[str, list[Hit]], requirement: bool = True) -> Registry:
    registry = Registry()
    for rule_id, rule_hits in hits.items():
        registry.rule(rule_id)(lambda ctx, rule_hits=rule_hits: iter(rule_hits))
    registry.requirement("has.things")(lambda ctx: requirement)
    return registry


def _hit(label: str, pk: int = 1, **params) -> Hit:
    return Hit(objects=(ObjectRef("people.person", pk, label),), params={"who": label, **params})


# --- load_specs ----------------------------------------------------------------------------


def test_the_shipped_rule_file_loads():
    specs = load_specs(RULES_YAML)
    assert "assets.leaver_holds_access" in specs.rules
    assert specs.rules["assets.leaver_holds_access"].severity is Severity.CRITICAL
    assert "urn:mamori:row:people:access-control" in specs.checks
    for check in specs.checks.values():
        for rule_id in check.rules:
            assert check.row in specs.rules[rule_id].rows


def test_a_valid_file_is_parsed_into_typed_specs(tmp_path):
    specs = load_specs(_write(tmp_path, VALID))
    rule = specs.rules["a.bad"]
    assert rule.severity is Severity.HIGH and rule.rows == ("urn:row:one",)
    assert rule.title.get("ja") == "悪い" and rule.title.get("en-gb") == "Bad"
    assert specs.checks["urn:row:one"].requirements == ("has.things",)
    assert rule.subject == "people.person" and rule.owner == "manager"
    assert rule.reads_model("people.pledge") == "person"
    assert rule.reads_model("assets.accessgrant") is None
    assert specs.rules["b.worse"].reads_model("people.person") == "*"
    assert rule.route is not None and rule.route.kwargs == (("pk", "subject"),)
    assert specs.rules["c.minor"].owner == "officer" and specs.rules["c.minor"].route is None


def _broken(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("version: 2\nrules: []\n", "expected a mapping with 'version: 1'"),
        ("- just a list\n", "expected a mapping with 'version: 1'"),
        ("version: 1\nrules: [\n", "rules.yaml:"),
        (_broken("  - id: a.bad\n", "  - idx: a.bad\n"), "rules[0].id: missing or duplicate"),
        (_broken("  - id: b.worse\n", "  - id: a.bad\n"), "rules[1].id: missing or duplicate"),
        (
            _broken("severity: high", "severity: urgent"),
            "rules[0].severity: unknown severity 'urgent'",
        ),
        (
            _broken("title: {ja: 悪い, en: Bad}", "title: {ja: 悪い}"),
            "rules[0].title: needs 'ja' and 'en'",
        ),
        (
            _broken('message: {ja: "{who}が悪い", en: "{who} is bad"}', "message: 悪い"),
            "rules[0].message",
        ),
        (_broken("fix: {ja: 直す, en: Fix it}", "fix: {en: Fix it}"), "rules[0].fix"),
        (
            _broken("    reads: {people.person: id, people.pledge: person}\n", ""),
            "rules[0].reads: needs the models the rule reads",
        ),
        (
            _broken("    subject: people.person\n", ""),
            "rules[0].reads.people.person: a path to the subject needs 'subject'",
        ),
        (_broken("people.pledge: person", "Pledge: person"), "'Pledge' is not a model label"),
        (_broken('route: {name: "people:person", ', "route: {"), "rules[0].route.name: missing"),
        (_broken("  - id: has.things\n", "  - id:\n"), "requirements[0].id: missing or duplicate"),
        (_broken("text: {ja: 何かある, en: Something exists}", "text: {}"), "requirements[0].text"),
        (_broken("  - row: urn:row:one\n", "  - rows: urn:row:one\n"), "checks[0].row: missing"),
        (
            _broken("rules: [a.bad, b.worse]", "rules: [a.bad, z.unknown]"),
            "checks[0].rules: unknown 'z.unknown'",
        ),
        (
            _broken("requirements: [has.things]", "requirements: [no.such]"),
            "checks[0].requirements: unknown 'no.such'",
        ),
    ],
)
def test_errors_name_the_entry_and_field(tmp_path, text, where):
    with pytest.raises(RuleError) as error:
        load_specs(_write(tmp_path, text))
    assert where in str(error.value)
    assert isinstance(error.value, ValueError)


def test_a_missing_file_is_a_rule_error(tmp_path):
    with pytest.raises(RuleError, match=r"missing\.yaml"):
        load_specs(tmp_path / "missing.yaml")


# --- Registry.validate ---------------------------------------------------------------------


def test_validate_accepts_an_exact_match(tmp_path):
    specs = load_specs(_write(tmp_path, VALID))
    _registry({"a.bad": [], "b.worse": [], "c.minor": []}).validate(specs)


@pytest.mark.parametrize(
    ("rules", "requirement_registered", "message"),
    [
        (["a.bad", "b.worse"], True, "rules without a function: ['c.minor']"),
        (
            ["a.bad", "b.worse", "c.minor", "d.extra"],
            True,
            "rules without a specification: ['d.extra']",
        ),
        (["a.bad", "b.worse", "c.minor"], False, "requirements without a function: ['has.things']"),
    ],
)
def test_validate_names_what_does_not_match(tmp_path, rules, requirement_registered, message):
    specs = load_specs(_write(tmp_path, VALID))
    registry = Registry()
    for rule_id in rules:
        registry.rule(rule_id)(lambda ctx: iter(()))
    if requirement_registered:
        registry.requirement("has.things")(lambda ctx: True)
    with pytest.raises(RuleError) as error:
        registry.validate(specs)
    assert message in str(error.value)


def test_a_requirement_without_a_specification_is_named(tmp_path):
    specs = load_specs(_write(tmp_path, VALID))
    registry = _registry({"a.bad": [], "b.worse": [], "c.minor": []})
    registry.requirement("other.thing")(lambda ctx: True)
    with pytest.raises(RuleError, match=r"requirements without a specification: \['other.thing'\]"):
        registry.validate(specs)


def test_registering_an_id_twice_is_refused():
    registry = Registry()
    registry.rule("a.bad")(lambda ctx: iter(()))
    with pytest.raises(RuleError, match=r"'a\.bad' registered twice"):
        registry.rule("a.bad")(lambda ctx: iter(()))
    registry.requirement("has.things")(lambda ctx: True)
    with pytest.raises(RuleError, match=r"'has\.things' registered twice"):
        registry.requirement("has.things")(lambda ctx: True)


# --- Registry.run ----------------------------------------------------------------------------


def test_run_returns_findings_worst_first_then_by_rule_then_label(tmp_path):
    specs = load_specs(_write(tmp_path, VALID))
    registry = _registry(
        {
            "a.bad": [_hit("鈴木", 2), _hit("佐藤", 1)],
            "b.worse": [_hit("田中", 3)],
            "c.minor": [Hit(objects=())],
        }
    )
    findings = registry.run(specs, context=None)
    assert [(f.rule.id, f.objects[0].label if f.objects else "") for f in findings] == [
        ("b.worse", "田中"),
        ("a.bad", "佐藤"),
        ("a.bad", "鈴木"),
        ("c.minor", ""),
    ]
    assert [f.severity for f in findings] == [
        Severity.CRITICAL,
        Severity.HIGH,
        Severity.HIGH,
        Severity.LOW,
    ]


def test_run_passes_the_context_and_can_run_only_some_rules(tmp_path):
    specs = load_specs(_write(tmp_path, VALID))
    seen = []
    registry = Registry()
    registry.rule("a.bad")(lambda ctx: seen.append(ctx) or iter([_hit("鈴木")]))
    registry.rule("b.worse")(lambda ctx: pytest.fail("not asked for"))
    registry.rule("c.minor")(lambda ctx: pytest.fail("not asked for"))
    findings = registry.run(specs, context="today", only=["a.bad"])
    assert seen == ["today"] and [f.rule.id for f in findings] == ["a.bad"]


def test_findings_format_messages_and_keep_a_stable_key(tmp_path):
    specs = load_specs(_write(tmp_path, VALID))
    rule = specs.rules["a.bad"]
    finding = Finding(
        rule=rule, objects=_hit("鈴木").objects, params={"who": {"ja": "鈴木", "en": "Suzuki"}}
    )
    assert finding.message("ja") == "鈴木が悪い" and finding.message("en") == "Suzuki is bad"
    assert finding.fix("en") == "Fix it"
    same_subject = Finding(rule=rule, objects=_hit("鈴木（改名）").objects, params={})
    other_subject = Finding(rule=rule, objects=_hit("佐藤", 2).objects, params={})
    other_rule = Finding(rule=specs.rules["b.worse"], objects=_hit("鈴木").objects, params={})
    assert finding.key == same_subject.key
    assert len({finding.key, other_subject.key, other_rule.key}) == 3


def test_resolve_params_picks_the_language_and_leaves_plain_values():
    params = {"who": {"ja": "鈴木", "en": "Suzuki"}, "count": 3, "raw": {"ja": "だけ"}}
    assert resolve_params(params, "en-us") == {"who": "Suzuki", "count": 3, "raw": {"ja": "だけ"}}
    assert resolve_params(params, "ja")["who"] == "鈴木"


def test_severity_parses_names_and_refuses_others():
    assert Severity.parse("Critical") is Severity.CRITICAL and Severity.HIGH.label == "high"
    with pytest.raises(ValueError, match="unknown severity 'urgent'"):
        Severity.parse("urgent")


# --- Registry.check ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requirement", "counts", "satisfied", "reasons"),
    [
        (True, {}, True, []),
        (True, {"c.minor": 5}, True, []),  # a rule the row does not check
        (False, {}, False, ["何かある"]),
        (True, {"a.bad": 2}, False, ["悪い (2)"]),
        (False, {"a.bad": 1, "b.worse": 3}, False, ["何かある", "悪い (1)", "もっと悪い (3)"]),
    ],
)
def test_check_combines_requirements_and_open_findings(
    tmp_path, requirement, counts, satisfied, reasons
):
    specs = load_specs(_write(tmp_path, VALID))
    registry = _registry({"a.bad": [], "b.worse": [], "c.minor": []}, requirement=requirement)
    result = registry.check(specs, "urn:row:one", context=None, open_counts=counts)
    assert result.satisfied is satisfied
    assert result.reasons(specs.rules, "ja") == reasons
    assert set(result.open_findings) == {"a.bad", "b.worse"}


def test_check_of_a_row_without_a_check_is_none(tmp_path):
    specs = load_specs(_write(tmp_path, VALID))
    assert _registry({}).check(specs, "urn:row:other", context=None, open_counts={}) is None


def test_check_reasons_in_english(tmp_path):
    specs = load_specs(_write(tmp_path, VALID))
    registry = _registry({}, requirement=False)
    result = registry.check(specs, "urn:row:one", context=None, open_counts={"b.worse": 1})
    assert result.reasons(specs.rules, "en") == ["Something exists", "Worse (1)"]


APP_FILE = """\
version: 1
rules:
  - id: app.worse
    severity: critical
    title: {ja: もっと悪い, en: Worse}
    message: {ja: "{x}", en: "{x}"}
    fix: {ja: 直す, en: Fix it}
    reads: {people.person: "*"}
requirements:
  - id: app.has.more
    text: {ja: もっとある, en: More exist}
checks:
  - row: urn:row:one
    requirements: [app.has.more]
    rules: [app.worse]
"""


def test_an_apps_file_adds_rules_and_extends_a_rows_check(tmp_path):
    main = _write(tmp_path, VALID)
    app = tmp_path / "findings.yaml"
    app.write_text(APP_FILE, encoding="utf-8")
    specs = load_specs(main, app)
    check = specs.checks["urn:row:one"]
    assert check.requirements == ("has.things", "app.has.more")
    assert "a.bad" in check.rules and "app.worse" in check.rules


def test_the_same_rule_id_in_two_files_is_refused_naming_the_second(tmp_path):
    main = _write(tmp_path, VALID)
    app = tmp_path / "findings.yaml"
    app.write_text(APP_FILE.replace("app.worse", "a.bad"), encoding="utf-8")
    with pytest.raises(RuleError) as error:
        load_specs(main, app)
    assert "findings.yaml: rules[0].id" in str(error.value)
