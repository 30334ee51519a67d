"""Technologies, information assets (details on need-to-know, every view audited),
access grants and reviews, and the technologies' 該非判定."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from mamori.accounts.roles import Capability
from mamori.api.base import Creates, RegisterDetailView, RegisterListView, RegisterView, Updates
from mamori.api.filters import Filter, grants_in_force_filter
from mamori.api.serializers import assets as s
from mamori.approvals.models import ApprovalRequest
from mamori.assets import selectors, services
from mamori.assets.models import (
    AccessGrant,
    AccessReview,
    AccessReviewItem,
    AssetKind,
    Decision,
    ExportClassification,
    ExportResult,
    Importance,
    InformationAsset,
    Protection,
    ReviewKind,
    Technology,
    TechnologyCategory,
)

# --- technologies --------------------------------------------------------------------------


class _Technologies:
    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    serializer_class = s.TechnologySerializer
    write_serializer_class = s.TechnologyWriteSerializer

    def get_queryset(self) -> QuerySet[Technology]:
        return selectors.technology_list()


class TechnologyList(_Technologies, Creates, RegisterListView):
    """The technologies to protect (STEP 2). POST adds one; its importance follows from
    the three scores."""

    filters = (
        Filter.choice("category", TechnologyCategory),
        Filter.choice("importance", Importance),
        Filter.choice("protection", Protection),
        Filter.ref("owner"),
        Filter.choice(
            "classification",
            ExportResult,
            lookup="current_result",
            description="the 該非判定 in force",
        ),
    )
    search = ("name__icontains",)

    def create(self, data: dict[str, Any]) -> Technology:
        return services.technology_save(**data)


class TechnologyDetail(_Technologies, Updates, RegisterDetailView):
    def update(self, instance: Technology, data: dict[str, Any]) -> Technology:
        return services.technology_save(technology=instance, **data)


class _Classifications:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.ClassificationSerializer

    queryset = ExportClassification.objects.select_related("technology").order_by(
        "-judged_on", "-pk"
    )


class ClassificationList(_Classifications, RegisterListView):
    """Every 該非判定 recorded, newest first (the newest of a technology is in force)."""

    filters = (
        Filter.ref("technology"),
        Filter.choice("result", ExportResult),
        Filter.date_to("rejudge_due_by", "rejudge_due"),
    )
    search = ("technology__name__icontains", "list_item__icontains")


class ClassificationDetail(_Classifications, RegisterDetailView):
    pass


# --- information assets --------------------------------------------------------------------


class AssetList(Creates, RegisterListView):
    """Name, kind, class and owner of each asset — never the details. POST adds one."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    serializer_class = s.AssetListSerializer
    write_serializer_class = s.AssetWriteSerializer
    filters = (
        Filter.choice("kind", AssetKind),
        Filter.ref("secrecy_class"),
        Filter.flag("unclassified", "secrecy_class__isnull", description="without a secrecy class"),
        Filter.ref("technology", "technologies__id"),
        Filter.ref("owner"),
    )
    search = ("name__icontains",)

    def get_queryset(self) -> QuerySet[InformationAsset]:
        return selectors.asset_filter()

    def create(self, data: dict[str, Any]) -> InformationAsset:
        return services.asset_save(**data)

    def read(self, instance: InformationAsset) -> dict[str, Any]:
        return self.present(instance, s.AssetDetailSerializer)

    @extend_schema(responses={201: s.AssetDetailSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class AssetDetail(Updates, RegisterDetailView):
    """An asset: the details only for those who need to know (a grant, the owner, the
    officer), each such read written to the audit log; for everyone else the details are
    ``null`` and ``details_visible`` is false. PATCH needs the same need-to-know."""

    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    serializer_class = s.AssetDetailSerializer
    write_serializer_class = s.AssetWriteSerializer

    queryset = InformationAsset.objects.select_related("secrecy_class", "owner").prefetch_related(
        Prefetch("technologies", Technology.objects.order_by("name", "pk"))
    )

    asked: ApprovalRequest | None = None

    def update(self, instance: InformationAsset, data: dict[str, Any]) -> InformationAsset:
        asset, self.asked = services.asset_change(
            asset=instance, changed_by=self.request.user, **data
        )
        return asset

    @extend_schema(responses={200: s.AssetDetailSerializer, 202: s.AssetChangeRequestedSerializer})
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change the fields given. Lowering the class of a 秘 or 極秘 asset (for anyone but
        the officer) is asked for instead: the other fields are saved and the answer is 202
        with the request and the asset as it is now."""
        response = super().patch(request, *args, **kwargs)
        if self.asked is None:
            return response
        body = {
            "approval_request": self.asked.pk,
            "status": self.asked.status,
            "url": self.asked.get_absolute_url(),
            "asset": response.data,
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)


# --- access grants -------------------------------------------------------------------------


class _Grants:
    capability = Capability.PROGRAMME_VIEW
    write_capability = Capability.REGISTERS_EDIT
    serializer_class = s.GrantSerializer
    write_serializer_class = s.GrantWriteSerializer

    queryset = AccessGrant.objects.select_related(
        "person", "asset", "granted_by", "revoked_by"
    ).order_by("-valid_from", "-pk")


class GrantList(_Grants, Creates, RegisterListView):
    """Who may access which asset, and why. POST grants access (need-to-know: a reason
    is required; never to a person who has left)."""

    filters = (
        Filter.ref("person"),
        Filter.ref("asset"),
        grants_in_force_filter(),
        Filter.date_to("valid_until_by", "valid_until"),
    )
    search = ("person__name__icontains", "asset__name__icontains", "reason__icontains")

    def create(self, data: dict[str, Any]) -> AccessGrant | ApprovalRequest:
        return services.grant_give(granted_by=self.request.user, **data)

    @extend_schema(responses={201: s.GrantSerializer, 202: s.GrantRequestedSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Grant access; for an asset whose class needs approval (and a user who is neither
        its owner nor the officer) ask for it instead and answer 202 with the request."""
        serializer = self.write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            created = self.create(serializer.validated_data)
        if isinstance(created, ApprovalRequest):
            body = {
                "approval_request": created.pk,
                "status": created.status,
                "url": created.get_absolute_url(),
            }
            return Response(body, status=status.HTTP_202_ACCEPTED)
        return Response(self.read(created), status=status.HTTP_201_CREATED)


class GrantDetail(_Grants, RegisterDetailView):
    write_capability = None


class GrantRevoke(_Grants, RegisterView):
    """Revoke a grant (refused when it is revoked already)."""

    capability = Capability.REGISTERS_EDIT
    write_serializer_class = s.GrantRevokeSerializer

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        grant = self.get_object()
        serializer = self.write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.grant_revoke(grant=grant, revoked_by=request.user, **serializer.validated_data)
        return Response(self.read(grant))


# --- access reviews ------------------------------------------------------------------------


def _review_counts() -> dict[str, Coalesce]:
    # One indexed look-up per review and decision, not a join over every item: a
    # periodic review may hold every grant of the company.
    def count(decision: str) -> Coalesce:
        items = (
            AccessReviewItem.objects.filter(review=OuterRef("pk"), decision=decision)
            .order_by()
            .values("review")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return Coalesce(Subquery(items, output_field=IntegerField()), 0)

    return {
        decision: count(decision)
        for decision in (Decision.PENDING, Decision.CONFIRMED, Decision.REVOKED)
    }


class _Reviews:
    capability = Capability.PROGRAMME_VIEW
    serializer_class = s.ReviewSerializer

    queryset = (
        AccessReview.objects.select_related("person")
        .annotate(**_review_counts())
        .order_by("-opened_on", "-pk")
    )


class ReviewList(_Reviews, RegisterListView):
    filters = (
        Filter.choice("kind", ReviewKind),
        Filter.ref("person"),
        Filter.flag("open", "closed_on__isnull", description="not closed yet"),
    )
    search = ("title__icontains", "person__name__icontains")


class ReviewDetail(_Reviews, RegisterDetailView):
    pass
