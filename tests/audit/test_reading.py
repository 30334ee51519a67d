"""The audit log reads as a record people read: sentences with names, labels and values in
the reader's language, before → after, local times; the CSV has headers in the reader's
language and the raw change as JSON only in its last column."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from mamori.assets import services as asset_services
from mamori.assets.models import Technology
from mamori.audit.models import AuditEntry
from mamori.audit.reading import EntryReader
from mamori.audit.services import audit_record, audit_verify
from mamori.core.actor import acting_as
from mamori.disclosures.models import Disclosure
from tests.assets import factories as make
from tests.partners import factories as partners

pytestmark = pytest.mark.django_db


def _read(entry: AuditEntry, language: str):
    with translation.override(language):
        [read] = EntryReader().read([AuditEntry.objects.get(pk=entry.pk)])
        return read


def _latest(object_type: str, action: str) -> AuditEntry:
    return AuditEntry.objects.filter(object_type=object_type, action=action).latest("seq")


@pytest.fixture
def revoked(officer):
    with acting_as(officer):
        person = make.person("山田 太郎")
        grant = make.grant(person, make.asset("焼成条件書"), granted_by=officer)
        asset_services.grant_revoke(grant=grant, revoked_by=officer, reason="退職の申出")
    return _latest("assets.accessgrant", "update")


def test_a_revoke_reads_as_a_sentence_with_names(revoked):
    ja = _read(revoked, "ja")
    assert ja.sentence == "佐藤 美咲がアクセス権「山田 太郎 → 焼成条件書」を取り消しました。"
    rows = {row.label: (row.old, row.new) for row in ja.rows}
    assert rows["取消者"] == ("—", "佐藤 美咲")
    assert rows["取消理由"] == ("—", "退職の申出")
    today = datetime.date.today()
    assert rows["取消日"][1] == f"{today.year}年{today.month}月{today.day}日"
    assert ja.parent == "人員「山田 太郎」"
    en = _read(revoked, "en")
    assert en.sentence == "佐藤 美咲 revoked the access grant “山田 太郎 → 焼成条件書”."
    assert ("revoked by", "—", "佐藤 美咲") in {(r.label, r.old, r.new) for r in en.rows}


@pytest.fixture
def disclosed(officer):
    with acting_as(officer):
        asset = make.asset("焼成条件書", secrecy_class=None)
        disclosure = Disclosure.objects.create(
            counterparty=partners.university("東都工業大学 材料研究室"),
            disclosed_on=datetime.date(2026, 12, 1),
            disclosed_by=make.person("鈴木 大輔"),
            purpose="共同研究の事前検討",
            method="meeting",
            warnings=[{"key": "no_nda", "ja": "秘密保持契約がない", "en": "No NDA"}],
        )
        disclosure.assets.add(asset)
    return disclosure


def test_a_disclosure_reads_with_names_and_labels_not_ids(disclosed):
    created = _latest("disclosures.disclosure", "create")
    ja = _read(created, "ja")
    assert ja.sentence.startswith("佐藤 美咲が情報提供「東都工業大学 材料研究室")
    rows = {row.label: row.new for row in ja.rows}
    assert rows["提供先"] == "東都工業大学 材料研究室"
    assert rows["提供者"] == "鈴木 大輔"
    assert rows["提供方法"] == "打合せ"
    assert rows["提供日"] == "2026年12月1日"
    assert rows["記録時の警告"] == "1件"
    added = _read(_latest("disclosures.disclosure", "update"), "ja")
    assert [(row.label, row.new) for row in added.rows] == [("情報（追加）", "焼成条件書")]
    en = _read(created, "en")
    assert en.sentence.startswith("佐藤 美咲 created the disclosure “東都工業大学 材料研究室")
    assert {row.label: row.new for row in en.rows}["method"] == "Meeting"
    for read in (ja, added, en):
        text = read.sentence + read.changes_text
        assert not re.search(r"\d→\d|\[|\{|_[a-z]", text), text


def test_a_deleted_object_keeps_its_name_and_old_entries_fall_back(officer):
    with acting_as(officer):
        technology = make.technology("固体電解質の焼成技術")
        pk = technology.pk
        Technology.objects.get(pk=pk).delete()
        # An entry written before names were recorded, of an object deleted since.
        old = audit_record(
            action="update", object_type="assets.technology", object_id=pk, object_repr=str(pk)
        )
    deleted = _latest("assets.technology", "delete")
    assert (
        _read(deleted, "ja").sentence == "佐藤 美咲が技術「固体電解質の焼成技術」を削除しました。"
    )
    assert (
        _read(deleted, "en").sentence == "佐藤 美咲 deleted the technology “固体電解質の焼成技術”."
    )
    assert _read(old, "ja").name == "固体電解質の焼成技術 (削除済み)"
    with acting_as(officer):
        gone = audit_record(
            action="update", object_type="assets.accessgrant", object_id=9999, object_repr="5→2"
        )
    assert _read(gone, "ja").name == "削除済み"
    assert _read(gone, "en").name == "deleted"


def test_the_page_shows_full_names_with_the_username_on_hover_and_local_times(
    client_as, auditor, revoked
):
    page = client_as(auditor).get(reverse("audit:log")).content.decode()
    assert "佐藤 美咲がアクセス権「山田 太郎 → 焼成条件書」を取り消しました。" in page
    assert '<span title="officer">佐藤 美咲</span>' in page
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "+00:00" not in visible and "assets.accessgrant" not in visible
    # The kinds filter: human names grouped by register.
    assert '<optgroup label="技術・情報資産">' in page
    assert '<option value="assets.accessgrant" >アクセス権</option>' in page


def test_the_csv_has_japanese_headers_and_json_only_in_the_last_column(
    client_as, auditor, revoked, disclosed
):
    response = client_as(auditor).get(reverse("audit:export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header[:3] == ["記録番号", "日時", "実行者"]
    assert header[-1] == "変更内容（JSON・システム連携用）"
    assert not any(re.fullmatch(r"[\x00-\x7f]+", title) for title in header)
    for row in rows[1:]:
        for cell in row[:-1]:
            assert not re.search(r"^\s*[\[{]|[\[{]\"", cell), cell
            assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", cell), cell
        json.loads(row[-1])
    revoke = next(row for row in rows if "を取り消しました" in row[header.index("概要")])
    assert revoke[header.index("対象の種類")] == "アクセス権"
    assert revoke[header.index("実行者")] == "佐藤 美咲"
    assert revoke[header.index("ユーザー名")] == "officer"
    assert audit_verify().ok


def test_a_stored_file_reads_by_the_name_it_was_given_not_the_storage_suffix():
    # The same evidence stored twice lands under its SHA-256 with the storage's random
    # suffix; the log shows the name the file was given, without that suffix.
    digest = "de1dd9278ce7708dc5f9ab92b28bbc0518a4ffb52034bf357974041de813c9d2"
    entry = audit_record(
        action="create",
        object_type="assessment.evidence",
        object_id="1",
        object_repr="証跡",
        changes={"file": f"evidence/{digest}_5hejzda.pdf"},
    )
    values = [row.new for row in _read(entry, "ja").rows]
    assert f"{digest}.pdf" in values
    assert not any("_5hejzda" in value for value in values)
