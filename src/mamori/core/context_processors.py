"""Template context every page needs: the user's capabilities and the company."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def mamori(request: HttpRequest) -> dict[str, Any]:
    from mamori.company.selectors import company_summary

    user = getattr(request, "user", None)
    capabilities = user.capabilities() if user is not None and user.is_authenticated else set()
    return {
        "caps": capabilities,
        "company_summary": SimpleLazyObject(company_summary),
    }
