from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedTemplateView, ProtectedView
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


FORMS = {
    "answer": AnswerForm,
    "exception": ExceptionForm,
    "evidence_file": EvidenceFileForm,
    "evidence_link": EvidenceLinkForm,
    "comment": CommentForm,
}


class RowView(ProtectedView):
    """A checklist row: the handbook's explanation, the answer, evidence, comments, history.

    Each form posts here with an ``action``; an invalid form is shown again on the page
    with what was typed and what is wrong.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.CHECKLIST_EDIT
    template_name = "assessment/row.html"

    def get_row(self, row_id: str):
        catalog = get_catalog()
        if not catalog.has_row(row_id):
            raise Http404
        return catalog.row(row_id)

    def get(self, request: HttpRequest, row_id: str) -> HttpResponse:
        return self.render_page(request, self.get_row(row_id))

    def post(self, request: HttpRequest, row_id: str) -> HttpResponse:
        row = self.get_row(row_id)
        action = request.POST.get("action")
        if action not in FORMS:
            return redirect("assessment:row", row_id=row.id)
        form_class = FORMS[action]
        kwargs: dict[str, Any] = {"data": request.POST}
        if action == "evidence_file":
            kwargs.update(files=request.FILES, request=request)
        form = form_class(**kwargs)
        if form.is_valid():
            try:
                message = self.perform(action, row.id, form)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, message)
                return redirect(reverse("assessment:row", kwargs={"row_id": row.id}) + f"#{action}")
        return self.render_page(request, row, bound={action: form}, http_status=400)

    def perform(self, action: str, row_id: str, form: Any) -> str:
        data, user = form.cleaned_data, self.request.user
        if action == "exception":
            if not user.has_capability(Capability.COMPANY_MANAGE):
                raise PermissionDenied
            answer = services.answer_record_exception(
                row_id=row_id, reason=data["reason"], recorded_by=user
            )
            if answer.exception_reason:
                return _("The exception has been recorded.")
            return _("The exception has been removed.")
        if action == "answer":
            services.answer_update(
                row_id=row_id,
                status=data["status"],
                not_applicable_reason=data.get("not_applicable_reason") or "",
                owner=data.get("owner"),
                due_date=data.get("due_date"),
            )
            return _("The row has been updated.")
        if action == "evidence_file":
            services.evidence_add_file(
                row_id=row_id,
                added_by=user,
                upload=data["file"],
                title=data["title"],
                effective_date=data["effective_date"],
            )
            return _("The evidence file has been stored.")
        if action == "evidence_link":
            services.evidence_add_link(
                row_id=row_id,
                added_by=user,
                url=data["url"],
                title=data["title"],
                effective_date=data["effective_date"],
            )
            return _("The link has been added as evidence.")
        services.comment_add(row_id=row_id, author=user, body=data["body"])
        return _("Your comment has been added.")

    def render_page(
        self, request: HttpRequest, row: Any, bound: dict | None = None, http_status: int = 200
    ) -> HttpResponse:
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
            **(bound or {}),
        }
        check = derived_check(row.id)
        language = request.LANGUAGE_CODE
        context = {
            "row": row,
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
        return render(request, self.template_name, context, status=http_status)


class EvidenceDownloadView(ProtectedView):
    """Serve an evidence file as a download, never inline (it could be active content)."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = get_object_or_404(Evidence, pk=pk, kind=Evidence.Kind.FILE)
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name,
            content_type="application/octet-stream",
        )


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
