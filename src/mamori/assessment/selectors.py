"""Reads of the checklist: row states, progress by channel, carry-over and preview."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from mamori.assessment.models import ChecklistAnswer, Comment, Evidence, Status, StatusChange
from mamori.catalog.loader import Catalog
from mamori.catalog.schema import Channel, ChecklistRow, Stage
from mamori.findings.services import findings_ensure_fresh

COMPLETE = {Status.DONE, Status.NOT_APPLICABLE}


@dataclass(frozen=True)
class RowState:
    row: ChecklistRow
    answer: ChecklistAnswer | None
    evidence_count: int = 0

    @property
    def status(self) -> str:
        return self.answer.status if self.answer else Status.NOT_STARTED

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_complete(self) -> bool:
        return self.status in COMPLETE


@dataclass
class ChannelProgress:
    channel: Channel
    rows: list[RowState] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    def count(self, status: str) -> int:
        return sum(1 for state in self.rows if state.status == status)

    @property
    def done(self) -> int:
        return self.count(Status.DONE)

    @property
    def in_progress(self) -> int:
        return self.count(Status.IN_PROGRESS)

    @property
    def needs_review(self) -> int:
        return self.count(Status.NEEDS_REVIEW)

    @property
    def not_applicable(self) -> int:
        return self.count(Status.NOT_APPLICABLE)

    @property
    def applicable(self) -> int:
        return self.total - self.not_applicable

    @property
    def percent(self) -> int:
        """Share of applicable rows that are done (100 when nothing applies)."""
        return round(100 * self.done / self.applicable) if self.applicable else 100


def answers_by_row() -> dict[str, tuple[ChecklistAnswer, int]]:
    """Return every answer with its evidence count, keyed by row id (one query).

    The findings are brought up to date first, so that a done row the registers stopped
    supporting already reads "needs review"."""
    findings_ensure_fresh()
    answers = ChecklistAnswer.objects.select_related("owner").annotate(
        evidence_total=Count("evidence")
    )
    return {answer.row_id: (answer, answer.evidence_total) for answer in answers}


def row_states(rows: list[ChecklistRow], answers: dict | None = None) -> list[RowState]:
    answers = answers_by_row() if answers is None else answers
    states = []
    for row in rows:
        answer, evidence = answers.get(row.id, (None, 0))
        states.append(RowState(row=row, answer=answer, evidence_count=evidence))
    return states


def progress_by_channel(
    catalog: Catalog, stage_id: str, answers: dict | None = None
) -> list[ChannelProgress]:
    """Return the stage's rows grouped by channel, in the handbook's channel order."""
    states = row_states(catalog.rows_for_stage(stage_id), answers)
    groups = {channel.id: ChannelProgress(channel=channel) for channel in catalog.channels}
    for state in states:
        groups[state.row.channel].rows.append(state)
    return [group for group in groups.values() if group.rows]


@dataclass(frozen=True)
class StageOverview:
    stage: Stage
    channels: list[ChannelProgress]
    carry_over: list[tuple[Stage, RowState]]
    next_stage: Stage | None
    next_rows: list[ChecklistRow]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.channels)

    @property
    def done(self) -> int:
        return sum(group.done for group in self.channels)

    @property
    def needs_review(self) -> int:
        return sum(group.needs_review for group in self.channels)

    @property
    def applicable(self) -> int:
        return sum(group.applicable for group in self.channels)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.applicable) if self.applicable else 100


def stage_overview(catalog: Catalog, stage_id: str) -> StageOverview:
    """Return a stage's checklist with progress, rows of earlier stages left undone and
    the next stage's new rows (two queries, whatever the number of rows)."""
    answers = answers_by_row()
    current_ids = {row.id for row in catalog.rows_for_stage(stage_id)}
    carry_over = []
    for earlier in catalog.stages_before(stage_id):
        rows = [r for r in catalog.rows_for_stage(earlier.id) if r.id not in current_ids]
        carry_over += [
            (earlier, state) for state in row_states(rows, answers) if not state.is_complete
        ]
    next_stage = catalog.stage_after(stage_id)
    next_rows = (
        [r for r in catalog.rows_for_stage(next_stage.id) if r.id not in current_ids]
        if next_stage
        else []
    )
    return StageOverview(
        stage=catalog.stage(stage_id),
        channels=progress_by_channel(catalog, stage_id, answers),
        carry_over=carry_over,
        next_stage=next_stage,
        next_rows=next_rows,
    )


def answer_for_row(row_id: str) -> ChecklistAnswer | None:
    findings_ensure_fresh()
    return ChecklistAnswer.objects.select_related("owner").filter(row_id=row_id).first()


def evidence_for_answer(answer: ChecklistAnswer | None) -> QuerySet[Evidence]:
    if answer is None:
        return Evidence.objects.none()
    return answer.evidence.select_related("added_by").order_by("-effective_date", "-pk")


def comments_for_answer(answer: ChecklistAnswer | None) -> QuerySet[Comment]:
    if answer is None:
        return Comment.objects.none()
    return answer.comments.select_related("author").order_by("created_at", "pk")


def status_changes_for_answer(answer: ChecklistAnswer | None) -> QuerySet[StatusChange]:
    """Return the row's status changes made because of its register check, newest first."""
    if answer is None:
        return StatusChange.objects.none()
    return answer.status_changes.select_related("changed_by").order_by("-created_at", "-pk")
