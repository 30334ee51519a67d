from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from mamori.core.actor import acting_as


class AuditActorMiddleware:
    """Attribute every change made while handling a request to the request's user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(request):
            return self.get_response(request)
