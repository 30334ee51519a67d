"""Pages of the black-boxing tool: the codename dictionary, sanitizing a document
(upload → preview → confirm → download), the residual scan, restoring codenames, and
the history of what left.

The upload is read in memory (or from Django's temporary file, removed when the request
ends) and never stored; the preview is the answer to the upload itself, and only the
sanitized file is kept, for download, until it expires.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.assets.models import InformationAsset
from mamori.blackbox import approval, selectors, services
from mamori.blackbox.forms import (
    ConfirmForm,
    DocumentForm,
    SanitizeForm,
    TermFilterForm,
    TermForm,
    TermsImportForm,
)
from mamori.blackbox.importer import ParsedTerms, parse_terms_file
from mamori.blackbox.models import Sanitization, Term, TermCategory
from mamori.contracts.selectors import asset_offer
from mamori.core import views as generic
from mamori.core.cells import csv_writer, safe_row
from mamori.disclosures.forms import WarningsForm
from mamori.disclosures.services.ledger import disclosure_problem
from mamori.engines import codenames as engine

REPLACEMENTS_SHOWN = 500


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


def _ocr_missing(report: engine.ScanReport) -> bool:
    """Whether pictures were left unread because tesseract is not installed."""
    return any(finding.kind == "ocr_missing" for finding in report.findings)


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


class IndexView(generic.ProtectedView):
    """The tool's start page: sanitize a document, the dictionary, the latest history."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.context(request, SanitizeForm()))

    @staticmethod
    def context(request: HttpRequest, form: SanitizeForm) -> dict[str, Any]:
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


