"""Pages of the black-boxing tool: the codename dictionary, sanitizing a document
(upload → preview → confirm → download), the residual scan, restoring codenames, and
the history of what left.

The upload is read in memory (or from Django's temporary file, removed when the request
ends) and never stored; the preview is the answer to the upload itself, and only the
sanitized file is kept, for download, until it expires.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.assets.models import InformationAsset
from mamori.blackbox import selectors, services
from mamori.blackbox.forms import (
    ConfirmForm,
    DocumentForm,
    SanitizeForm,
    TermFilterForm,
    TermForm,
    TermsImportForm,
)
from mamori.blackbox.importer import TermsFileError, parse_terms_file
from mamori.blackbox.models import Sanitization, Term, TermCategory
from mamori.contracts.selectors import asset_offer
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedTemplateView, ProtectedView, paginate
from mamori.disclosures.forms import WarningsForm
from mamori.disclosures.services import ledger
from mamori.engines import codenames as engine

REPLACEMENTS_SHOWN = 500
ERRORS_SHOWN = 500


def _language() -> str:
    return translation.get_language() or "ja"


def _finding_rows(report: engine.ScanReport) -> list[dict[str, Any]]:
    language = _language()
    return [
        {
            "kind": finding.kind,
            "severity": finding.severity,
            "title": finding.title(language),
            "where": finding.location.describe(language),
            "text": finding.text,
            "detail": finding.detail,
            "codename": getattr(finding.term, "codename", ""),
        }
        for finding in report.findings
    ]


def _replacement_rows(result: engine.SanitizeResult) -> list[dict[str, Any]]:
    language = _language()
    return [
        {
            "where": item.location.describe(language),
            "before": item.before,
            "found": item.found,
            "after": item.after,
            "replacement": item.replacement,
        }
        for item in result.first_replacements(REPLACEMENTS_SHOWN)
    ]


class IndexView(ProtectedView):
    """The tool's start page: sanitize a document, the dictionary, the latest history."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.context(request, SanitizeForm()))

    @staticmethod
    def context(request: HttpRequest, form: SanitizeForm) -> dict[str, Any]:
        services.sanitization_purge_expired()
        counts = selectors.category_counts()
        return {
            "form": form,
            "term_count": sum(counts.values()),
            "category_counts": [
                (code, label, counts.get(code, 0)) for code, label in TermCategory.choices
            ],
            "recent": selectors.sanitization_list()[:10],
            "can_restore": request.user.has_capability(Capability.BLACKBOX_RESTORE),
            "keep_hours": services.keep_hours(),
        }


class SanitizeView(ProtectedView):
    """Sanitize the uploaded document and show the preview: every replacement in
    context and what the residual check still finds, with the confirmation form."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/preview.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("blackbox:index")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SanitizeForm(data=request.POST, files=request.FILES, request=request)
        if not form.is_valid():
            return render(
                request, IndexView.template_name, IndexView.context(request, form), status=400
            )
        upload = form.cleaned_data["file"]
        try:
            prepared = services.sanitization_prepare(
                user=request.user,
                file_name=upload.name or "",
                data=upload.read(),
                counterparty=form.cleaned_data.get("counterparty"),
                contract=form.cleaned_data.get("contract"),
            )
        except ApplicationError as exc:
            form.add_error("file" if exc.field == "file" else None, exc.message)
            return render(
                request, IndexView.template_name, IndexView.context(request, form), status=400
            )
        sanitization = prepared.sanitization
        offered, linked = _offered_assets(sanitization)
        confirm = ConfirmForm(
            offered_assets=offered,
            recipient=bool(sanitization.counterparty_id),
            initial={"assets": [asset.pk for asset in linked]},
        )
        context = {
            "sanitization": sanitization,
            "result": prepared.result,
            "replacements": _replacement_rows(prepared.result),
            "hidden_count": max(0, prepared.result.total - REPLACEMENTS_SHOWN),
            "findings": _finding_rows(prepared.report),
            "secrets": len(prepared.report.secrets),
            "counts": _count_rows(sanitization),
            "confirm": confirm,
            "warnings_form": WarningsForm(),
            "linked_count": len(linked),
        }
        return render(request, self.template_name, context)


def _count_rows(sanitization: Sanitization) -> list[dict[str, Any]]:
    names = dict(
        Term.objects.filter(pk__in=[row["term"] for row in sanitization.counts]).values_list(
            "pk", "text"
        )
    )
    return [
        {"codename": row["codename"], "term": names.get(row["term"], ""), "count": row["count"]}
        for row in sanitization.counts
    ]


def _offered_assets(
    sanitization: Sanitization, chosen: list[int] | None = None
) -> tuple[list[InformationAsset], list[InformationAsset]]:
    """Return the assets the confirmation offers — those linked to the replaced terms,
    the contract's scope, any chosen — and the linked ones."""
    term_ids = [row["term"] for row in sanitization.counts if row.get("term")]
    linked = list(selectors.linked_assets(term_ids))
    offered = {asset.pk: asset for asset in linked}
    assets = InformationAsset.objects.select_related("secrecy_class").order_by("name", "pk")
    if sanitization.contract_id:
        for asset in assets.filter(contracts=sanitization.contract_id)[:200]:
            offered.setdefault(asset.pk, asset)
    if chosen:
        for asset in assets.filter(pk__in=chosen):
            offered.setdefault(asset.pk, asset)
    return list(offered.values()), linked


