from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.assessment import selectors, services
from mamori.assessment.forms import (
    AnswerForm,
    CommentForm,
    EvidenceFileForm,
    EvidenceLinkForm,
    ExceptionForm,
)
from mamori.assessment.models import Evidence, Status
from mamori.audit.selectors import history_for
from mamori.catalog.selectors import get_catalog
from mamori.company.selectors import stage_decision_current
from mamori.core.views import (
    ObjectActionsView,
    ProtectedTemplateView,
    ProtectedView,
    inline_action,
    stored_file_response,
)
from mamori.findings.registry import specs
from mamori.findings.selectors import derived_check, derived_checks


class ChecklistView(ProtectedTemplateView):
    """The checklist of a stage (the company's by default), grouped by channel."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "assessment/checklist.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        catalog = get_catalog()
        decision = stage_decision_current()
        requested = self.request.GET.get("stage")
        stage_ids = {stage.id for stage in catalog.stages}
        if requested in stage_ids:
            stage_id = requested
        else:
            stage_id = decision.stage if decision else catalog.stages[0].id
        return super().get_context_data(
            overview=selectors.stage_overview(catalog, stage_id),
            stages=catalog.stages,
            company_stage=decision.stage if decision else None,
            today=timezone.localdate(),
            checks=derived_checks(),
            **kwargs,
        )


class RowView(ObjectActionsView):
    """A checklist row: the handbook's explanation, the answer, evidence, comments, history.

    Each form posts here with an ``action``; an invalid form is shown again on the page
    with what was typed and what is wrong.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.CHECKLIST_EDIT
    template_name = "assessment/row.html"
    lookup_kwarg = "row_id"
    context_object_name = "row"

    def find_object(self, row_id: Any) -> Any:
        catalog = get_catalog()
        return catalog.row(row_id) if catalog.has_row(row_id) else None

    def page_url(self) -> str:
        return reverse("assessment:row", kwargs={"row_id": self.object.id})

    @inline_action(ExceptionForm, anchor="exception", capability=Capability.COMPANY_MANAGE)
    def exception(self, row: Any, data: dict[str, Any]) -> str:
        answer = services.answer_record_exception(
            row_id=row.id, reason=data["reason"], recorded_by=self.request.user
        )
        if answer.exception_reason:
            return _("The exception has been recorded.")
        return _("The exception has been removed.")

    @inline_action(AnswerForm, anchor="answer", message=gettext_lazy("The row has been updated."))
    def answer(self, row: Any, data: dict[str, Any]) -> None:
        services.answer_update(
            row_id=row.id,
            status=data["status"],
            not_applicable_reason=data.get("not_applicable_reason") or "",
            owner=data.get("owner"),
            due_date=data.get("due_date"),
        )

    @inline_action(
        EvidenceFileForm,
        anchor="evidence_file",
        message=gettext_lazy("The evidence file has been stored."),
    )
    def evidence_file(self, row: Any, data: dict[str, Any]) -> None:
        services.evidence_add_file(
            row_id=row.id,
            added_by=self.request.user,
            upload=data["file"],
            title=data["title"],
            effective_date=data["effective_date"],
        )

    @inline_action(
        EvidenceLinkForm,
        anchor="evidence_link",
        message=gettext_lazy("The link has been added as evidence."),
    )
    def evidence_link(self, row: Any, data: dict[str, Any]) -> None:
        services.evidence_add_link(
            row_id=row.id,
            added_by=self.request.user,
            url=data["url"],
            title=data["title"],
            effective_date=data["effective_date"],
        )

    @inline_action(
        CommentForm, anchor="comment", message=gettext_lazy("Your comment has been added.")
    )
    def comment(self, row: Any, data: dict[str, Any]) -> None:
        services.comment_add(row_id=row.id, author=self.request.user, body=data["body"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        row, request = self.object, self.request
        catalog = get_catalog()
        answer = selectors.answer_for_row(row.id)
        status = answer.status if answer else Status.NOT_STARTED
        forms = {
            "answer": AnswerForm.for_answer(answer),
            "evidence_file": EvidenceFileForm(),
            "evidence_link": EvidenceLinkForm(),
            "comment": CommentForm(),
            "exception": ExceptionForm(
                initial={"reason": answer.exception_reason if answer else ""}
            ),
            **self.bound,
        }
        check = derived_check(row.id)
        language = request.LANGUAGE_CODE
        return {
            **context,
            "channel": catalog.channel(row.channel),
            "row_stages": [catalog.stage(stage_id) for stage_id in row.stages],
            "step": catalog.step(row.step) if row.step else None,
            "cases": catalog.cases_for_row(row.id),
            "answer": answer,
            "status": status,
            "status_label": Status(status).label,
            "evidence": selectors.evidence_for_answer(answer),
            "comments": selectors.comments_for_answer(answer),
            "history": history_for(answer)[:50] if answer else [],
            "status_changes": selectors.status_changes_for_answer(answer)[:20],
            "forms": forms,
            "can_edit": request.user.has_capability(Capability.CHECKLIST_EDIT),
            "can_except": request.user.has_capability(Capability.COMPANY_MANAGE),
            "check": check,
            "check_reasons": check.reasons(specs().rules, language) if check else [],
            "check_rules": [specs().rules[rule_id] for rule_id in check.open_findings]
            if check
            else [],
        }


class EvidenceDownloadView(ProtectedView):
    """Serve an evidence file as a download, never inline (it could be active content)."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = get_object_or_404(Evidence, pk=pk, kind=Evidence.Kind.FILE)
        return stored_file_response(evidence.file, evidence.original_name)


class EvidenceDeleteView(ProtectedView):
    """Ask before deleting evidence; delete on confirmation."""

    capability = Capability.CHECKLIST_EDIT
    template_name = "assessment/evidence_confirm_delete.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = get_object_or_404(Evidence.objects.select_related("answer"), pk=pk)
        row = get_catalog().row(evidence.answer.row_id)
        return render(request, self.template_name, {"evidence": evidence, "row": row})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = get_object_or_404(Evidence.objects.select_related("answer"), pk=pk)
        row_id = evidence.answer.row_id
        services.evidence_delete(evidence=evidence)
        messages.success(request, _("The evidence has been deleted."))
        return redirect("assessment:row", row_id=row_id)