class SanitizeView(generic.ServiceFormView):
    """Sanitize the uploaded document and show the preview: every replacement in
    context and what the residual check still finds, with the confirmation form."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/preview.html"
    form_class = SanitizeForm
    invalid_status = 400

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect("blackbox:index")

    def form_invalid(self, form: SanitizeForm) -> HttpResponse:
        # The form lives on the start page: show it there again, with what is wrong.
        context = IndexView.context(self.request, form)
        return render(self.request, IndexView.template_name, context, status=400)

    def perform(self, form: SanitizeForm) -> services.Prepared:
        upload = form.cleaned_data["file"]
        return services.sanitization_prepare(
            user=self.request.user,
            file_name=upload.name or "",
            data=upload.read(),
            counterparty=form.cleaned_data.get("counterparty"),
            contract=form.cleaned_data.get("contract"),
        )

    def success_response(self, prepared: services.Prepared) -> HttpResponse:
        sanitization = prepared.sanitization
        offered, linked = _offered_assets(sanitization)
        # Nothing is ticked as given: the sender says what the document gives away.
        confirm = ConfirmForm(
            offered_assets=offered,
            recipient=bool(sanitization.counterparty_id),
            remaining=_remaining(sanitization),
        )
        context = {
            "sanitization": sanitization,
            "result": prepared.result,
            "replacements": _replacement_rows(prepared.result),
            "hidden_count": max(0, prepared.result.total - REPLACEMENTS_SHOWN),
            "notes": services.result_notes(prepared.result),
            "findings": _finding_rows(prepared.report),
            "ocr_missing": _ocr_missing(prepared.report),
            "secrets": len(prepared.report.secrets),
            "counts": _count_rows(sanitization),
            "confirm": confirm,
            "warnings_form": WarningsForm(),
            "linked_count": len(linked),
            "kept": prepared.kept,
        }
        return render(self.request, self.template_name, context)


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


def _remaining(sanitization: Sanitization) -> int:
    """Return how many markings and dictionary terms the residual check still found."""
    return int((sanitization.residual or {}).get("secret", 0))


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


class ConfirmView(generic.WarningsConfirmMixin, generic.ObjectView):
    """Confirm a previewed sanitization; with a recipient, record the disclosure (its
    warnings shown and confirmed first, 極秘 blocked unless the officer overrides)."""

    capability = Capability.BLACKBOX_USE
    override_capability = Capability.COMPANY_MANAGE
    warnings_form_class = WarningsForm
    template_name = "blackbox/confirm.html"
    selector = staticmethod(selectors.sanitization_detail)
    context_object_name = "sanitization"

    def find_object(self, key: Any) -> Sanitization | None:
        sanitization = super().find_object(key)
        # Only the one who uploaded the document confirms it.
        if sanitization is not None and sanitization.created_by_id != self.request.user.pk:
            raise PermissionDenied
        return sanitization

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        sanitization = self.object
        if sanitization.confirmed_at is not None:
            return redirect("blackbox:sanitization", pk=pk)
        offered, _linked = _offered_assets(sanitization)
        form = ConfirmForm(
            offered_assets=offered,
            recipient=bool(sanitization.counterparty_id),
            remaining=_remaining(sanitization),
        )
        return self.render_page(confirm=form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        sanitization = self.object
        chosen = [int(v) for v in request.POST.getlist("assets") if v.isdigit()]
        offered, _linked = _offered_assets(sanitization, chosen)
        form = ConfirmForm(
            request.POST,
            offered_assets=offered,
            recipient=bool(sanitization.counterparty_id),
            remaining=_remaining(sanitization),
        )
        warnings = self.make_confirm_form(request.POST)
        if not (form.is_valid() and warnings.is_valid()):
            return self.render_page(status=400, confirm=form)
        data = form.cleaned_data
        if "ask_approval" in request.POST:
            return self.ask_approval(form)
        confirmed = self.perform_confirmed(
            form,
            warnings,
            lambda **confirmation: (
                services.sanitization_confirm(
                    sanitization=sanitization,
                    user=request.user,
                    assets=data.get("assets") or [],
                    purpose=data.get("purpose") or "",
                    method=data.get("method") or "",
                    **confirmation,
                )
                or True
            ),
        )
        if confirmed is None:
            return self.render_page(status=400, confirm=form)
        if sanitization.counterparty_id:
            messages.success(
                request,
                _("Confirmed; the disclosure to %(counterparty)s has been recorded.")
                % {"counterparty": sanitization.counterparty.name},
            )
        else:
            messages.success(request, _("Confirmed; the sanitized file can be downloaded."))
        return redirect("blackbox:sanitization", pk=pk)

    def ask_approval(self, form: ConfirmForm) -> HttpResponse:
        """Ask the officer's approval for the confirmation the ledger blocks."""
        sanitization, data = self.object, form.cleaned_data
        asked = self.request_approval(
            lambda reason: approval.sanitization_approval_request(
                sanitization=sanitization,
                user=self.request.user,
                assets=data.get("assets") or [],
                purpose=data.get("purpose") or "",
                method=data.get("method") or "",
                reason=reason,
            ),
            lambda: (
                disclosure_problem(
                    counterparty=sanitization.counterparty,
                    contract=sanitization.contract,
                    assets=data.get("assets") or [],
                    disclosed_on=timezone.localdate(),
                )
                if sanitization.counterparty_id
                else self.problem
            ),
        )
        return asked or self.render_page(status=400, confirm=form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        warnings = self.warnings_context()
        # The page calls the confirmation form "confirm" and the warnings "warnings_form".
        warnings["warnings_form"] = warnings.pop("confirm")
        return super().get_context_data(
            counts=_count_rows(self.object),
            **self.approval_context(),
            **warnings,
            **kwargs,
        )


class SanitizationView(generic.ObjectView):
    """One entry of the history: what was replaced, the file's SHA-256, the recipient
    and disclosure, and the download while the file is kept."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/sanitization.html"
    selector = staticmethod(selectors.sanitization_detail)
    context_object_name = "sanitization"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sanitization = self.object
        kinds = sanitization.residual.get("kinds", {}) if sanitization.residual else {}
        language = _language()
        residual = [
            (engine.FINDING_KINDS[kind][2 if language.startswith("en") else 1], count)
            for kind, count in kinds.items()
            if kind in engine.FINDING_KINDS
        ]
        return super().get_context_data(
            counts=_count_rows(sanitization),
            residual=residual,
            can_download=selectors.can_download(sanitization, self.request.user),
            expired=bool(sanitization.expires_at and sanitization.expires_at <= timezone.now()),
            **kwargs,
        )


class DownloadView(generic.ProtectedView):
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


class HistoryView(generic.ProtectedTemplateView):
    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = self.request.GET.get("q", "").strip()
        return super().get_context_data(
            page=generic.paginate(self.request, selectors.sanitization_list(query=query), 50),
            query=query,
            **kwargs,
        )


# --- the dictionary ------------------------------------------------------------------------


class TermListView(generic.ProtectedTemplateView):
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
            page=generic.paginate(self.request, terms, 50),
            filtered=bool(data.get("category") or data.get("q")),
            **kwargs,
        )


def _term_save(view: Any, term: Term | None, data: dict[str, Any]) -> Term:
    return services.term_save(
        term=term,
        text=data["text"],
        category=data["category"],
        codename=data.get("codename") or "",
        variants=data.get("variants") or [],
        assets=data.get("assets") or [],
        note=data.get("note") or "",
    )


class TermEditView(generic.ObjectEditView):
    """Add a term (no ``pk``) or change one; ``?asset_q=`` narrows the assets offered."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/term_form.html"
    form_class = TermForm
    selector = staticmethod(selectors.term_detail)
    context_object_name = "term"
    service = staticmethod(_term_save)
    success_url = reverse_lazy("blackbox:terms")
    invalid_status = 400

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        data = kwargs.get("data")
        term = self.object if self.editing else None
        chosen = [int(v) for v in data.getlist("assets") if v.isdigit()] if data else []
        if term is not None and data is None:
            chosen = [asset.pk for asset in term.assets.all()]
        query = self.request.GET.get("asset_q", "").strip()
        kwargs["offered_assets"] = asset_offer(query=query, chosen=chosen)
        return kwargs

    def form_kwargs_for(self, term: Term) -> dict[str, Any]:
        return {"initial": TermForm.initial_for(term)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            term=self.object if self.editing else None,
            asset_query=self.request.GET.get("asset_q", ""),
            **kwargs,
        )

    def message_for(self, result: Term) -> str:
        return _("“%(term)s” is replaced by “%(codename)s”.") % {
            "term": result.text,
            "codename": result.codename,
        }

    def success_url_for(self, result: Term) -> str:
        return str(self.success_url)


class TermDeleteView(generic.ObjectView):
    """Ask before removing a term; remove it on confirmation."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/term_confirm_delete.html"
    model = Term
    context_object_name = "term"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        services.term_delete(term=self.object)
        messages.success(request, _("The term has been removed from the dictionary."))
        return redirect("blackbox:terms")


class TermsImportView(generic.UploadImportView):
    """Upload a CSV or Excel dictionary; every row is written, or none."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/terms_import.html"
    form_class = TermsImportForm
    success_url = reverse_lazy("blackbox:terms")

    def parse(self, content: bytes, file_name: str) -> ParsedTerms:
        return parse_terms_file(content, file_name)

    def preview(self, parsed: ParsedTerms) -> int:
        return len(parsed.rows)

    def write(self, parsed: ParsedTerms) -> services.ImportResult:
        return services.terms_import(parsed=parsed)

    def result_message(self, result: services.ImportResult) -> str:
        return _(
            "Import finished: %(created)d added, %(updated)d updated, %(unchanged)d unchanged."
        ) % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


class TermsExportView(generic.ProtectedView):
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
            sheet.append(safe_row(self.COLUMNS))
            for row in rows:
                sheet.append(safe_row(row))
            buffer = io.BytesIO()
            workbook.save(buffer)
            response = HttpResponse(
                buffer.getvalue(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = 'attachment; filename="codenames.xlsx"'
            return response
        buffer = io.StringIO()
        writer = csv_writer(buffer, lineterminator="\r\n")
        writer.writerow(self.COLUMNS)
        writer.writerows(rows)
        response = HttpResponse(
            buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="codenames.csv"'
        return response


# --- scan and restore ------------------------------------------------------------------------


class ScanView(generic.ServiceFormView):
    """Check a document for what should not leave: terms, markings, labels, authors,
    comments, tracked changes, hidden and embedded content. PDF too."""

    capability = Capability.BLACKBOX_USE
    template_name = "blackbox/scan.html"
    form_class = DocumentForm
    invalid_status = 400

    def perform(self, form: DocumentForm) -> engine.ScanReport:
        upload = form.cleaned_data["file"]
        self.file_name = upload.name
        return services.document_scan(file_name=upload.name or "", data=upload.read())

    def success_response(self, report: engine.ScanReport) -> HttpResponse:
        context = {
            "form": DocumentForm(),
            "report": report,
            "file_name": self.file_name,
            "findings": _finding_rows(report),
            "ocr_missing": _ocr_missing(report),
            "secrets": len(report.secrets),
            "reviews": len(report.reviews),
        }
        return render(self.request, self.template_name, context)


class RestoreView(generic.ServiceFormView):
    """Turn the codenames of a document that came back into the real names (officer)."""

    capability = Capability.BLACKBOX_RESTORE
    template_name = "blackbox/restore.html"
    form_class = DocumentForm
    invalid_status = 400

    def perform(self, form: DocumentForm) -> tuple[Sanitization, engine.SanitizeResult]:
        upload = form.cleaned_data["file"]
        return services.sanitization_restore(
            user=self.request.user, file_name=upload.name or "", data=upload.read()
        )

    def success_response(self, restored: tuple[Sanitization, Any]) -> HttpResponse:
        sanitization, result = restored
        response = HttpResponse(result.data, content_type="application/octet-stream")
        response["Content-Disposition"] = _attachment(sanitization.output_name)
        return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(name)}"