class ConfirmView(ProtectedView):
    """Confirm a previewed sanitization; with a recipient, record the disclosure (its
    warnings shown and confirmed first, 極秘 blocked unless the officer overrides)."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/confirm.html"

    def pending(self, request: HttpRequest, pk: int) -> Sanitization:
        sanitization = get_object_or_404(selectors.sanitization_detail(pk))
        if sanitization.created_by_id != request.user.pk:
            raise PermissionDenied
        return sanitization

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        sanitization = self.pending(request, pk)
        if sanitization.confirmed_at is not None:
            return redirect("blackbox:sanitization", pk=pk)
        offered, linked = _offered_assets(sanitization)
        form = ConfirmForm(
            offered_assets=offered,
            recipient=bool(sanitization.counterparty_id),
            initial={"assets": [asset.pk for asset in linked]},
        )
        return self.render_page(request, sanitization, form, WarningsForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sanitization = self.pending(request, pk)
        chosen = [int(v) for v in request.POST.getlist("assets") if v.isdigit()]
        offered, _linked = _offered_assets(sanitization, chosen)
        form = ConfirmForm(
            request.POST, offered_assets=offered, recipient=bool(sanitization.counterparty_id)
        )
        confirm = WarningsForm(request.POST)
        if not (form.is_valid() and confirm.is_valid()):
            return self.render_page(request, sanitization, form, confirm, status=400)
        override_reason = (confirm.cleaned_data.get("override_reason") or "").strip()
        if override_reason and not request.user.has_capability(Capability.COMPANY_MANAGE):
            raise PermissionDenied  # the field is offered to the officer only
        data = form.cleaned_data
        try:
            services.sanitization_confirm(
                sanitization=sanitization,
                user=request.user,
                assets=data.get("assets") or [],
                purpose=data.get("purpose") or "",
                method=data.get("method") or "",
                confirmed=confirm.confirmed_keys(),
                override_reason=override_reason,
            )
        except ledger.DisclosureNeedsConfirmation as exc:
            shown = WarningsForm(
                initial={
                    "seen": " ".join(w.key for w in exc.warnings),
                    "override_reason": override_reason,
                }
            )
            return self.render_page(request, sanitization, form, shown, problem=exc, status=400)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_page(request, sanitization, form, confirm, status=400)
        if sanitization.counterparty_id:
            messages.success(
                request,
                _("Confirmed; the disclosure to %(counterparty)s has been recorded.")
                % {"counterparty": sanitization.counterparty.name},
            )
        else:
            messages.success(request, _("Confirmed; the sanitized file can be downloaded."))
        return redirect("blackbox:sanitization", pk=pk)

    def render_page(
        self,
        request: HttpRequest,
        sanitization: Sanitization,
        form: ConfirmForm,
        confirm: WarningsForm,
        problem: ledger.DisclosureNeedsConfirmation | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "sanitization": sanitization,
            "counts": _count_rows(sanitization),
            "confirm": form,
            "warnings_form": confirm,
            "problem": problem,
            "warnings": problem.warnings if problem else [],
            "blocked": bool(problem and problem.blocked),
            "can_override": request.user.has_capability(Capability.COMPANY_MANAGE),
        }
        return render(request, self.template_name, context, status=status)


class SanitizationView(ProtectedTemplateView):
    """One entry of the history: what was replaced, the file's SHA-256, the recipient
    and disclosure, and the download while the file is kept."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/sanitization.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sanitization = get_object_or_404(selectors.sanitization_detail(self.kwargs["pk"]))
        kinds = sanitization.residual.get("kinds", {}) if sanitization.residual else {}
        language = _language()
        residual = [
            (engine.FINDING_KINDS[kind][2 if language.startswith("en") else 1], count)
            for kind, count in kinds.items()
            if kind in engine.FINDING_KINDS
        ]
        return super().get_context_data(
            sanitization=sanitization,
            counts=_count_rows(sanitization),
            residual=residual,
            can_download=selectors.can_download(sanitization, self.request.user),
            expired=bool(sanitization.expires_at and sanitization.expires_at <= timezone.now()),
            **kwargs,
        )


