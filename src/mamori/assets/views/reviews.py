"""Access reviews: open, decide each grant."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
from mamori.assets.views._common import safe_next
from mamori.core.views import ServiceFormView

# --- access reviews ------------------------------------------------------------------------


class ReviewListView(ServiceFormView):
    """Open reviews with what is left to decide; the form opens a periodic review."""

    capability = Capability.SELF_SERVICE
    write_capability = Capability.REGISTERS_EDIT
    template_name = "assets/review_list.html"
    form_class = PeriodicReviewForm
    invalid_status = 400
    success_message = gettext_lazy("The review has been opened.")

    def perform(self, form: PeriodicReviewForm) -> AccessReview:
        data = form.cleaned_data
        return services.review_open_periodic(
            title=data["title"],
            due_on=data.get("due_on"),
            secrecy_class=data.get("secrecy_class"),
        )

    def get_success_url_for(self, review: AccessReview) -> str:
        return reverse("assets:review", kwargs={"pk": review.pk})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        scope = selectors.review_scope(self.request.user)
        return {
            **context,
            "open_reviews": scope.reviews(selectors.reviews_open()),
            "closed_reviews": (
                selectors.reviews_recently_closed()
                if scope.sees_all
                else AccessReview.objects.none()
            ),
            "form": context["form"] if self.can(Capability.REGISTERS_EDIT) else None,
            "sees_all": scope.sees_all,
            "today": timezone.localdate(),
        }


class ReviewView(ServiceFormView):
    """One review: each grant with confirm / revoke for the officer or the asset's owner.

    A decision refused is a message on the page the user returns to.
    """

    capability = Capability.SELF_SERVICE
    template_name = "assets/review.html"
    form_class = ReviewDecisionForm
    refusal_as_message = True

    @cached_property
    def review(self) -> AccessReview:
        return get_object_or_404(
            AccessReview.objects.select_related("person"), pk=self.kwargs["pk"]
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        review = self.review
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

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.review  # noqa: B018  (404 before the form is read)
        return super().post(request, *args, **kwargs)

    def perform(self, form: ReviewDecisionForm) -> AccessReviewItem:
        item = (
            AccessReviewItem.objects.select_related("grant__asset", "grant__person", "review")
            .filter(review=self.review, pk=form.cleaned_data["item"])
            .first()
        )
        if item is None:
            raise Http404
        if not selectors.can_decide_review_item(self.request.user, item):
            raise PermissionDenied
        services.review_decide(
            item=item, decision=form.cleaned_data["decision"], user=self.request.user
        )
        return item

    def message_for(self, item: AccessReviewItem) -> str:
        return _("Decided: %(person)s → “%(asset)s”.") % {
            "person": item.grant.person,
            "asset": item.grant.asset,
        }

    def get_success_url_for(self, item: Any) -> str:
        return safe_next(self.request, reverse("assets:review", kwargs={"pk": self.review.pk}))

    def form_invalid(self, form: ReviewDecisionForm) -> HttpResponse:
        if self.refusal is None:
            messages.error(self.request, _("Choose to confirm or revoke."))
            return redirect("assets:review", pk=self.review.pk)
        return redirect(self.get_success_url_for(None))
