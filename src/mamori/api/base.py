"""The generic API views every endpoint derives from.

``ProtectedAPIView`` declares the capability it needs, like the pages' ``ProtectedView``;
``tests/core/test_url_protection.py`` checks it for every URL. A register plugs in with
two short declarations: a list (``RegisterListView``: queryset, serializer, ``filters``,
``search``) and a detail (``RegisterDetailView``); ``Creates`` and ``Updates`` add POST
and PATCH through the app's services, so that its rules and the audit log apply.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from mamori.api.authentication import PasswordBasicAuthentication, TokenAuthentication
from mamori.api.errors import exception_handler
from mamori.api.filters import MAX_ID, DeclaredFilterBackend, Filter
from mamori.api.permissions import HasCapability, TokenScopeAllows
from mamori.core import access
from mamori.core.errors import NotPermitted
from mamori.core.views import CapabilityMixin

NEED_TO_KNOW = gettext_lazy(
    "Only those who need to know (a grant, the owner, the officer) may change an asset's details."
)


class ProtectedAPIView(CapabilityMixin, APIView):
    """An API endpoint that requires ``capability`` (``write_capability`` for writes).

    HTTP Basic comes first so that a script without credentials is answered 401 with a
    challenge; a token (``Authorization: Token …`` or ``Bearer …``) or a browser signed
    in to mamori are recognised too. Answers speak the user's language.
    """

    authentication_classes = [
        PasswordBasicAuthentication,
        TokenAuthentication,
        SessionAuthentication,
    ]
    permission_classes = [HasCapability, TokenScopeAllows]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        # The language middleware ran before a token or Basic credentials were read.
        language = getattr(request.user, "language", None)
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request._request.LANGUAGE_CODE = language

    def get_exception_handler(self) -> Any:
        return exception_handler


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500


class RegisterView(ProtectedAPIView, GenericAPIView):
    """A register's endpoint: ``queryset`` (or ``get_queryset`` where it depends on the
    request) loads what the serializer needs in a fixed number of queries
    (``select_related``/``prefetch_related``), whatever the data."""

    pagination_class = Pagination
    filter_backends = [DeclaredFilterBackend]
    filters: tuple[Filter, ...] = ()
    search: tuple[str, ...] = ()
    write_serializer_class: type[BaseSerializer] | None = None
    model: type[models.Model] | None = None

    def get_queryset(self) -> models.QuerySet:
        # ``queryset`` is declared once and copied for each request (``.all()``), as DRF does.
        if self.queryset is not None:
            return self.queryset.all()
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no model or queryset")
        return self.model._default_manager.all()

    def get_object(self) -> Any:
        # Ids arrive as any path segment (so that a bad one is a JSON 404, not the
        # HTML page of an unknown URL); only a whole number that can exist is looked up.
        pk = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        if not (pk.isascii() and pk.isdigit()) or not 1 <= int(pk) <= MAX_ID:
            raise Http404
        return super().get_object()

    def read(self, instance: models.Model) -> dict[str, Any]:
        """Return what a GET of ``instance`` answers, loaded the way a GET loads it."""
        return self.present(self.get_queryset().get(pk=instance.pk))

    def present(self, instance: models.Model, serializer_class: Any = None) -> dict[str, Any]:
        """Return ``instance`` serialised for the requesting user: its secret details only
        when need-to-know allows (``mamori.core.access``; the serializer reads
        ``details_visible`` from its context), and each such read recorded."""
        user = self.request.user
        visible = access.details_visible(user, instance)
        if visible and access.has_details(instance):
            access.details_read(user, instance)
        serializer_class = serializer_class or self.get_serializer_class()
        context = {**self.get_serializer_context(), "details_visible": visible}
        return serializer_class(instance, context=context).data

    def write_serializer(self, *args: Any, **kwargs: Any) -> BaseSerializer:
        if self.write_serializer_class is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no write serializer")
        return self.write_serializer_class(*args, context=self.get_serializer_context(), **kwargs)


class RegisterListView(ListModelMixin, RegisterView):
    """``GET``: the register, paged with ``limit`` and ``offset``, filtered."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class RegisterDetailView(RegisterView):
    """``GET <id>``: one entry."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.present(self.get_object()))


class Creates:
    """``POST``: validate with ``write_serializer_class``, then ``create`` through the app's
    service; a rule the service refuses is a 400 naming the field."""

    creates = True  # the schema answers 201

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            created = self.create(serializer.validated_data)
        return Response(self.read(created), status=status.HTTP_201_CREATED)

    def create(self, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError


class Updates:
    """``PATCH <id>``: change the fields given, through the app's service."""

    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        # Changing secret details needs the same need-to-know as reading them.
        if access.has_details(instance) and not access.details_visible(request.user, instance):
            raise NotPermitted(str(NEED_TO_KNOW))
        serializer = self.write_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            updated = self.update(instance, serializer.validated_data)
        return Response(self.read(updated))

    def update(self, instance: models.Model, data: dict[str, Any]) -> models.Model:
        raise NotImplementedError
