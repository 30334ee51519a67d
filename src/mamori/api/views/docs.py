"""The OpenAPI schema and the page that shows it (Swagger UI from our own static files)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from mamori.api.base import ProtectedAPIView
from mamori.core.views import AUTHENTICATED, ProtectedView

# The schema follows from the code alone: built once per language and process.
_schemas: dict[str, dict[str, Any]] = {}


class SchemaView(ProtectedAPIView, SpectacularAPIView):
    """``GET /api/schema/``: the OpenAPI 3 schema (JSON; YAML with ``?format=yaml``)."""

    capability = AUTHENTICATED
    renderer_classes = [OpenApiJsonRenderer, OpenApiYamlRenderer]

    def _get_schema_response(self, request: Request) -> Response:
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language not in _schemas:
            generator = self.generator_class(urlconf=self.urlconf, patterns=self.patterns)
            _schemas[language] = generator.get_schema(request=request, public=True)
        return Response(_schemas[language])


class DocsView(ProtectedView):
    """``/api/docs/``: the schema as a page, to read and try the API as oneself."""

    capability = AUTHENTICATED

    def get(self, request: HttpRequest) -> HttpResponse:
        # Swagger UI runs under the app's Content-Security-Policy: its script and the one
        # that starts it are static files, and it sets styles through the DOM only.
        return render(request, "api/docs.html")
