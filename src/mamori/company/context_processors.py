"""Template context every page needs: the company's name and stage for the header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mamori.company.selectors import company_summary


def company(request: HttpRequest) -> dict[str, Any]:
    # Lazy: pages that never show the header (downloads, redirects) cost no query.
    return {"company_summary": SimpleLazyObject(company_summary)}
