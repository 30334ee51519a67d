"""The audit log keeps the values of an asset's secret details but shows them only to
those who may see the details (problem 1): the auditor without a grant reads that the
storage location changed, not what it is, on the page and in the CSV; the officer and a
grant holder read the values; the chain of hashes is untouched."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from mamori.assets import services
from mamori.audit.models import AuditEntry
from mamori.audit.selectors import HIDDEN, SecretMask
from mamori.audit.services import audit_verify
from mamori.core.actor import acting_as
from tests.assets import factories as make

pytestmark = pytest.mark.django_db

OLD = "研究開発部 共有サーバー /secret/process"
NEW = "第二実験棟B-17の金庫"


@pytest.fixture
def moved(officer):
    with acting_as(officer):
        asset = make.asset("焼成条件書", storage_location=OLD)
        services.asset_save(asset=asset, storage_location=NEW, name="焼成条件書（改）")
    return asset


def _csv_changes(content: bytes) -> list[dict]:
    header, *rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    kind, action = header.index("対象の種類"), header.index("操作")
    return [
        json.loads(row[-1]) for row in rows if row[kind] == "情報資産" and row[action] == "変更"
    ]


def test_the_auditor_without_a_grant_sees_that_details_changed_but_not_to_what(
    client_as, auditor, moved
):
    client = client_as(auditor)
    page = client.get(reverse("audit:log")).content.decode()
    assert OLD not in page and NEW not in page
    assert "焼成条件書（改）" in page  # the name is not secret
    assert "保管場所" in page  # which field changed is shown
    response = client.get(reverse("audit:export"))
    content = b"".join(response.streaming_content)
    assert OLD.encode() not in content and NEW.encode() not in content
    [changes] = _csv_changes(content)
    assert changes["storage_location"] in {
        "Hidden (need-to-know)",
        "非表示（知る必要のある人のみ）",
    }
    assert changes["name"] == ["焼成条件書", "焼成条件書（改）"]


def test_the_officer_and_a_grant_holder_read_the_values(client_as, officer, auditor, moved):
    assert NEW in client_as(officer).get(reverse("audit:log")).content.decode()
    make.grant(make.person("監査 担当", user=auditor), moved)
    client = client_as(auditor)
    assert NEW in client.get(reverse("audit:log")).content.decode()
    [changes] = _csv_changes(b"".join(client.get(reverse("audit:export")).streaming_content))
    assert changes["storage_location"] == [OLD, NEW]


def test_masking_changes_nothing_stored_and_the_chain_verifies(auditor, moved):
    entries = AuditEntry.objects.filter(object_type="assets.informationasset", action="update")
    entry = entries.order_by("seq").last()
    mask = SecretMask(auditor)
    masked = mask.apply(AuditEntry.objects.get(pk=entry.pk))
    assert masked.changes["storage_location"] == mask.hidden == str(HIDDEN)
    assert AuditEntry.objects.get(pk=entry.pk).changes["storage_location"] == [OLD, NEW]
    assert audit_verify().ok


def test_the_command_line_export_has_every_value(moved, tmp_path):
    target = tmp_path / "audit.csv"
    call_command("audit", "export", "-o", str(target), verbosity=0)
    [changes] = _csv_changes(target.read_bytes())
    assert changes["storage_location"] == [OLD, NEW]
