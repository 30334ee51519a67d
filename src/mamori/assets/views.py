"""Pages of the technology and information-asset registers, grants and access reviews.

An asset's details are need-to-know: they are rendered only for users who
``can_see_asset_details`` and every rendering is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.assets import selectors, services
from mamori.assets.forms import (
    ApprovalForm,
    AssetForm,
    ClassificationForm,
    GrantForm,
    PeriodicReviewForm,
    ProcessLimitForm,
    ProcessStepForm,
    ReviewDecisionForm,
    RevokeForm,
    SecrecyClassForm,
    TechnologyForm,
    options_html,
)
from mamori.assets.models import (
    AccessGrant,
    AccessReview,
    AccessReviewItem,
    AssetKind,
    Decision,
    ExportResult,
    InformationAsset,
    ProcessStep,
    SecrecyClass,
    Technology,
    TechnologyCategory,
)
from mamori.audit.models import Action
from mamori.audit.services import audit_record_object
from mamori.catalog.selectors import get_catalog
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedTemplateView, ProtectedView, paginate
from mamori.findings.selectors import findings_for_object

STEP_2 = "urn:mamori:step:2"
TECHNOLOGY_TYPE, ASSET_TYPE = "assets.technology", "assets.informationasset"


def category_points() -> dict[str, Any]:
    """Return the handbook's explanation of each technology category (STEP 2 points)."""
    return {point.id: point for point in get_catalog().step(STEP_2).points}


