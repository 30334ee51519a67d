"""Checklist rules: statuses, reasons, evidence files and links, progress by channel."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mamori.assessment import selectors, services
from mamori.assessment.models import ChecklistAnswer, Evidence
from mamori.assessment.services import NOT_APPLICABLE_NEEDS_REASON
from mamori.catalog.selectors import get_catalog
from mamori.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

ORGANISATION = "urn:mamori:row:common:organisation"
ACCESS = "urn:mamori:row:people:access-control"
TODAY = datetime.date(2026, 11, 26)


def test_not_applicable_needs_a_reason():
    with pytest.raises(ApplicationError) as error:
        services.answer_update(row_id=ACCESS, status="not_applicable")
    assert error.value.message == NOT_APPLICABLE_NEEDS_REASON
    assert not ChecklistAnswer.objects.exists()
    answer = services.answer_update(
        row_id=ACCESS, status="not_applicable", not_applicable_reason="社員がいない"
    )
    assert answer.not_applicable_reason == "社員がいない"


def test_the_reason_is_dropped_when_the_row_applies_again():
    services.answer_update(row_id=ACCESS, status="not_applicable", not_applicable_reason="x")
    answer = services.answer_update(row_id=ACCESS, status="in_progress", not_applicable_reason="x")
    assert answer.not_applicable_reason == ""


def test_unknown_rows_and_statuses_are_refused():
    with pytest.raises(ApplicationError):
        services.answer_update(row_id="urn:mamori:row:nope", status="done")
    with pytest.raises(ApplicationError):
        services.answer_update(row_id=ACCESS, status="finished")


def test_evidence_file_is_stored_under_a_generated_name_with_its_digest(editor):
    evidence = services.evidence_add_file(
        row_id=ORGANISATION,
        added_by=editor,
        upload=SimpleUploadedFile("../../etc/任命書.txt", "任命書".encode()),
        effective_date=TODAY,
    )
    assert evidence.original_name == "任命書.txt" and evidence.title == "任命書.txt"
    assert evidence.size == len("任命書".encode())
    assert evidence.file.name.startswith(f"evidence/{evidence.sha256[:2]}/")
    assert evidence.file.read() == "任命書".encode()


def test_empty_and_oversized_files_are_refused_and_nothing_is_stored(editor, settings):
    settings.MAMORI_MAX_UPLOAD_BYTES = 10
    for upload, words in (
        (SimpleUploadedFile("空.txt", b""), "空のファイル"),
        (SimpleUploadedFile("大きい.pdf", b"x" * 11), "上限"),
    ):
        with pytest.raises(ApplicationError) as error:
            services.evidence_add_file(
                row_id=ORGANISATION, added_by=editor, upload=upload, effective_date=TODAY
            )
        assert words in str(error.value) and upload.name in str(error.value)
    assert not Evidence.objects.exists()


def test_links_must_be_web_addresses(editor):
    with pytest.raises(ApplicationError) as error:
        services.evidence_add_link(
            row_id=ORGANISATION,
            added_by=editor,
            url="javascript:alert(1)",
            title="規程",
            effective_date=TODAY,
        )
    assert error.value.field == "url"


def test_deleting_evidence_removes_its_file_after_commit(
    editor, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add_file(
        row_id=ORGANISATION,
        added_by=editor,
        upload=SimpleUploadedFile("a.txt", b"abc"),
        effective_date=TODAY,
    )
    storage, name = evidence.file.storage, evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=evidence)
    assert not storage.exists(name)


def test_progress_counts_done_rows_among_applicable_ones(officer_appointed):
    services.answer_update(row_id=ORGANISATION, status="done")
    services.answer_update(row_id=ACCESS, status="in_progress")
    services.answer_update(
        row_id="urn:mamori:row:people:information-rules",
        status="not_applicable",
        not_applicable_reason="一人会社",
    )
    groups = {g.channel.id: g for g in selectors.progress_by_channel(get_catalog(), "seed_early")}
    assert (groups["common"].done, groups["common"].applicable) == (1, 3)
    assert (groups["people"].in_progress, groups["people"].applicable) == (1, 1)
    assert groups["people"].percent == 0
    assert sum(g.total for g in groups.values()) == 11


def test_overview_carries_over_undone_rows_and_previews_the_next_stage():
    catalog = get_catalog()
    theme = "urn:mamori:row:joint_research:theme-selection"
    services.answer_update(
        row_id=theme, status="not_applicable", not_applicable_reason="共同研究の予定はない"
    )
    overview = selectors.stage_overview(catalog, "middle")
    carried = {state.row.id for _, state in overview.carry_over}
    assert theme not in carried
    assert "urn:mamori:row:people:information-rules" in carried
    assert ORGANISATION not in carried  # common rows belong to the current stage too
    assert len(carried) == 7
    assert overview.next_stage.id == "later" and len(overview.next_rows) == 7
    assert selectors.stage_overview(catalog, "later").next_stage is None
