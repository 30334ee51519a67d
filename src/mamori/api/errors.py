"""The application's errors at the API's edge: a refused rule is a 400 that names the
field, a refused action a 403, warnings to confirm first a 409 listing them (with their
``key``s to send back in ``confirmed``, and ``blocked`` when only the officer's
``override_reason`` lets it through) — never a 500."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mamori.core.errors import ApplicationError, NeedsConfirmation, NotPermitted

NON_FIELD = "non_field_errors"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn mamori's errors into API answers; leave the rest to DRF."""
    if isinstance(exc, NotPermitted):
        return Response({"detail": str(exc.message)}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, NeedsConfirmation):
        warnings = [
            warning.as_dict()
            if hasattr(warning, "as_dict")
            else {"key": warning.key, "message": warning.message}
            for warning in exc.warnings
        ]
        body = {"detail": str(exc.message), "blocked": exc.blocked, "warnings": warnings}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ApplicationError):
        return Response({exc.field or NON_FIELD: [str(exc.message)]}, status=400)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = {
                (NON_FIELD if name == "__all__" else name): messages
                for name, messages in exc.message_dict.items()
            }
        else:
            errors = {NON_FIELD: exc.messages}
        return Response(errors, status=400)
    return drf_exception_handler(exc, context)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 (a suspicious request such as a Host header not allowed): JSON under
    /api/, so that an API client never has to read an HTML page; the usual page elsewhere."""
    if request.path.startswith("/api/"):
        message = gettext("Bad request.")
        return JsonResponse({"detail": message, NON_FIELD: [message]}, status=400)
    return defaults.bad_request(request, exception)