class DownloadView(ProtectedView):
    """The sanitized file, while it is kept; the download is audited."""

    capability = Capability.BLACKBOX_USE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        sanitization = get_object_or_404(Sanitization, pk=pk)
        if not selectors.can_download(sanitization, request.user):
            if sanitization.created_by_id not in (request.user.pk, None) and not (
                request.user.has_capability(Capability.BLACKBOX_RESTORE)
            ):
                raise PermissionDenied
            raise Http404
        services.sanitization_downloaded(sanitization)
        return FileResponse(
            sanitization.output.open("rb"),
            as_attachment=True,
            filename=sanitization.output_name,
        )


class HistoryView(ProtectedTemplateView):
    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = self.request.GET.get("q", "").strip()
        return super().get_context_data(
            page=paginate(self.request, selectors.sanitization_list(query=query), 50),
            query=query,
            **kwargs,
        )


# --- the dictionary ------------------------------------------------------------------------


class TermListView(ProtectedTemplateView):
    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/term_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = TermFilterForm(self.request.GET)
        data = form.cleaned_data if form.is_valid() else {}
        terms = selectors.term_list(
            category=data.get("category") or "", query=(data.get("q") or "").strip()
        )
        return super().get_context_data(
            form=form,
            page=paginate(self.request, terms, 50),
            filtered=bool(data.get("category") or data.get("q")),
            **kwargs,
        )


class TermEditView(ProtectedView):
    """Add a term (no ``pk``) or change one; ``?asset_q=`` narrows the assets offered."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/term_form.html"

    def term(self) -> Term | None:
        pk = self.kwargs.get("pk")
        return get_object_or_404(Term.objects.prefetch_related("assets"), pk=pk) if pk else None

    def make_form(self, request: HttpRequest, term: Term | None, data: Any = None) -> TermForm:
        chosen = [int(v) for v in data.getlist("assets") if v.isdigit()] if data else []
        if term is not None and data is None:
            chosen = [asset.pk for asset in term.assets.all()]
        offered = asset_offer(query=request.GET.get("asset_q", "").strip(), chosen=chosen)
        initial = TermForm.initial_for(term) if term is not None else {}
        return TermForm(data, offered_assets=offered, initial=initial)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        term = self.term()
        return self.render_form(request, term, self.make_form(request, term))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        term = self.term()
        form = self.make_form(request, term, request.POST)
        if not form.is_valid():
            return self.render_form(request, term, form, status=400)
        data = form.cleaned_data
        try:
            saved = services.term_save(
                term=term,
                text=data["text"],
                category=data["category"],
                codename=data.get("codename") or "",
                variants=data.get("variants") or [],
                assets=data.get("assets") or [],
                note=data.get("note") or "",
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_form(request, term, form, status=400)
        messages.success(
            request,
            _("“%(term)s” is replaced by “%(codename)s”.")
            % {"term": saved.text, "codename": saved.codename},
        )
        return redirect("blackbox:terms")

    def render_form(
        self, request: HttpRequest, term: Term | None, form: TermForm, status: int = 200
    ) -> HttpResponse:
        context = {"term": term, "form": form, "asset_query": request.GET.get("asset_q", "")}
        return render(request, self.template_name, context, status=status)


class TermDeleteView(ProtectedView):
    """Ask before removing a term; remove it on confirmation."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/term_confirm_delete.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, {"term": get_object_or_404(Term, pk=pk)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        term = get_object_or_404(Term, pk=pk)
        services.term_delete(term=term)
        messages.success(request, _("The term has been removed from the dictionary."))
        return redirect("blackbox:terms")


