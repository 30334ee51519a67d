"""Access reviews: open, decide each grant."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.accounts.roles import Capability
from mamori.assets import selectors, services
from mamori.assets.forms import (
    PeriodicReviewForm,
    ReviewDecisionForm,
)
from mamori.assets.models import (
    AccessReview,
    AccessReviewItem,
    Decision,
)
from mamori.assets.views._common import form_error, safe_next
from mamori.core.errors import ApplicationError
from mamori.core.views import ProtectedView

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
                form_error(form, exc)
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
        return redirect(safe_next(request, reverse("assets:review", kwargs={"pk": review.pk})))
