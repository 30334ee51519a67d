"""``digest.yaml`` is checked when it is loaded: a wrong model, field, lookup, link or text
is named before any mail goes out."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mamori.notify.config import CONFIG_FILE, ConfigError, load_config

GOOD = {
    "key": "contract_ends",
    "model": "contracts.Contract",
    "date": "ends_on",
    "officer": "always",
    "label": "{title}",
    "link": {"url": "contracts:contract", "arg": "pk"},
}


def _write(tmp_path: Path, **changes) -> Path:
    source = {**GOOD, **changes}
    source = {key: value for key, value in source.items() if value is not None}
    path = tmp_path / "digest.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "due": [source]}), encoding="utf-8")
    return path


def test_the_shipped_rules_load():
    config = load_config(CONFIG_FILE)
    assert config.horizon_days == 14
    assert {source.key for source in config.due} >= {"checklist_row", "contract_ends"}
    assert "people.pledge_missing" in config.own_findings


def test_a_good_source_loads(tmp_path):
    (source,) = load_config(_write(tmp_path)).due
    assert source.values_fields() == ["pk", "ends_on", "title"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"key": "no_such_text"}, "has no text"),
        ({"model": "contracts.Nothing"}, "unknown model"),
        ({"date": "title"}, "is not a date field"),
        ({"label": "{counterparty__nonsense}"}, "contract_ends"),
        ({"label": "plain words"}, "names no field"),
        ({"label": "{title:shout}"}, "unknown label kind"),
        ({"filter": {"no_such_field": 1}}, "filter"),
        ({"link": {"url": "contracts:nowhere", "arg": "pk"}}, "cannot build links"),
        ({"officer": "sometimes"}, "officer must be one of"),
        ({"officer": "unowned"}, "without an owner must go to the officer"),
        ({"owner": "counterparty__name__x"}, "contract_ends"),
    ],
)
def test_a_bad_source_is_named(tmp_path, changes, message):
    with pytest.raises(ConfigError, match=message):
        load_config(_write(tmp_path, **changes))


def test_an_unknown_rule_in_own_findings_is_named(tmp_path):
    path = tmp_path / "digest.yaml"
    path.write_text("version: 1\nown_findings: [people.nothing]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"people\.nothing"):
        load_config(path)


def test_not_yaml_or_wrong_version(tmp_path):
    path = tmp_path / "digest.yaml"
    path.write_text("version: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="version: 1"):
        load_config(path)
    path.write_text("due: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"digest\.yaml"):
        load_config(path)
