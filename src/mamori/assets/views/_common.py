"""Helpers shared by the asset views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from mamori.catalog.selectors import get_catalog

STEP_2 = "urn:mamori:step:2"
TECHNOLOGY_TYPE, ASSET_TYPE = "assets.technology", "assets.informationasset"


def category_points() -> dict[str, Any]:
    """Return the handbook's explanation of each technology category (STEP 2 points)."""
    return {point.id: point for point in get_catalog().step(STEP_2).points}


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
