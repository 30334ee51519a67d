"""A done row is held to its register check: 完了 → 要再確認 while the registers stop
supporting it (it no longer counts as done anywhere), → 完了 again when they support it
again or the officer records an exception — each change in the row's history."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from mamori.assessment import selectors, services
from mamori.assessment.models import ChecklistAnswer, Status, StatusChange
from mamori.assets import services as asset_services
from mamori.catalog.selectors import get_catalog
from mamori.core.errors import ApplicationError
from mamori.exchange.sources import checklist_rows
from mamori.lifecycle import services as lifecycle_services
from mamori.reports.pdf.content import report_content
from tests.findings import factories as f

pytestmark = pytest.mark.django_db

ROW = "urn:mamori:row:people:access-control"
LEAVER_REASON = "退職者・退職予定者にアクセス権が残っている (1)"


@pytest.fixture
def done_row(officer, company_at_stage):
    """The access-control row marked done while the registers support it; returns the
    grant whose holder can then give notice."""
    company_at_stage("seed_early")
    asset = f.asset("電解液の配合表")
    f.grant(f.person("小林 拓也"), asset)  # someone keeps access after the leaver's is revoked
    grant = f.grant(f.person("中村 彩"), asset)
    services.answer_update(row_id=ROW, status=Status.DONE)
    return grant


def _status() -> str:
    return selectors.answer_for_row(ROW).status


def _break(grant) -> None:
    lifecycle_services.person_give_notice(person=grant.person, notice_on=f.today())


def _mend(grant, officer) -> None:
    asset_services.grant_revoke(grant=grant, revoked_by=officer, reason="退職のため")


def _people_progress(client) -> str:
    page = client.get("/").content.decode()
    return dict(re.findall(r'data-channel="([a-z_]+)">([^<]+)<', page))["people"]


def test_done_becomes_needs_review_and_done_again_with_the_history(done_row, officer, client_as):
    assert _status() == Status.DONE

    _break(done_row)
    answer = selectors.answer_for_row(ROW)  # reading brings the findings up to date
    assert answer.status == Status.NEEDS_REVIEW
    assert LEAVER_REASON in answer.review_reason and answer.review_since is not None
    change = StatusChange.objects.get(answer=answer)
    assert (change.from_status, change.to_status) == (Status.DONE, Status.NEEDS_REVIEW)
    assert change.changed_by is None and LEAVER_REASON in change.reason

    page = client_as(officer).get(f"/checklist/rows/{ROW}/").content.decode()
    assert "data-needs-review" in page and "要再確認" in page and LEAVER_REASON in page
    assert "data-status-changes" in page

    _mend(done_row, officer)
    answer = selectors.answer_for_row(ROW)
    assert answer.status == Status.DONE and answer.review_reason == ""
    back = StatusChange.objects.filter(answer=answer).order_by("-pk").first()
    assert (back.from_status, back.to_status) == (Status.NEEDS_REVIEW, Status.DONE)
    assert back.reason == "登録簿が再びこの項目を裏付けています。"
    assert StatusChange.objects.filter(answer=answer).count() == 2
    # The audit log attributes the automatic changes to mamori, not to the reader.
    history = [entry.actor_label for entry in selectors_history(answer)]
    assert "mamori" in history


def selectors_history(answer):
    from mamori.audit.selectors import history_for

    return history_for(answer)


def test_needs_review_does_not_count_as_done_anywhere(done_row, officer, client_as):
    client = client_as(officer)
    assert _people_progress(client).startswith("1/")
    _break(done_row)

    assert _people_progress(client).startswith("0/")
    overview = selectors.stage_overview(get_catalog(), "seed_early")
    assert overview.done == 0 and overview.needs_review == 1

    content = report_content(user=None, outside=False, language="ja")
    assert content.rows_done == 0
    line = next(line for line in content.checklist if line.title == _title())
    assert line.status_label == "要再確認"

    exported = next(row for row in checklist_rows(officer) if row["row_id"] == ROW)
    assert exported["status"] == "要再確認"

    _mend(done_row, officer)
    assert _people_progress(client).startswith("1/")
    assert report_content(user=None, outside=False, language="ja").rows_done == 1


def _title() -> str:
    return get_catalog().row(ROW).title.ja


def test_the_officers_exception_makes_it_done_and_removing_it_needs_review_again(
    done_row, officer, client_as
):
    _break(done_row)
    assert _status() == Status.NEEDS_REVIEW
    reason = "退職日まで業務上必要（取締役会承認）"
    response = client_as(officer).post(
        f"/checklist/rows/{ROW}/", {"action": "exception", "reason": reason}
    )
    assert response.status_code == 302
    assert _status() == Status.DONE
    change = StatusChange.objects.order_by("-pk").first()
    assert change.changed_by == officer and "退職日まで業務上必要" in change.reason

    services.answer_record_exception(row_id=ROW, reason="", recorded_by=officer)
    assert _status() == Status.NEEDS_REVIEW


def test_needs_review_is_set_by_mamori_not_chosen(done_row, officer, client_as):
    with pytest.raises(ApplicationError):
        services.answer_update(row_id=ROW, status=Status.NEEDS_REVIEW)
    _break(done_row)
    assert _status() == Status.NEEDS_REVIEW
    # Editing the owner of a row that needs review keeps the status.
    services.answer_update(row_id=ROW, status=Status.NEEDS_REVIEW, owner=officer)
    assert _status() == Status.NEEDS_REVIEW
    # Choosing "in progress" is allowed and clears the review note.
    services.answer_update(row_id=ROW, status=Status.IN_PROGRESS)
    answer = ChecklistAnswer.objects.get(row_id=ROW)
    assert answer.status == Status.IN_PROGRESS and answer.review_reason == ""
    # A row in progress is not turned back into done by the check.
    _mend(done_row, officer)
    assert _status() == Status.IN_PROGRESS


def test_not_applicable_rows_are_not_checked(officer, company_at_stage):
    company_at_stage("seed_early")
    services.answer_update(
        row_id=ROW, status=Status.NOT_APPLICABLE, not_applicable_reason="社員がいない"
    )
    assert services.checklist_recheck() == []
    assert _status() == Status.NOT_APPLICABLE


def test_the_nightly_command_reports_what_changed(done_row, capsys):
    # A change whose findings were not evaluated yet (nobody read a page).
    _break(done_row)
    call_command("checklist", "recheck")
    out = capsys.readouterr().out
    assert "完了 → 要再確認" in out and "1 row(s) changed status." in out
    call_command("checklist", "recheck")
    assert "0 row(s) changed status." in capsys.readouterr().out
