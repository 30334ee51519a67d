"""Writes to the checklist: status, owner, due date, evidence and comments.

A done row is only as good as the registers behind it: ``checklist_recheck`` turns a done
row whose register check fails into "needs review" (it stops counting as done) and back to
done when the check passes again, each time with a ``StatusChange`` that says when and
why. It runs after every evaluation of the findings (the ``findings_evaluated`` signal,
connected in ``apps.py``), so on every register change that matters and on the nightly
``mamori findings`` / ``mamori checklist recheck`` run. Rows marked not applicable are
never checked; a row with the officer's exception counts as done whatever the check says.
"""

from __future__ import annotations

import datetime
import mimetypes

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.assessment.models import ChecklistAnswer, Comment, Evidence, Status, StatusChange
from mamori.catalog.selectors import get_catalog
from mamori.core.actor import Actor, acting_as
from mamori.core.errors import ApplicationError
from mamori.core.uploads import save_with_file, upload_check, upload_sha256
from mamori.engines.rules import CheckResult
from mamori.findings.registry import specs
from mamori.findings.selectors import derived_check, derived_checks

NOT_APPLICABLE_NEEDS_REASON = gettext_lazy("Say why this row does not apply to the company.")
DERIVED_CHECK_FAILS = gettext_lazy(
    "The registers do not yet support marking this row done: %(reasons)s. "
    "Fix these first, or ask the officer to record an exception."
)
EXCEPTION_NEEDS_REASON = gettext_lazy("Say why the row counts as done despite the registers.")
NEEDS_REVIEW_IS_SET_BY_CHECK = gettext_lazy(
    "mamori sets “needs review” itself when the registers stop supporting a done row; "
    "choose another status."
)
REVIEW_REASON = gettext_lazy(
    "The registers no longer support this row. Not met or still open: %(reasons)s"
)
SUPPORTED_AGAIN = gettext_lazy("The registers support this row again.")
EXCEPTION_RECORDED = gettext_lazy("The officer recorded an exception: %(reason)s")

# Changes made by the re-check are attributed to mamori itself in the audit log, not to
# whoever's page read happened to trigger the evaluation.
RECHECK_ACTOR = Actor(user_id=None, label="mamori")


def _check_row(row_id: str) -> None:
    if not get_catalog().has_row(row_id):
        raise ApplicationError(_("Unknown checklist row “%(row)s”.") % {"row": row_id})


def _answer_for(row_id: str) -> ChecklistAnswer:
    """Return the row's answer, created (not started) when the row has none yet."""
    _check_row(row_id)
    answer, _created = ChecklistAnswer.objects.select_for_update().get_or_create(row_id=row_id)
    return answer


@transaction.atomic
def answer_update(
    *,
    row_id: str,
    status: str,
    not_applicable_reason: str = "",
    owner: User | None = None,
    due_date: datetime.date | None = None,
) -> ChecklistAnswer:
    """Set a row's status, owner and due date.

    Raise ``ApplicationError`` when the row is unknown or a row marked not applicable
    has no reason.
    """
    if status not in Status.values:
        raise ApplicationError(_("Unknown status."), field="status")
    reason = not_applicable_reason.strip()
    if status == Status.NOT_APPLICABLE and not reason:
        raise ApplicationError(NOT_APPLICABLE_NEEDS_REASON, field="not_applicable_reason")
    _check_row(row_id)
    # A row answered for the first time is created with its values in one write, so that
    # the audit log shows one creation rather than a creation and an update.
    answer = ChecklistAnswer.objects.select_for_update().filter(row_id=row_id).first()
    answer = answer or ChecklistAnswer(row_id=row_id)
    if status == Status.NEEDS_REVIEW and answer.status != Status.NEEDS_REVIEW:
        raise ApplicationError(NEEDS_REVIEW_IS_SET_BY_CHECK, field="status")
    if status != Status.NEEDS_REVIEW:
        answer.review_reason, answer.review_since = "", None
    if status == Status.DONE and not answer.exception_reason:
        check = derived_check(row_id)
        if check is not None and not check.satisfied:
            reasons = "; ".join(check.reasons(specs().rules, translation.get_language() or "ja"))
            raise ApplicationError(DERIVED_CHECK_FAILS % {"reasons": reasons}, field="status")
    answer.status = status
    answer.not_applicable_reason = reason if status == Status.NOT_APPLICABLE else ""
    answer.owner = owner
    answer.due_date = due_date
    answer.save()
    return answer