def _form_error(form: Any, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- technologies --------------------------------------------------------------------------


class TechnologyListView(ProtectedTemplateView):
    """The technologies to protect (STEP 2), with importance and export classification."""

    capability = Capability.PROGRAMME_VIEW
    template_name = "assets/technology_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        category = params.get("category", "")
        category = category if category in TechnologyCategory.values else ""
        query = params.get("q", "").strip()
        page = paginate(self.request, selectors.technology_list(query=query, category=category))
        return super().get_context_data(
            page=page,
            categories=TechnologyCategory.choices,
            selected_category=category,
            query=query,
            filtered=bool(query or category),
            **kwargs,
        )


TECHNOLOGY_FORMS = {
    "classification": ClassificationForm,
    "approval": ApprovalForm,
    "step": ProcessStepForm,
    "limit": ProcessLimitForm,
}


class TechnologyView(ProtectedView):
    """A technology: category, importance, strategy, export control, process and assets.

    Forms post here with an ``action``; an invalid one is shown again on the page.
    """

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    template_name = "assets/technology.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.get_technology(pk))

    def get_technology(self, pk: int) -> Technology:
        return get_object_or_404(Technology.objects.select_related("owner"), pk=pk)

    def make_form(self, action: str, technology: Technology, data: Any = None) -> Any:
        if action == "step":
            return ProcessStepForm(
                data,
                asset_choices=selectors.step_asset_choices(technology),
                initial={"order": technology.process_steps.count() + 1},
            )
        if action == "limit":
            return ProcessLimitForm(
                data, initial={"full_process_limit": technology.full_process_limit}
            )
        return TECHNOLOGY_FORMS[action](data)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        technology = self.get_technology(pk)
        action = request.POST.get("action", "")
        if action not in TECHNOLOGY_FORMS:
            return redirect("assets:technology", pk=technology.pk)
        if action == "limit" and not request.user.has_capability(Capability.COMPANY_MANAGE):
            raise PermissionDenied
        form = self.make_form(action, technology, request.POST)
        if form.is_valid():
            try:
                message = self.perform(action, technology, form.cleaned_data)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, message)
                url = reverse("assets:technology", kwargs={"pk": technology.pk})
                return redirect(f"{url}#{action}")
        return self.render_page(request, technology, bound={action: form}, http_status=400)

    def perform(self, action: str, technology: Technology, data: dict[str, Any]) -> str:
        if action == "classification":
            services.classification_record(
                technology=technology,
                result=data["result"],
                judged_by=data["judged_by"],
                judged_on=data["judged_on"],
                list_item=data.get("list_item") or "",
                basis=data.get("basis") or "",
                approved_by=data.get("approved_by") or "",
                rejudge_due=data.get("rejudge_due"),
            )
            return _("The export-control classification has been recorded.")
        if action == "approval":
            services.deemed_export_approval_record(
                person=data["person"],
                technology=technology,
                reference=data["reference"],
                approved_on=data["approved_on"],
                valid_until=data.get("valid_until"),
            )
            return _("The licence or approval has been recorded.")
        if action == "step":
            services.process_step_save(
                technology=technology,
                order=data["order"],
                name=data["name"],
                assets=data["assets"],
            )
            return _("The step has been added.")
        services.technology_set_process_limit(
            technology=technology, limit=data.get("full_process_limit"), user=self.request.user
        )
        return _("The limit has been saved.")

    def render_page(
        self,
        request: HttpRequest,
        technology: Technology,
        bound: dict[str, Any] | None = None,
        http_status: int = 200,
    ) -> HttpResponse:
        user = request.user
        can_edit = user.has_capability(Capability.REGISTERS_EDIT)
        forms = {}
        if can_edit:
            forms = {
                action: self.make_form(action, technology)
                for action in ("classification", "approval", "step")
            }
        if user.has_capability(Capability.COMPANY_MANAGE):
            forms["limit"] = self.make_form("limit", technology)
        forms.update(bound or {})
        classifications = list(selectors.classifications_of(technology))
        people = list(selectors.full_process_people(technology).order_by("name", "pk"))
        limit = technology.full_process_limit
        assets = selectors.assets_of_technology(technology)
        context = {
            "technology": technology,
            "category_point": category_points().get(technology.category),
            "score_total": (
                technology.competitiveness
                + technology.damage_if_leaked
                + technology.others_interest
            ),
            "raised_by_damage": (
                technology.competitiveness
                + technology.damage_if_leaked
                + technology.others_interest
                < 5
                and technology.damage_if_leaked == 3
            ),
            "classifications": classifications,
            "classification": classifications[0] if classifications else None,
            "controlled": ExportResult.CONTROLLED,
            "approvals": selectors.approvals_of(technology),
            "steps": selectors.process_steps(technology),
            "full_process_people": people,
            "over_limit": limit is not None and len(people) > limit,
            "assets": assets[:50],
            "asset_total": assets.count(),
            "findings": findings_for_object(TECHNOLOGY_TYPE, technology.pk),
            "forms": forms,
            "open_form": next(iter(bound), "") if bound else "",
            "can_edit": can_edit,
        }
        return render(request, self.template_name, context, status=http_status)


