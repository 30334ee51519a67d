from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.audit import selectors
from mamori.audit.export import entry_rows
from mamori.audit.forms import AuditFilterForm
from mamori.audit.models import Action
from mamori.audit.reading import EntryReader
from mamori.audit.services import audit_record, audit_verify
from mamori.core.cells import csv_writer
from mamori.core.views import ProtectedTemplateView, ProtectedView, paginate

VERIFY_REASON_MESSAGES = {
    "missing": gettext_lazy("the entry is missing"),
    "link": gettext_lazy("it does not link to the previous entry"),
    "content": gettext_lazy("its content does not match its hash"),
    "truncated": gettext_lazy("newer entries have been removed"),
    "unkeyed": gettext_lazy("the log is not keyed with this installation's audit key"),
    "checkpoint": gettext_lazy("it differs from the entry a checkpoint recorded"),
    "checkpoint_file": gettext_lazy(
        "a checkpoint file has been altered or is signed with another key"
    ),
}


class AuditLogView(ProtectedTemplateView):
    capability = Capability.AUDIT_VIEW
    template_name = "audit/log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = AuditFilterForm(self.request.GET or None)
        filters = form.filters() if form.is_bound else {}
        entries = selectors.entry_list(**filters)
        page = paginate(self.request, entries, per_page=50)
        # Secret details stay need-to-know in the log too.
        masked = selectors.SecretMask(self.request.user).entries(page.object_list)
        page.object_list = EntryReader().read(masked)
        return super().get_context_data(
            form=form,
            page=page,
            facets=selectors.entry_facets(),
            **kwargs,
        )


class _Echo:
    def write(self, value: str) -> str:
        return value


class AuditExportView(ProtectedView):
    """Stream the filtered log as CSV (UTF-8 with BOM so that Excel reads Japanese)."""

    capability = Capability.AUDIT_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AuditFilterForm(request.GET or None)
        filters = form.filters() if form.is_bound else {}
        audit_record(
            action=Action.EXPORT,
            object_type="audit.auditentry",
            object_repr="CSV",
            changes={"filters": filters},
        )
        entries = selectors.SecretMask(request.user).entries(
            selectors.entry_list(**filters).order_by("seq").iterator(chunk_size=2000)
        )
        writer = csv_writer(_Echo())

        def stream():
            yield "\ufeff"
            for row in entry_rows(entries):
                yield writer.writerow(row)

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="mamori-audit-{stamp}.csv"'
        return response


class AuditVerifyView(ProtectedView):
    capability = Capability.AUDIT_VIEW
    write_capability = Capability.AUDIT_VIEW
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        result = audit_verify()
        if result.ok:
            messages.success(
                request,
                _("The audit log is intact: %(count)s entries verified.")
                % {"count": result.checked},
            )
        else:
            messages.error(
                request,
                _("The audit log has been tampered with at entry #%(seq)s: %(reason)s.")
                % {"seq": result.failed_seq, "reason": VERIFY_REASON_MESSAGES[result.reason_code]},
            )
        return redirect("audit:log")
