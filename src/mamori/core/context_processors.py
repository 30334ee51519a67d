"""Template context every page needs: the user's capabilities."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def mamori(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    capabilities = user.capabilities() if user is not None and user.is_authenticated else set()
    return {"caps": capabilities}