@transaction.atomic
def answer_record_exception(*, row_id: str, reason: str, recorded_by: User) -> ChecklistAnswer:
    """Let a row count as done although its derived check fails; an empty reason clears it.

    Only the officer may call this (the view checks the capability).
    """
    _check_row(row_id)
    answer = ChecklistAnswer.objects.select_for_update().filter(row_id=row_id).first()
    answer = answer or ChecklistAnswer(row_id=row_id)
    reason = reason.strip()
    answer.exception_reason = reason
    answer.exception_by = recorded_by if reason else None
    answer.exception_on = timezone.localdate() if reason else None
    with translation.override(settings.LANGUAGE_CODE):
        if reason and answer.status == Status.NEEDS_REVIEW:
            _change(answer, Status.DONE, EXCEPTION_RECORDED % {"reason": reason}, by=recorded_by)
            return answer
        answer.save()
    if not reason and answer.status == Status.DONE:
        # Without the exception the row is held to its check again.
        checklist_recheck()
        answer.refresh_from_db()
    return answer


def _reasons(check: CheckResult) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return "、".join(check.reasons(specs().rules, settings.LANGUAGE_CODE))


def _change(
    answer: ChecklistAnswer, to_status: str, reason: str, *, by: User | None
) -> StatusChange:
    """Move ``answer`` to ``to_status`` and record when and why."""
    from_status = answer.status
    answer.status = to_status
    if to_status == Status.NEEDS_REVIEW:
        answer.review_reason, answer.review_since = reason, timezone.now()
    else:
        answer.review_reason, answer.review_since = "", None
    answer.save()
    return StatusChange.objects.create(
        answer=answer, from_status=from_status, to_status=to_status, reason=reason, changed_by=by
    )


@transaction.atomic
def checklist_recheck(*, checks: dict[str, CheckResult] | None = None) -> list[StatusChange]:
    """Hold the done rows to their register checks; return the changes made.

    A done row without the officer's exception whose check fails becomes "needs review";
    a row that needs review becomes done again once its check passes (or it has an
    exception). Rows not done, not applicable or without a check are left alone.
    ``checks`` are the current results (read afresh when not given).
    """
    checks = derived_checks() if checks is None else checks
    changes: list[StatusChange] = []
    answers = ChecklistAnswer.objects.select_for_update().filter(
        row_id__in=list(checks), status__in=[Status.DONE, Status.NEEDS_REVIEW]
    )
    with translation.override(settings.LANGUAGE_CODE), acting_as(RECHECK_ACTOR):
        for answer in answers.order_by("pk"):
            check = checks[answer.row_id]
            failing = not check.satisfied and not answer.exception_reason
            if answer.status == Status.DONE and failing:
                reason = REVIEW_REASON % {"reasons": _reasons(check)}
                changes.append(_change(answer, Status.NEEDS_REVIEW, reason, by=None))
            elif answer.status == Status.NEEDS_REVIEW and not failing:
                reason = (
                    EXCEPTION_RECORDED % {"reason": answer.exception_reason}
                    if answer.exception_reason
                    else str(SUPPORTED_AGAIN)
                )
                changes.append(_change(answer, Status.DONE, reason, by=None))
    return changes


@transaction.atomic
def evidence_add_file(
    *,
    row_id: str,
    added_by: User,
    upload: UploadedFile,
    title: str = "",
    effective_date: datetime.date,
) -> Evidence:
    """Store an uploaded evidence file for a row.

    Raise ``ApplicationError`` when the file is empty or larger than
    ``MAMORI_MAX_UPLOAD_BYTES``; nothing is stored then.
    """
    name = upload_check(upload)
    answer = _answer_for(row_id)
    evidence = Evidence(
        answer=answer,
        kind=Evidence.Kind.FILE,
        title=(title.strip() or name)[:200],
        effective_date=effective_date,
        original_name=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=upload.size,
        sha256=upload_sha256(upload),
        added_by=added_by,
    )
    return save_with_file(evidence, evidence.file, name, upload)


@transaction.atomic
def evidence_add_link(
    *, row_id: str, added_by: User, url: str, title: str, effective_date: datetime.date
) -> Evidence:
    """Record a link (intranet page, shared folder...) as evidence for a row."""
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ApplicationError(_("Enter a full link starting with https://."), field="url") from exc
    if not title.strip():
        raise ApplicationError(_("Give the link a title."), field="title")
    return Evidence.objects.create(
        answer=_answer_for(row_id),
        kind=Evidence.Kind.LINK,
        title=title.strip()[:200],
        url=url,
        effective_date=effective_date,
        added_by=added_by,
    )


@transaction.atomic
def evidence_delete(*, evidence: Evidence) -> None:
    """Delete evidence; its stored file is removed once the deletion is committed."""
    file_name = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage
    evidence.delete()
    if file_name:
        transaction.on_commit(lambda: storage.delete(file_name))


@transaction.atomic
def comment_add(*, row_id: str, author: User, body: str) -> Comment:
    body = body.strip()
    if not body:
        raise ApplicationError(_("Write a comment first."), field="body")
    return Comment.objects.create(answer=_answer_for(row_id), author=author, body=body)
