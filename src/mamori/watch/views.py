"""Pages of the departure watch: the watched people, a person's timeline, imports,
unmatched accounts and settings; and a small JSON endpoint.

Everyone with ``WATCH_VIEW`` (the officer, auditors) reads; only ``COMPANY_MANAGE`` (the
officer) imports, runs the analysis or changes aliases and settings. Every page view is
written to the audit log: who looked at whose risk, and when.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.request import Request
from rest_framework.response import Response

from mamori.accounts.roles import Capability
from mamori.api.views import ProtectedAPIView
from mamori.audit.models import Action
from mamori.audit.services import audit_record
from mamori.core.views import (
    ButtonView,
    ObjectActionsView,
    ObjectDeleteView,
    ProtectedView,
    ServiceFormView,
    inline_action,
    paginate,
)
from mamori.people.models import Person
from mamori.watch import selectors, services
from mamori.watch.charts import timeline_chart
from mamori.watch.forms import (
    AliasForm,
    AssetPathForm,
    AssignAccountForm,
    ImportForm,
    SettingsForm,
)
from mamori.watch.models import AccountAlias, AssetPath, LogImport, WatchSettings

PAGE_TYPE = "watch.page"
PERSON_TYPE = "watch.person"


class WatchView(ProtectedView):
    """A watch page: read with ``WATCH_VIEW``, write with ``COMPANY_MANAGE``; each
    successful view is audited."""

    capability = Capability.WATCH_VIEW
    write_capability = Capability.COMPANY_MANAGE

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            self.audit_view(request)
        return response

    def audit_view(self, request: HttpRequest) -> None:
        audit_record(
            action=Action.VIEW,
            object_type=PAGE_TYPE,
            object_id=request.resolver_match.url_name if request.resolver_match else "",
            object_repr=request.get_full_path()[:200],
        )

    def can_manage(self) -> bool:
        return self.request.user.has_capability(Capability.COMPANY_MANAGE)


class IndexView(WatchView):
    """The watched people (notice given, or left within the window), highest risk first."""

    template_name = "watch/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        run = selectors.latest_run()
        query = request.GET.get("q", "").strip()
        flagged = request.GET.get("flagged") == "1"
        page = paginate(request, selectors.watched_people(run, query=query, flagged=flagged))
        for row in page.object_list:
            row.behaviours = selectors.behaviours(row, _language())
        context = {
            "run": run,
            "page": page,
            "query": query,
            "flagged": flagged,
            "can_manage": self.can_manage(),
            "settings": services.watch_settings(),
            "imports": selectors.log_imports()[:1],
        }
        return render(request, self.template_name, context)


class RunView(WatchView, ButtonView):
    """Run the analysis now (the officer)."""

    success_url = reverse_lazy("watch:index")

    def perform(self) -> str:
        run = services.analysis_run(user=self.request.user)
        return _(
            "The analysis ran over %(events)s events: %(watched)d people watched, "
            "%(flagged)d above the threshold."
        ) % {
            "events": f"{run.events:,}",
            "watched": run.watched,
            "flagged": run.flagged,
        }


def _language() -> str:
    return translation.get_language() or "ja"


class PersonView(WatchView, ObjectActionsView):
    """One watched person: the reasons, a daily timeline with the notice marked, the
    events of the most unusual days, and the accounts matched to them."""

    template_name = "watch/person.html"
    context_object_name = "person"
    default_action = "alias"

    def find_object(self, key: Any) -> Person | None:
        return Person.objects.select_related("department").filter(pk=key).first()

    @inline_action(
        AliasForm,
        anchor="aliases",
        message=gettext_lazy("The account alias has been added; it counts from the next run."),
    )
    def alias(self, person: Person, data: dict[str, Any]) -> None:
        services.alias_add(person=person, account=data["account"], note=data["note"])

    def page_url(self) -> str:
        return reverse("watch:person", kwargs={"pk": self.object.pk})

    def audit_view(self, request: HttpRequest) -> None:
        audit_record(
            action=Action.VIEW,
            object_type=PERSON_TYPE,
            object_id=self.object.pk,
            object_repr=self.object.name,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        run = selectors.latest_run()
        risk = selectors.person_risk(run, self.object)
        return {
            **context,
            "run": run,
            "risk": risk,
            "reasons": selectors.reasons_of(risk) if risk else [],
            "indicators": selectors.indicator_rows(risk) if risk else [],
            "chart": timeline_chart(risk.series, risk.anchor, _language()) if risk else None,
            "events": selectors.top_events(risk) if risk else [],
            "aliases": selectors.aliases_of(self.object),
            "form": context["forms"].get("alias") or AliasForm(),
            "can_manage": self.can_manage(),
            "above": risk is not None and run is not None and risk.score >= run.threshold,
        }


def _alias_remove(view: Any, alias: AccountAlias) -> None:
    services.alias_remove(alias=alias)


class AliasDeleteView(WatchView, ObjectDeleteView):
    """Remove an account alias, after asking (the officer only)."""

    capability = Capability.COMPANY_MANAGE
    template_name = "watch/confirm_delete.html"
    service = staticmethod(_alias_remove)
    success_message = gettext_lazy("The account alias has been removed.")

    def find_object(self, pk: Any) -> AccountAlias | None:
        return AccountAlias.objects.select_related("person").filter(pk=pk).first()

    def success_url_for(self, alias: AccountAlias) -> str:
        return reverse("watch:person", kwargs={"pk": alias.person_id}) + "#aliases"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        alias = self.object
        return super().get_context_data(
            title=_("Remove the account alias “%(account)s”?") % {"account": alias},
            explanation=_(
                "Events of this account will no longer count for %(name)s from the next run."
            )
            % {"name": alias.person.name},
            back=reverse("watch:person", kwargs={"pk": alias.person_id}),
            **kwargs,
        )


class ImportListView(WatchView, ServiceFormView):
    """The import history, and the upload of a log file (large files: the command line)."""

    template_name = "watch/imports.html"
    form_class = ImportForm
    invalid_status = 400

    def perform(self, form: ImportForm) -> LogImport:
        data = form.cleaned_data
        return services.log_import_upload(
            upload=data["file"],
            fmt=data["format"],
            user=self.request.user,
            date_order=data.get("date_order") or None,
        )

    def get_success_url_for(self, record: LogImport) -> str:
        return reverse("watch:import", kwargs={"pk": record.pk})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            page=paginate(self.request, selectors.log_imports()),
            can_manage=self.can_manage(),
            **kwargs,
        )


class ImportDetailView(WatchView):
    """What one import did: records read, events added, duplicates, lines skipped."""

    template_name = "watch/import.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(LogImport.objects.select_related("imported_by"), pk=pk)
        english = _language().startswith("en")
        errors = [
            {"line": e["line"], "text": e["en"] if english else e["ja"]} for e in record.errors
        ]
        return render(
            request,
            self.template_name,
            {
                "record": record,
                "errors": errors,
                "errors_hidden": max(0, record.skipped - len(errors)),
                "can_manage": self.can_manage(),
            },
        )


class UnmatchedView(WatchView, ServiceFormView):
    """Accounts in the logs that match nobody: say who they are."""

    template_name = "watch/unmatched.html"
    form_class = AssignAccountForm
    invalid_status = 400
    refusal_as_message = True  # each row draws its own form afresh
    success_url = reverse_lazy("watch:unmatched")

    def perform(self, form: AssignAccountForm) -> dict[str, Any]:
        data = form.cleaned_data
        services.alias_add(person=data["person"], account=data["account"])
        return data

    def message_for(self, data: dict[str, Any]) -> str:
        return _("%(account)s is now matched to %(name)s from the next run.") % {
            "account": data["account"],
            "name": data["person"].name,
        }

    def form_invalid(self, form: AssignAccountForm) -> HttpResponse:
        if form.errors:
            messages.error(self.request, _("Choose the person this account belongs to."))
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        run = selectors.latest_run()
        query = self.request.GET.get("q", "").strip()
        page = paginate(self.request, selectors.unmatched_accounts(run, query=query))
        can_manage = self.can_manage()
        if can_manage:
            for row in page.object_list:
                row.form = AssignAccountForm(initial={"account": row.account})
        return super().get_context_data(
            run=run, page=page, query=query, can_manage=can_manage, **kwargs
        )


class SettingsView(WatchView, ObjectActionsView):
    """The window, working hours and threshold; and the paths that identify assets."""

    template_name = "watch/settings.html"
    default_action = "settings"

    def find_object(self, key: Any) -> WatchSettings:
        return services.watch_settings()

    def page_url(self) -> str:
        return reverse("watch:settings")

    @inline_action(
        SettingsForm,
        message=gettext_lazy("The settings have been saved; they apply from the next run."),
    )
    def settings(self, current: WatchSettings, data: dict[str, Any]) -> None:
        services.settings_save(**data)

    @inline_action(AssetPathForm, anchor="paths", message=gettext_lazy("The path has been added."))
    def path(self, current: WatchSettings, data: dict[str, Any]) -> None:
        services.asset_path_add(**data)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        current = self.object
        initial = {
            name: getattr(current, name)
            for name in (
                "before_days",
                "after_days",
                "work_start_hour",
                "work_end_hour",
                "threshold",
                "company_domains",
            )
        }
        return {
            **context,
            "form": self.bound.get("settings") or SettingsForm(initial=initial),
            "path_form": self.bound.get("path") or AssetPathForm(),
            "paths": selectors.asset_paths(),
            "can_manage": self.can_manage(),
        }


def _path_remove(view: Any, path: AssetPath) -> None:
    services.asset_path_remove(path=path)


class AssetPathDeleteView(WatchView, ObjectDeleteView):
    """Remove an asset path, after asking (the officer only)."""

    capability = Capability.COMPANY_MANAGE
    template_name = "watch/confirm_delete.html"
    service = staticmethod(_path_remove)
    success_message = gettext_lazy("The path has been removed.")

    def find_object(self, pk: Any) -> AssetPath | None:
        return AssetPath.objects.select_related("asset").filter(pk=pk).first()

    def success_url_for(self, path: AssetPath) -> str:
        return reverse("watch:settings") + "#paths"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        path = self.object
        return super().get_context_data(
            title=_("Remove the path “%(pattern)s”?") % {"pattern": path.pattern},
            explanation=_("Log entries under it will no longer count as access to “%(asset)s”.")
            % {"asset": path.asset.name},
            back=reverse("watch:settings") + "#paths",
            **kwargs,
        )


class WatchPeopleAPIView(ProtectedAPIView):
    """``GET /watch/api/people/``: the latest run's watched people, highest score first,
    with the reasons (audited like the pages)."""

    capability = Capability.WATCH_VIEW

    def get(self, request: Request) -> Response:
        run = selectors.latest_run()
        audit_record(action=Action.EXPORT, object_type=PAGE_TYPE, object_id="api_people")
        if run is None:
            return Response({"run": None, "people": []})
        language = "en" if request.query_params.get("lang") == "en" else "ja"
        people = [
            {
                "person": row.person_id,
                "name": row.person.name,
                "score": row.score,
                "above_threshold": row.score >= run.threshold,
                "notice": row.anchor.isoformat(),
                "window": [row.window_start.isoformat(), row.window_end.isoformat()],
                "reasons": [{"code": r["code"], "text": r[language]} for r in row.reasons],
            }
            for row in selectors.watched_people(run)
        ]
        return Response(
            {
                "run": {
                    "at": run.created_at.isoformat(timespec="seconds"),
                    "today": run.today.isoformat(),
                    "threshold": run.threshold,
                    "events": run.events,
                },
                "people": people,
            }
        )
