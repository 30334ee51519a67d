"""Request middleware shared by every app."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Allow only mamori's own scripts, styles and images: nothing is loaded from outside."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not settings.DEBUG:
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


def request_language(request: HttpRequest) -> str:
    """Return the language for a request: the user's choice, else the cookie, else Japanese.

    The browser's Accept-Language is deliberately ignored: mamori is Japanese first, and
    an English-language browser in a Japanese company should not switch the UI silently.
    """
    supported = {code for code, _ in settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in supported:
        return user.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in supported:
        return cookie
    return settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Activate the language chosen by the user (stored on the account) for the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        response.headers.setdefault("Vary", "Cookie")
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose ``Content-Length`` is over ``MAMORI_MAX_REQUEST_BYTES``
    with 413 before anything reads its body: a 500 MB upload costs nothing.

    The limit is above the largest file a form accepts (``MAMORI_MAX_UPLOAD_BYTES``), so
    that a file a little too large still gets the form's own message beside the field.
    The API answers JSON; pages answer a page that says what to do.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAMORI_MAX_REQUEST_BYTES
        if length > limit:
            message = _(
                "The request is %(size)s, more than the limit of %(limit)s. Nothing was "
                "read or stored. Upload a smaller file, or use the command line for large "
                "files."
            ) % {"size": filesizeformat(length), "limit": filesizeformat(limit)}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return render(request, "413.html", {"message": message}, status=413)
        return self.get_response(request)
