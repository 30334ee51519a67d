"""Information assets (need-to-know on details) and secrecy classes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.assets import selectors, services
from mamori.assets.forms import (
    AssetForm,
    SecrecyClassForm,
    options_html,
)
from mamori.assets.models import (
    AssetKind,
    InformationAsset,
    SecrecyClass,
)
from mamori.assets.views._common import ASSET_TYPE, form_error
from mamori.audit.models import Action
from mamori.audit.services import audit_record_object
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedTemplateView, ProtectedView, paginate
from mamori.findings.selectors import findings_for_object

# --- information assets --------------------------------------------------------------------


ASSET_FILTERS = ("q", "kind", "secrecy_class", "technology", "owner")


class AssetListView(ProtectedTemplateView):
    """Names and classes of the information assets; never their details."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "assets/asset_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = {key: self.request.GET.get(key, "").strip() for key in ASSET_FILTERS}
        if params["kind"] not in AssetKind.values:
            params["kind"] = ""
        for key in ("technology", "owner"):
            if not params[key].isdigit():
                params[key] = ""
        if params["secrecy_class"] != "none" and not params["secrecy_class"].isdigit():
            params["secrecy_class"] = ""
        assets = selectors.asset_filter(
            query=params["q"],
            kind=params["kind"],
            secrecy_class=params["secrecy_class"],
            technology=params["technology"],
            owner=params["owner"],
        )
        page = paginate(self.request, assets, 50)
        counts = selectors.active_grant_counts([asset.pk for asset in page.object_list])
        rows = [(asset, counts.get(asset.pk, 0)) for asset in page.object_list]
        return super().get_context_data(
            page=page,
            rows=rows,
            params=params,
            filtered=any(params.values()),
            kinds=AssetKind.choices,
            classes=SecrecyClass.objects.order_by("rank"),
            technologies=selectors.technology_choices(),
            # Thousands of owners: the options are built in Python, not one template each.
            owner_options=options_html(
                selectors.asset_owners().values_list("pk", "name"), [params["owner"]]
            ),
            **kwargs,
        )


class AssetView(ProtectedView):
    """An asset's name, kind, class, owner, technologies and grants for the programme's
    readers; its details only for those who need to know, each view audited.

    A grant holder or owner without access to the programme still reaches the page of
    their own asset, and sees the details but not who else has access.
    """

    capability = Capability.SELF_SERVICE
    template_name = "assets/asset.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        asset = get_object_or_404(
            InformationAsset.objects.select_related("secrecy_class", "owner"), pk=pk
        )
        user = request.user
        reads_programme = user.has_capability(Capability.PROGRAMME_VIEW)
        details_visible = selectors.can_see_asset_details(user, asset)
        if not reads_programme and not details_visible:
            raise PermissionDenied
        if details_visible:
            audit_record_object(asset, action=Action.VIEW)
        context: dict[str, Any] = {
            "asset": asset,
            "details_visible": details_visible,
            "reads_programme": reads_programme,
            "technologies": selectors.asset_technologies(asset),
            "steps": asset.steps.select_related("technology").order_by("technology__name", "order"),
            "can_edit": user.has_capability(Capability.REGISTERS_EDIT),
        }
        if reads_programme:
            context["grants"] = paginate(request, selectors.grants_of_asset(asset), 50)
            context["findings"] = findings_for_object(ASSET_TYPE, asset.pk, self.request.user)
        return render(request, self.template_name, context)


class AssetEditView(ProtectedView):
    """Create (no ``pk``) or edit an asset. The form shows the details, so editing needs
    the same need-to-know as reading them, and opening the form is audited as a view."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/asset_form.html"

    def get_asset(self, pk: int | None) -> InformationAsset | None:
        if not pk:
            return None
        asset = get_object_or_404(InformationAsset, pk=pk)
        if not selectors.can_see_asset_details(self.request.user, asset):
            raise PermissionDenied
        return asset

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        asset = self.get_asset(pk)
        initial = {}
        if asset is not None:
            audit_record_object(asset, action=Action.VIEW)
        elif request.GET.get("technology", "").isdigit():
            initial["technologies"] = [int(request.GET["technology"])]
        form = AssetForm(instance=asset, initial=initial)
        return render(request, self.template_name, {"asset": asset, "form": form})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        asset = self.get_asset(pk)
        form = AssetForm(request.POST, instance=asset)
        if form.is_valid():
            fields = form.service_fields()
            try:
                technologies = form.cleaned_data["technologies"]
                if asset is None:
                    saved = services.asset_save(technologies=technologies, **fields)
                    asked = None
                else:
                    saved, asked = services.asset_change(
                        asset=asset, changed_by=request.user, technologies=technologies, **fields
                    )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The information asset has been saved."))
                if asked is not None:
                    messages.info(
                        request,
                        services.CLASS_CHANGE_NEEDS_APPROVAL
                        % {"asset": saved, "old": saved.secrecy_class},
                    )
                return redirect("assets:asset", pk=saved.pk)
        return render(request, self.template_name, {"asset": asset, "form": form}, status=400)


class SecrecyClassListView(ProtectedView):
    """The officer's list of secrecy classes: add, rename and re-rank."""

    capability = Capability.COMPANY_MANAGE
    template_name = "assets/secrecy_classes.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, SecrecyClassForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SecrecyClassForm(request.POST)
        if form.is_valid():
            try:
                services.secrecy_class_save(**form.cleaned_data)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The secrecy class has been added."))
                return redirect("assets:secrecy_classes")
        return self.render_page(request, form, http_status=400)

    def render_page(self, request: HttpRequest, form: Any, http_status: int = 200) -> HttpResponse:
        context = {"classes": selectors.secrecy_classes(), "form": form}
        return render(request, self.template_name, context, status=http_status)


class SecrecyClassEditView(ProtectedView):
    capability = Capability.COMPANY_MANAGE
    template_name = "assets/secrecy_class_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        secrecy_class = get_object_or_404(SecrecyClass, pk=pk)
        form = SecrecyClassForm(instance=secrecy_class)
        return render(request, self.template_name, {"secrecy_class": secrecy_class, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        secrecy_class = get_object_or_404(SecrecyClass, pk=pk)
        form = SecrecyClassForm(request.POST, instance=secrecy_class)
        if form.is_valid():
            try:
                services.secrecy_class_save(secrecy_class=secrecy_class, **form.cleaned_data)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The secrecy class has been saved."))
                return redirect("assets:secrecy_classes")
        context = {"secrecy_class": secrecy_class, "form": form}
        return render(request, self.template_name, context, status=400)


class SecrecyClassMoveView(ProtectedView):
    """Move a class one rank up (more secret) or down."""

    capability = Capability.COMPANY_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        secrecy_class = get_object_or_404(SecrecyClass, pk=pk)
        services.secrecy_class_move(
            secrecy_class=secrecy_class, up=request.POST.get("direction") == "up"
        )
        return redirect("assets:secrecy_classes")
