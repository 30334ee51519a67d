"""``mamori findings``: the text listing and the JSON shape scripts rely on."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from mamori.findings.registry import specs
from mamori.lifecycle import services as lifecycle_services
from tests.findings import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver():
    person = f.person("高橋 健")
    f.grant(person, f.asset("電解液の配合表"))
    lifecycle_services.person_give_notice(person=person, notice_on=f.today())
    return person


def _json(capsys, *args: str) -> list[dict]:
    call_command("findings", "--format", "json", *args)
    return json.loads(capsys.readouterr().out)


def test_json_is_a_list_of_rule_severity_message_and_objects(capsys, leaver):
    data = _json(capsys)
    assert isinstance(data, list) and data
    for item in data:
        assert {"rule", "severity", "message", "objects"} <= item.keys()
        assert item["severity"] in {"critical", "high", "medium", "low"}
        assert isinstance(item["message"], str) and item["message"]
        for ref in item["objects"]:
            assert set(ref) == {"type", "id", "label"}
    [leaver_finding] = [item for item in data if item["rule"] == "assets.leaver_holds_access"]
    assert leaver_finding["severity"] == "critical"
    assert "高橋 健" in leaver_finding["message"]
    assert leaver_finding["objects"][0] == {
        "type": "people.person",
        "id": leaver.pk,
        "label": "高橋 健",
    }
    assert {"type": "assets.informationasset", "label": "電解液の配合表"}.items() <= (
        leaver_finding["objects"][1].items()
    )
    # Worst first.
    ranks = {"critical": 4, "high": 3, "medium": 2, "low": 1}
    severities = [ranks[item["severity"]] for item in data]
    assert severities == sorted(severities, reverse=True)


def test_json_in_english(capsys, leaver):
    [item] = [
        i for i in _json(capsys, "--language", "en") if i["rule"] == "assets.leaver_holds_access"
    ]
    assert item["message"].startswith("高橋 健 (") and "still holds access to 1" in item["message"]


def test_json_of_a_clean_register_is_an_empty_list(capsys):
    assert _json(capsys) == []


def test_text_lists_each_finding_with_its_fix_and_a_summary(capsys, leaver):
    call_command("findings")
    out = capsys.readouterr().out
    assert "[critical] 高橋 健" in out and "→ " in out
    assert "open finding(s)" in out.splitlines()[-1]


def test_progress_goes_to_stderr_and_json_stays_clean(leaver):
    out, err = io.StringIO(), io.StringIO()
    call_command("findings", "--format", "json", stdout=out, stderr=err)
    assert any(item["rule"] == "assets.leaver_holds_access" for item in json.loads(out.getvalue()))
    rules = len(specs().rules)
    assert "ルールを評価中" in err.getvalue() and f"{rules}/{rules}" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("findings", "-v", "0", stdout=out, stderr=err)
    assert err.getvalue() == "" and "open finding(s)" in out.getvalue().splitlines()[-1]
