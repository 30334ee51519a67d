"""A small read-only REST API: assets (need-to-know applied) and the open findings.

Every endpoint derives from ``ProtectedAPIView`` and declares its ``capability``, like
the pages; ``tests/core/test_url_protection.py`` checks it for every URL.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import get_object_or_404
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mamori.accounts.roles import Capability
from mamori.api.permissions import HasCapability
from mamori.api.serializers import (
    AssetDetailSerializer,
    AssetListSerializer,
    AssetSummarySerializer,
)
from mamori.assets.models import AssetKind, InformationAsset
from mamori.assets.selectors import asset_filter, can_see_asset_details
from mamori.audit.models import Action
from mamori.audit.services import audit_record_object
from mamori.findings.selectors import finding_views, open_findings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ProtectedAPIView(APIView):
    """An API endpoint that requires ``capability`` (``write_capability`` for writes).

    HTTP Basic comes first so that a script without credentials is answered 401 with a
    challenge; a browser signed in to mamori is recognised by its session.
    """

    capability: str | None = None
    write_capability: str | None = None
    authentication_classes = [BasicAuthentication, SessionAuthentication]
    permission_classes = [HasCapability]
    renderer_classes = [JSONRenderer]

    def required_capability(self, method: str) -> str:
        if self.capability is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no capability")
        if method in SAFE_METHODS or self.write_capability is None:
            return self.capability
        return self.write_capability


class AssetPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000


class AssetListAPIView(ProtectedAPIView):
    """``GET /api/assets/``: id, name, kind, class and owner of each asset, never details.

    Filters: ``q``, ``kind``, ``secrecy_class`` (id or ``none``), ``technology``,
    ``owner``; paged with ``limit`` and ``offset``.
    """

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: Request) -> Response:
        params = request.query_params
        kind = params.get("kind", "")
        secrecy_class = params.get("secrecy_class", "")
        assets = asset_filter(
            query=params.get("q", "").strip(),
            kind=kind if kind in AssetKind.values else "",
            secrecy_class=secrecy_class
            if secrecy_class == "none" or secrecy_class.isdigit()
            else "",
            technology=_digits(params.get("technology", "")),
            owner=_digits(params.get("owner", "")),
        )
        paginator = AssetPagination()
        page = paginator.paginate_queryset(assets, request, view=self)
        return paginator.get_paginated_response(AssetListSerializer(page, many=True).data)


class AssetDetailAPIView(ProtectedAPIView):
    """``GET /api/assets/<id>/``: every field for those who need to know (and an audit
    entry), the list fields with ``"details_visible": false`` for everyone else."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: Request, pk: int) -> Response:
        asset = get_object_or_404(
            InformationAsset.objects.select_related("secrecy_class", "owner"), pk=pk
        )
        if not can_see_asset_details(request.user, asset):
            return Response(AssetSummarySerializer(asset).data)
        audit_record_object(asset, action=Action.VIEW)
        return Response(AssetDetailSerializer(asset).data)


class FindingListAPIView(ProtectedAPIView):
    """``GET /api/findings/``: the open findings, worst first, as ``mamori findings
    --format json`` prints them."""

    capability = Capability.PROGRAMME_VIEW

    def get(self, request: Request) -> Response:
        views = finding_views(open_findings(user=request.user))
        return Response([view.as_dict() for view in views])


def _digits(value: str) -> str:
    return value if value.isdigit() else ""
