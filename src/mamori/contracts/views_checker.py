"""Pages of the contract checker: check a file on its own (from the tools page) or the file
of a contract in the register, read the report, download it as PDF or Word."""

from __future__ import annotations

import io
from functools import cached_property
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.audit.models import Action
from mamori.audit.services import audit_record_object
from mamori.contracts import checker, checker_documents, selectors
from mamori.contracts.forms_checker import ContractCheckForm, ContractFileCheckForm
from mamori.contracts.models import ContractCheck
from mamori.contracts.views import ContractView
from mamori.core.views import DownloadView, ProtectedView, ServiceFormView
from mamori.findings.selectors import findings_for_object

RECENT_CHECKS = 20
DOCUMENTS = {
    "pdf": ("application/pdf", checker_documents.report_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        checker_documents.report_docx,
    ),
}


def visible_check(request: HttpRequest, pk: int) -> ContractCheck:
    """Return the check ``pk`` if the user may read it: a contract's checks like the
    contract; a check on its own only by whoever ran it, the officer and the auditor.
    Raise ``Http404`` otherwise (its existence is not confirmed)."""
    check = get_object_or_404(ContractCheck.objects.select_related("contract", "checked_by"), pk=pk)
    if check.contract_id is None and check.checked_by_id != request.user.pk:
        user = request.user
        if not (
            user.has_capability(Capability.COMPANY_MANAGE)
            or user.has_capability(Capability.AUDIT_VIEW)
        ):
            raise Http404
    return check


class ContractCheckView(ServiceFormView):
    """Check a contract file on its own: upload, choose the type or let it be guessed.

    The reports of the user's earlier checks are listed below the form.
    """

    capability = Capability.PROGRAMME_VIEW
    # Running a check keeps a report: a write, which the read-only auditor does not make.
    write_capability = Capability.REGISTERS_EDIT
    template_name = "contracts/check.html"
    form_class = ContractCheckForm
    invalid_status = 400

    def perform(self, form: ContractCheckForm) -> ContractCheck:
        return checker.contract_check_file(
            upload=form.cleaned_data["file"],
            user=self.request.user,
            kind=form.cleaned_data.get("kind") or None,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        recent = ContractCheck.objects.filter(
            checked_by=self.request.user, contract__isnull=True
        ).order_by("-created_at", "-pk")[:RECENT_CHECKS]
        return super().get_context_data(recent=recent, **kwargs)


class ContractFileCheckView(ServiceFormView):
    """Check the file of a contract in the register; its clause checklist follows the file.

    Posted from the contract's page; an unreadable file is shown there again with the reason.
    """

    capability = Capability.REGISTERS_EDIT
    form_class = ContractFileCheckForm
    invalid_status = 400

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect("contracts:contract", pk=self.kwargs["pk"])

    @cached_property
    def contract(self) -> Any:
        contract = selectors.contract_detail(self.kwargs["pk"])
        if contract is None:
            raise Http404
        return contract

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.contract  # noqa: B018  (404 before the file is read)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "auto_id": "id_check_%s"}

    def perform(self, form: ContractFileCheckForm) -> ContractCheck:
        return checker.contract_check_file(
            upload=form.cleaned_data["file"], user=self.request.user, contract=self.contract
        )

    def message_for(self, check: ContractCheck) -> str:
        summary = checker.check_summary(checker.check_lines(check, required_only=True))
        return (
            _(
                "The clause checklist now follows the file: %(present)d present, %(weak)d weak, "
                "%(missing)d missing."
            )
            % summary
        )

    def form_invalid(self, form: ContractFileCheckForm) -> HttpResponse:
        # Shown on the contract's page, with what was wrong.
        page = ContractView()
        page.setup(self.request, pk=self.kwargs["pk"])
        return page.render_page(status=400, bound={"check": form})


class ContractCheckReportView(ProtectedView):
    """A check's report: per required clause its status, the article and sentence, why it
    matters and the model wording for what is missing or weak; for a contract of the
    register, also the contract's findings."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "contracts/check_report.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        check = visible_check(request, pk)
        lines = checker.check_lines(check)
        required = [line for line in lines if line.required]
        language = get_language() or "ja"
        context = {
            "check": check,
            "rows": [(line, line.reason_texts(language)) for line in required],
            "confidence": round(check.type_confidence * 100),
            "others": [line for line in lines if not line.required and line.status != "missing"],
            "summary": checker.check_summary(lines),
            "needing": checker.check_needing_work(lines),
            "tracked": check.file_name.lower().endswith(".docx"),
            "findings": (
                findings_for_object("contracts.contract", check.contract_id)
                if check.contract_id
                else None
            ),
            "can_edit": request.user.has_capability(Capability.REGISTERS_EDIT),
        }
        return render(request, self.template_name, context)


class ContractCheckDownloadView(ProtectedView):
    """The report as a PDF or Word file (the download is written to the audit log)."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        if fmt not in DOCUMENTS:
            raise Http404
        check = visible_check(request, pk)
        content_type, build = DOCUMENTS[fmt]
        data = build(check, get_language() or "ja")
        audit_record_object(check, action=Action.EXPORT, changes={"format": fmt})
        return FileResponse(
            io.BytesIO(data),
            as_attachment=True,
            filename=checker_documents.filename(check, fmt),
            content_type=content_type,
        )


class ContractCheckRedlineView(DownloadView):
    """The negotiation draft of a check as a Word file (the download is in the audit log):
    for a Word contract the original with the missing clauses as tracked insertions and the
    weak ones commented, for PDF or text a Word file listing the proposals."""

    capability = Capability.PROGRAMME_VIEW

    def download(self) -> HttpResponse:
        check = visible_check(self.request, self.kwargs["pk"])
        draft = checker.contract_check_redline(check=check)
        audit_record_object(check, action=Action.EXPORT, changes={"format": "redline"})
        return FileResponse(
            io.BytesIO(draft.data),
            as_attachment=True,
            filename=draft.filename,
            content_type=DOCUMENTS["docx"][0],
        )

    def refused_url(self) -> str:
        return reverse("contracts:check_report", kwargs={"pk": self.kwargs["pk"]})