class TechnologyEditView(ProtectedView):
    """Create (no ``pk``) or edit a technology; the level follows from the scores."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/technology_form.html"

    def get_technology(self, pk: int | None) -> Technology | None:
        return get_object_or_404(Technology, pk=pk) if pk else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        technology = self.get_technology(pk)
        return self.render_form(request, technology, TechnologyForm(instance=technology))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        technology = self.get_technology(pk)
        form = TechnologyForm(request.POST, instance=technology)
        if form.is_valid():
            try:
                saved = services.technology_save(technology=technology, **form.cleaned_data)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The technology has been saved."))
                return redirect("assets:technology", pk=saved.pk)
        return self.render_form(request, technology, form, http_status=400)

    def render_form(
        self, request: HttpRequest, technology: Technology | None, form: Any, http_status=200
    ) -> HttpResponse:
        context = {"technology": technology, "form": form, "points": category_points()}
        return render(request, self.template_name, context, status=http_status)


class ProcessStepEditView(ProtectedView):
    capability = Capability.REGISTERS_EDIT
    template_name = "assets/step_form.html"

    def get_step(self, pk: int) -> ProcessStep:
        return get_object_or_404(ProcessStep.objects.select_related("technology"), pk=pk)

    def make_form(self, step: ProcessStep, data: Any = None) -> ProcessStepForm:
        return ProcessStepForm(
            data,
            instance=step,
            asset_choices=selectors.step_asset_choices(step.technology, step),
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = self.get_step(pk)
        return render(request, self.template_name, {"step": step, "form": self.make_form(step)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = self.get_step(pk)
        form = self.make_form(step, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.process_step_save(
                    technology=step.technology,
                    step=step,
                    order=data["order"],
                    name=data["name"],
                    assets=data["assets"],
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The step has been saved."))
                url = reverse("assets:technology", kwargs={"pk": step.technology_id})
                return redirect(f"{url}#steps")
        return render(request, self.template_name, {"step": step, "form": form}, status=400)


class ProcessStepDeleteView(ProtectedView):
    """Ask before removing a step; remove it on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/step_confirm_delete.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = get_object_or_404(ProcessStep.objects.select_related("technology"), pk=pk)
        return render(request, self.template_name, {"step": step})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = get_object_or_404(ProcessStep.objects.select_related("technology"), pk=pk)
        technology_id = step.technology_id
        services.process_step_delete(step=step)
        messages.success(request, _("The step has been removed."))
        url = reverse("assets:technology", kwargs={"pk": technology_id})
        return redirect(f"{url}#steps")


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
            context["findings"] = findings_for_object(ASSET_TYPE, asset.pk)
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
            try:
                saved = services.asset_save(
                    asset=asset,
                    technologies=form.cleaned_data["technologies"],
                    **form.service_fields(),
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The information asset has been saved."))
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
                _form_error(form, exc)
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
                _form_error(form, exc)
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


# --- grants --------------------------------------------------------------------------------


class GrantCreateView(ProtectedView):
    """Give a person access to an asset; ``?person=`` and ``?asset=`` preselect them."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/grant_form.html"

    def search_terms(self, request: HttpRequest) -> dict[str, str]:
        return {
            "person_query": request.GET.get("person_q", "").strip(),
            "asset_query": request.GET.get("asset_q", "").strip(),
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {
            key: int(request.GET[key])
            for key in ("person", "asset")
            if request.GET.get(key, "").isdigit()
        }
        form = GrantForm(initial=initial, **self.search_terms(request))
        return self.render_form(request, form, initial)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GrantForm(request.POST, **self.search_terms(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                grant = services.grant_create(
                    person=data["person"],
                    asset=data["asset"],
                    reason=data["reason"],
                    granted_by=request.user,
                    valid_from=data["valid_from"],
                    valid_until=data.get("valid_until"),
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(person)s now has access to “%(asset)s”.")
                    % {"person": grant.person, "asset": grant.asset},
                )
                fallback = reverse("assets:asset", kwargs={"pk": grant.asset_id})
                return redirect(_safe_next(request, fallback))
        return self.render_form(request, form, {}, http_status=400)

    def render_form(
        self, request: HttpRequest, form: GrantForm, initial: dict, http_status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "preselected": initial,
            "next": _safe_next(request, ""),
            **self.search_terms(request),
        }
        return render(request, self.template_name, context, status=http_status)


class GrantRevokeView(ProtectedView):
    """Ask (with a reason) before revoking a grant; revoke on confirmation."""

    capability = Capability.REGISTERS_EDIT
    template_name = "assets/grant_confirm_revoke.html"

    def get_grant(self, pk: int) -> AccessGrant:
        return get_object_or_404(
            AccessGrant.objects.select_related(
                "person", "person__department", "asset", "asset__secrecy_class", "granted_by"
            ),
            pk=pk,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = self.get_grant(pk)
        return self.render_page(request, grant, RevokeForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = self.get_grant(pk)
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                services.grant_revoke(
                    grant=grant, revoked_by=request.user, reason=form.cleaned_data["reason"]
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The access of %(person)s to “%(asset)s” has been revoked.")
                    % {"person": grant.person, "asset": grant.asset},
                )
                fallback = reverse("assets:asset", kwargs={"pk": grant.asset_id})
                return redirect(_safe_next(request, fallback))
        return self.render_page(request, grant, form, http_status=400)

    def render_page(
        self, request: HttpRequest, grant: AccessGrant, form: Any, http_status: int = 200
    ) -> HttpResponse:
        context = {"grant": grant, "form": form, "next": _safe_next(request, "")}
        return render(request, self.template_name, context, status=http_status)


# --- access reviews ------------------------------------------------------------------------


class ReviewListView(ProtectedView):
    """Open reviews with what is left to decide; the form opens a periodic review."""

    capability = Capability.SELF_SERVICE
    write_capability = Capability.REGISTERS_EDIT
    template_name = "assets/review_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, PeriodicReviewForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PeriodicReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                review = services.review_open_periodic(
                    title=data["title"],
                    due_on=data.get("due_on"),
                    secrecy_class=data.get("secrecy_class"),
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The review has been opened."))
                return redirect("assets:review", pk=review.pk)
        return self.render_page(request, form, http_status=400)

    def render_page(self, request: HttpRequest, form: Any, http_status: int = 200) -> HttpResponse:
        scope = selectors.review_scope(request.user)
        context = {
            "open_reviews": scope.reviews(selectors.reviews_open()),
            "closed_reviews": (
                selectors.reviews_recently_closed()
                if scope.sees_all
                else AccessReview.objects.none()
            ),
            "form": form if request.user.has_capability(Capability.REGISTERS_EDIT) else None,
            "sees_all": scope.sees_all,
            "today": timezone.localdate(),
        }
        return render(request, self.template_name, context, status=http_status)


class ReviewView(ProtectedView):
    """One review: each grant with confirm / revoke for the officer or the asset's owner."""

    capability = Capability.SELF_SERVICE
    template_name = "assets/review.html"

    def get_review(self, pk: int) -> AccessReview:
        return get_object_or_404(AccessReview.objects.select_related("person"), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = self.get_review(pk)
        scope = selectors.review_scope(request.user)
        if not scope.sees_all and not scope.items(review.items.all()).exists():
            raise PermissionDenied
        pending_only = request.GET.get("show") != "all"
        counts = selectors.review_counts(review)
        total = counts[Decision.PENDING] if pending_only else sum(counts.values())
        items = scope.items(
            selectors.review_items_filtered(
                review,
                pending_only=pending_only,
                by_name=total <= selectors.REVIEW_SORT_LIMIT,
            )
        )
        paginator = Paginator(items, 50)
        if scope.sees_all:
            paginator.count = total  # known already: spare a second count of a large review
        page = paginator.get_page(request.GET.get("page"))
        rows = [(item, scope.can_decide(item)) for item in page.object_list]
        context = {
            "review": review,
            "page": page,
            "rows": rows,
            "counts": counts,
            "by_name": total <= selectors.REVIEW_SORT_LIMIT,
            "pending_only": pending_only,
            "sees_all": scope.sees_all,
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = self.get_review(pk)
        form = ReviewDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose to confirm or revoke."))
            return redirect("assets:review", pk=review.pk)
        item = (
            AccessReviewItem.objects.select_related("grant__asset", "grant__person", "review")
            .filter(review=review, pk=form.cleaned_data["item"])
            .first()
        )
        if item is None:
            raise Http404
        if not selectors.can_decide_review_item(request.user, item):
            raise PermissionDenied
        try:
            services.review_decide(
                item=item, decision=form.cleaned_data["decision"], user=request.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Decided: %(person)s → “%(asset)s”.")
                % {"person": item.grant.person, "asset": item.grant.asset},
            )
        return redirect(_safe_next(request, reverse("assets:review", kwargs={"pk": review.pk})))
