"""The Excel and CSV page: export, import templates, and upload → check → confirm → import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.core.errors import ApplicationError
from mamori.core.tabular import FileError
from mamori.core.views import ProtectedView
from mamori.exchange import export as exporting
from mamori.exchange.blanks import template_csv, template_workbook
from mamori.exchange.forms import ConfirmForm, ExportForm, ImportForm
from mamori.exchange.pending import pending_delete, pending_load, pending_save
from mamori.exchange.planning import ImportPlan, RowError, plan_import
from mamori.exchange.services import ExchangeImportError, ImportResult, exchange_import
from mamori.exchange.spec import get_registry
from mamori.exchange.writers import CREATED, UNCHANGED, UPDATED

ERRORS_SHOWN = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _language() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _index_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    registry = get_registry()
    language = _language()
    return {
        "export_form": extra.pop("export_form", None) or ExportForm(user=request.user),
        "import_form": extra.pop("import_form", None) or ImportForm(),
        "may_import": request.user.has_capability(Capability.REGISTERS_EDIT),
        "importable": [(r.name, r.sheet(language)) for r in registry.importable],
        **extra,
    }


class ExchangeIndexView(ProtectedView):
    """Export every register; for editors, templates and the import."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "exchange/index.html", _index_context(request))


class ExportView(ProtectedView):
    """Download registers as an .xlsx workbook, one CSV, or a zip of CSV files."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ExportForm(data=request.GET, user=request.user)
        if not form.is_valid():
            context = _index_context(request, export_form=form)
            return render(request, "exchange/index.html", context, status=400)
        data = form.cleaned_data
        registry = get_registry()
        chosen = [registry[data["register"]]] if data["register"] else None
        stamp = timezone.localdate().strftime("%Y%m%d")
        try:
            if data["format"] == "xlsx":
                result = exporting.export_workbook(
                    registers=chosen, user=request.user, language=data["language"]
                )
                name = data["register"] or "registers"
                return _download(result.content, f"mamori-{name}-{stamp}.xlsx", XLSX)
            if chosen:
                result = exporting.export_csv(
                    register=chosen[0],
                    user=request.user,
                    language=data["language"],
                    encoding=data["encoding"],
                )
                charset = "shift_jis" if data["encoding"] == "cp932" else "utf-8"
                return _download(
                    result.content,
                    f"mamori-{chosen[0].name}-{stamp}.csv",
                    f"text/csv; charset={charset}",
                )
            result = exporting.export_csv_zip(
                user=request.user, language=data["language"], encoding=data["encoding"]
            )
            return _download(result.content, f"mamori-csv-{stamp}.zip", "application/zip")
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            context = _index_context(request, export_form=form)
            return render(request, "exchange/index.html", context, status=400)


class ImportTemplateView(ProtectedView):
    """An import template: ``all`` (every importable register) or one register, as .xlsx
    or CSV."""

    capability = Capability.REGISTERS_EDIT

    def get(self, request: HttpRequest, name: str, fmt: str) -> HttpResponse:
        registry = get_registry()
        language = request.GET.get("language") or _language()
        if name == "all" and fmt == "xlsx":
            content = template_workbook(language=language)
            return _download(content, "mamori-import-template.xlsx", XLSX)
        register = registry.registers.get(name)
        if register is None or not register.importable or fmt not in ("xlsx", "csv"):
            raise Http404
        if fmt == "csv":
            content = template_csv(register, language)
            return _download(content, f"{register.name}.csv", "text/csv; charset=utf-8")
        content = template_workbook([register], language)
        return _download(content, f"mamori-import-{register.name}.xlsx", XLSX)


def _render_check(
    request: HttpRequest,
    *,
    errors: list[RowError] | None = None,
    plan: ImportPlan | None = None,
    token: str = "",
    file_name: str = "",
    form: ImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = errors or []
    context = {
        "form": form or ImportForm(),
        "errors": errors[:ERRORS_SHOWN],
        "error_count": len(errors),
        "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
        "plan": plan,
        "confirm_form": ConfirmForm(initial={"token": token}) if token else None,
        "file_name": file_name,
    }
    return render(request, "exchange/import.html", context, status=status)


class ImportView(ProtectedView):
    """Upload a file and see what importing it would do, or every error it has."""

    capability = Capability.REGISTERS_EDIT

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("exchange:index")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ImportForm(data=request.POST, files=request.FILES, request=request)
        if not form.is_valid():
            return _render_check(request, form=form, status=400)
        upload = form.cleaned_data["file"]
        content, name = upload.read(), upload.name or ""
        register = form.cleaned_data["register"]
        try:
            plan = plan_import(content, name, register=register or None, user=request.user)
        except FileError as exc:
            form.add_error("file", exc.message)
            return _render_check(request, form=form, status=400)
        if plan.errors:
            return _render_check(request, errors=plan.errors, file_name=name, status=400)
        token = pending_save(user=request.user, content=content, filename=name, register=register)
        return _render_check(request, plan=plan, token=token, file_name=name)


class ImportConfirmView(ProtectedView):
    """Import a checked file; it is checked again, since the registers may have changed."""

    capability = Capability.REGISTERS_EDIT

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("exchange:index")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ConfirmForm(data=request.POST)
        pending = (
            pending_load(user=request.user, token=form.cleaned_data["token"])
            if form.is_valid()
            else None
        )
        if pending is None:
            messages.error(
                request, _("The checked file is no longer there; upload it again, please.")
            )
            return redirect("exchange:index")
        token = form.cleaned_data["token"]
        try:
            plan = plan_import(
                pending.content,
                pending.filename,
                register=pending.register or None,
                user=request.user,
            )
            result = exchange_import(plan=plan, user=request.user)
        except FileError as exc:
            pending_delete(user=request.user, token=token)
            messages.error(request, exc.message)
            return redirect("exchange:index")
        except ExchangeImportError as exc:
            pending_delete(user=request.user, token=token)
            return _render_check(request, errors=exc.errors, file_name=pending.filename, status=400)
        pending_delete(user=request.user, token=token)
        messages.success(request, result_message(result))
        return redirect("exchange:index")


def result_message(result: ImportResult) -> str:
    """Return the one-line summary of an import: per register, added / updated / unchanged."""
    registry = get_registry()
    language = _language()
    parts = [
        _("%(register)s: %(created)d added, %(updated)d updated, %(unchanged)d unchanged")
        % {
            "register": registry[name].sheet(language),
            "created": counts[CREATED],
            "updated": counts[UPDATED],
            "unchanged": counts[UNCHANGED],
        }
        for name, counts in result.counts.items()
    ]
    return _("Import finished. %(summary)s.") % {"summary": "; ".join(parts)}
