"""Information assets (need-to-know on details) and secrecy classes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy

from mamori.accounts.roles import Capability
from mamori.assets import selectors, services
from mamori.assets.forms import AssetForm, SecrecyClassForm
from mamori.assets.models import (
    AssetKind,
    InformationAsset,
    SecrecyClass,
)
from mamori.assets.views._common import ASSET_TYPE
from mamori.core.forms import options_html
from mamori.core.views import (
    ObjectEditView,
    ObjectView,
    ProtectedTemplateView,
    ProtectedView,
    ServiceFormView,
    paginate,
)
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
            can_edit=self.can(Capability.REGISTERS_EDIT),
            kinds=AssetKind.choices,
            classes=SecrecyClass.objects.order_by("rank"),
            technologies=selectors.technology_choices(),
            # Thousands of owners: the options are built in Python, not one template each.
            owner_options=options_html(
                selectors.asset_owners().values_list("pk", "name"), [params["owner"]]
            ),
            **kwargs,
        )


class AssetView(ObjectView):
    """An asset's name, kind, class, owner, technologies and grants for the programme's
    readers; its details only for those who need to know, each view audited.

    A grant holder or owner without access to the programme still reaches the page of
    their own asset, and sees the details but not who else has access.
    """

    capability = Capability.SELF_SERVICE
    template_name = "assets/asset.html"
    context_object_name = "asset"

    def find_object(self, pk: Any) -> InformationAsset | None:
        return (
            InformationAsset.objects.select_related("secrecy_class", "owner").filter(pk=pk).first()
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        asset, user = self.object, self.request.user
        reads_programme = user.has_capability(Capability.PROGRAMME_VIEW)
        if not reads_programme and not self.details_visible:
            raise PermissionDenied
        context = super().get_context_data(
            reads_programme=reads_programme,
            technologies=selectors.asset_technologies(asset),
            steps=asset.steps.select_related("technology").order_by("technology__name", "order"),
            can_edit=user.has_capability(Capability.REGISTERS_EDIT),
            **kwargs,
        )
        if reads_programme:
            context["grants"] = paginate(self.request, selectors.grants_of_asset(asset), 50)
            context["findings"] = findings_for_object(ASSET_TYPE, asset.pk, user)
        return context


class AssetEditView(ObjectEditView):
    """Create (no ``pk``) or edit an asset. The form shows the details, so editing needs
    the same need-to-know as reading them, and opening the form is audited as a view."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/asset_form.html"
    form_class = AssetForm
    model = InformationAsset
    need_to_know = True
    context_object_name = "asset"
    invalid_status = 400
    success_message = gettext_lazy("The information asset has been saved.")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if not self.editing and self.request.GET.get("technology", "").isdigit():
            initial["technologies"] = [int(self.request.GET["technology"])]
        return initial

    # The lowering of the class asked for instead of made (needs approval).
    asked: Any = None

    def perform(self, form: AssetForm) -> InformationAsset:
        fields = form.service_fields()
        technologies = form.cleaned_data["technologies"]
        if not self.editing:
            return services.asset_save(technologies=technologies, **fields)
        saved, self.asked = services.asset_change(
            asset=self.object, changed_by=self.request.user, technologies=technologies, **fields
        )
        return saved

    def success_response(self, saved: InformationAsset) -> HttpResponse:
        response = super().success_response(saved)
        if self.asked is not None:
            messages.info(
                self.request,
                services.CLASS_CHANGE_NEEDS_APPROVAL % {"asset": saved, "old": saved.secrecy_class},
            )
        return response


class SecrecyClassListView(ServiceFormView):
    """The officer's list of secrecy classes: add, rename and re-rank."""

    capability = Capability.COMPANY_MANAGE
    template_name = "assets/secrecy_classes.html"
    form_class = SecrecyClassForm
    invalid_status = 400
    success_message = gettext_lazy("The secrecy class has been added.")
    success_url = reverse_lazy("assets:secrecy_classes")

    def perform(self, form: SecrecyClassForm) -> SecrecyClass:
        return services.secrecy_class_save(**form.cleaned_data)

    def get_success_url_for(self, result: SecrecyClass) -> str:
        return self.get_success_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(classes=selectors.secrecy_classes(), **kwargs)


def _secrecy_class_save(view: Any, secrecy_class: SecrecyClass, data: dict[str, Any]) -> Any:
    return services.secrecy_class_save(secrecy_class=secrecy_class, **data)


class SecrecyClassEditView(ObjectEditView):
    capability = Capability.COMPANY_MANAGE
    template_name = "assets/secrecy_class_form.html"
    form_class = SecrecyClassForm
    model = SecrecyClass
    context_object_name = "secrecy_class"
    invalid_status = 400
    service = staticmethod(_secrecy_class_save)
    success_message = gettext_lazy("The secrecy class has been saved.")

    def success_url_for(self, result: Any) -> str:
        return reverse("assets:secrecy_classes")


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