class TermsImportView(ProtectedView):
    """Upload a CSV or Excel dictionary; every row is written, or none."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/terms_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, TermsImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = TermsImportForm(data=request.POST, files=request.FILES, request=request)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        upload = form.cleaned_data["file"]
        try:
            parsed = parse_terms_file(upload.read(), upload.name or "")
        except TermsFileError as exc:
            form.add_error("file", exc.message)
            return self.render_page(request, form, status=400)
        if parsed.errors:
            return self.render_page(request, form, errors=parsed.errors, status=400)
        if form.cleaned_data["dry_run"]:
            return self.render_page(
                request, TermsImportForm(), checked=len(parsed.rows), file_name=upload.name
            )
        try:
            result = services.terms_import(parsed=parsed)
        except services.TermsImportError as exc:
            return self.render_page(request, form, errors=exc.errors, status=400)
        messages.success(
            request,
            _("Import finished: %(created)d added, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return redirect("blackbox:terms")

    def render_page(
        self,
        request: HttpRequest,
        form: TermsImportForm,
        errors: list | None = None,
        status: int = 200,
        **extra: Any,
    ) -> HttpResponse:
        errors = errors or []
        context = {
            "form": form,
            "errors": errors[:ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
            **extra,
        }
        return render(request, self.template_name, context, status=status)


class TermsExportView(ProtectedView):
    """The dictionary as CSV (UTF-8 with BOM, for Excel) or .xlsx; audited."""

    capability = Capability.BLACKBOX_USE
    COLUMNS = ("term", "category", "codename", "variants", "assets")

    def get(self, request: HttpRequest) -> HttpResponse:
        kind = request.GET.get("format", "csv")
        rows = [
            (
                term.text,
                term.category,
                term.codename,
                ";".join(term.variants or []),
                ";".join(asset.name for asset in term.assets.all()),
            )
            for term in selectors.term_list()
        ]
        services.terms_exported(format=kind, rows=len(rows))
        if kind == "xlsx":
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("codenames")
            sheet.append(self.COLUMNS)
            for row in rows:
                sheet.append(row)
            buffer = io.BytesIO()
            workbook.save(buffer)
            response = HttpResponse(
                buffer.getvalue(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = 'attachment; filename="codenames.xlsx"'
            return response
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.COLUMNS)
        writer.writerows(rows)
        response = HttpResponse(
            buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="codenames.csv"'
        return response


# --- scan and restore ------------------------------------------------------------------------


class ScanView(ProtectedView):
    """Check a document for what should not leave: terms, markings, labels, authors,
    comments, tracked changes, hidden and embedded content. PDF too."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/scan.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": DocumentForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DocumentForm(data=request.POST, files=request.FILES, request=request)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        try:
            report = services.document_scan(file_name=upload.name or "", data=upload.read())
        except ApplicationError as exc:
            form.add_error("file", exc.message)
            return render(request, self.template_name, {"form": form}, status=400)
        context = {
            "form": DocumentForm(),
            "report": report,
            "file_name": upload.name,
            "findings": _finding_rows(report),
            "secrets": len(report.secrets),
            "reviews": len(report.reviews),
        }
        return render(request, self.template_name, context)


class RestoreView(ProtectedView):
    """Turn the codenames of a document that came back into the real names (officer)."""

    capability = Capability.BLACKBOX_RESTORE
    template_name = "blackbox/restore.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": DocumentForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DocumentForm(data=request.POST, files=request.FILES, request=request)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        try:
            sanitization, result = services.sanitization_restore(
                user=request.user, file_name=upload.name or "", data=upload.read()
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
            return render(request, self.template_name, {"form": form}, status=400)
        response = HttpResponse(result.data, content_type="application/octet-stream")
        response["Content-Disposition"] = _attachment(sanitization.output_name)
        return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"
