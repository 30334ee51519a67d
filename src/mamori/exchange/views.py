"""The Excel and CSV page: export, import templates, and upload → check → confirm → import."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.core import views as generic
from mamori.core.errors import ApplicationError
from mamori.exchange import export as exporting
from mamori.exchange.blanks import template_csv, template_workbook
from mamori.exchange.forms import ConfirmForm, ExportForm, ImportForm
from mamori.exchange.pending import pending_delete, pending_load, pending_save
from mamori.exchange.planning import ImportPlan, plan_import
from mamori.exchange.services import ImportResult, exchange_import
from mamori.exchange.spec import get_registry
from mamori.exchange.writers import CREATED, REQUESTED, UNCHANGED, UPDATED

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


class ExchangeIndexView(generic.ProtectedView):
    """Export every register; for editors, templates and the import."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "exchange/index.html", _index_context(request))


class ExportView(generic.ServiceFormView):
    """Download registers as an .xlsx workbook, one CSV, or a zip of CSV files."""

    capability = Capability.PROGRAMME_VIEW
    http_method_names = ["get", "head", "options"]
    template_name = "exchange/index.html"
    form_class = ExportForm
    invalid_status = 400

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "data": self.request.GET,
            "user": self.request.user,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _index_context(self.request, export_form=kwargs["form"])

    def show_refusal(self, form: ExportForm, exc: ApplicationError) -> None:
        form.add_error(None, exc.message)  # above the form, whichever field it names

    def success_response(self, download: HttpResponse) -> HttpResponse:
        return download

    def perform(self, form: ExportForm) -> HttpResponse:
        request = self.request
        data = form.cleaned_data
        registry = get_registry()
        chosen = [registry[data["register"]]] if data["register"] else None
        stamp = timezone.localdate().strftime("%Y%m%d")
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


class ImportTemplateView(generic.ProtectedView):
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


class ImportView(generic.UploadImportView):
    """Upload a file and see what importing it would do, or every error it has."""

    capability = Capability.REGISTERS_EDIT
    template_name = "exchange/import.html"
    form_class = ImportForm
    success_url = reverse_lazy("exchange:index")
    always_preview = True
    gone_message = gettext_lazy("The checked file is no longer there; upload it again, please.")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return redirect("exchange:index")

    @cached_property
    def register(self) -> str:
        return self.form.cleaned_data["register"]

    def parse(self, content: bytes, file_name: str) -> ImportPlan:
        return plan_import(
            content, file_name, register=self.register or None, user=self.request.user
        )

    def preview(self, plan: ImportPlan) -> ImportPlan:
        return plan

    def preview_context(self, plan: ImportPlan, content: bytes, file_name: str) -> dict:
        token = pending_save(
            user=self.request.user, content=content, filename=file_name, register=self.register
        )
        return {"plan": plan, "confirm_form": ConfirmForm(initial={"token": token})}

    def error_context(self, file_name: str) -> dict[str, Any]:
        # The page offers a new upload beside the errors, not the one that failed.
        return {"file_name": file_name}

    def render_page(self, form: Any, errors: list | None = None, status: int = 200, **extra):
        if errors:
            form = ImportForm()
        return super().render_page(form, errors=errors, status=status, **extra)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {"plan": None, "confirm_form": None, "file_name": "", **kwargs}

    def write(self, plan: ImportPlan) -> ImportResult:
        return exchange_import(plan=plan, user=self.request.user)

    def result_message(self, result: ImportResult) -> str:
        return result_message(result)


class ImportConfirmView(ImportView):
    """Import a checked file; it is checked again, since the registers may have changed."""

    confirming = True

    @cached_property
    def pending(self) -> Any:
        form = ConfirmForm(data=self.request.POST)
        if not form.is_valid():
            return None
        self.token = form.cleaned_data["token"]
        return pending_load(user=self.request.user, token=self.token)

    @cached_property
    def register(self) -> str:
        return self.pending.register if self.pending else ""

    def kept(self) -> tuple[bytes, str] | None:
        pending = self.pending
        return None if pending is None else (pending.content, pending.filename)

    def forget(self) -> None:
        pending_delete(user=self.request.user, token=self.token)


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
    message = _("Import finished. %(summary)s.") % {"summary": "; ".join(parts)}
    requested = sum(counts.get(REQUESTED, 0) for counts in result.counts.values())
    if requested:
        message += " " + ngettext(
            "%(count)d change needs approval and has been asked for.",
            "%(count)d changes need approval and have been asked for.",
            requested,
        ) % {"count": requested}
    return message
