"""How the OpenAPI schema describes mamori's API: request bodies from the views' write
serializers, 201 for creations, the error answers every endpoint can give, and the token
scheme."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiViewExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema

from mamori.api.filters import MAX_ID

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
ERROR = {"$ref": "#/components/schemas/Error"}
VALIDATION_ERROR = {"$ref": "#/components/schemas/ValidationError"}
COMPONENTS = {
    "Error": {
        "type": "object",
        "description": "Why the request was refused.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": (
            "What is wrong, by field or query parameter (``non_field_errors`` for the "
            "request as a whole): a list of messages in the user's language."
        ),
        "additionalProperties": {},
    },
}


class MamoriAutoSchema(AutoSchema):
    """Read the request body from ``write_serializer_class`` and answer POST of a
    creating view (``creates = True``) with 201."""

    def get_request_serializer(self) -> Any:
        write = getattr(self.view, "write_serializer_class", None)
        if self.method in WRITE_METHODS and write is not None:
            return write
        return super().get_request_serializer()

    def _is_create_operation(self) -> bool:
        if self.method == "POST" and getattr(self.view, "creates", False):
            return True
        return super()._is_create_operation()


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "mamori.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token (account settings → API tokens), sent as "
                "`Authorization: Token <key>` or `Authorization: Bearer <key>`."
            ),
        }


class PasswordBasicScheme(OpenApiAuthenticationExtension):
    target_class = "mamori.api.authentication.PasswordBasicAuthentication"
    name = "basicAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "basic",
            "description": (
                "User name and password, for accounts without a second factor; "
                "accounts with one use an API token."
            ),
        }


class WatchPeopleDocs(OpenApiViewExtension):
    """Describe the departure watch's endpoint, which answers a plain dictionary."""

    target_class = "mamori.watch.views.WatchPeopleAPIView"

    def view_replacement(self) -> type:
        from mamori.api.serializers.watch import WatchPeopleSerializer

        language = OpenApiParameter("lang", str, enum=["ja", "en"], description="reasons in")

        class Documented(self.target_class):  # type: ignore[name-defined]
            @extend_schema(parameters=[language], responses=WatchPeopleSerializer)
            def get(self, request: Any) -> Any:
                return super().get(request)  # pragma: no cover - schema only

        return Documented


def _response(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Document the answers every operation can give besides success: 401 without valid
    credentials, 403 when the role does not allow it, 404 for an unknown id, 400 for a
    bad query parameter or body, 415 for a body that is not JSON."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("401", _response(ERROR, "Credentials missing or not valid."))
            responses.setdefault("403", _response(ERROR, "The role does not allow this."))
            if "{" in path:
                responses.setdefault("404", _response(ERROR, "No such entry."))
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") == "id":
                    # Routed as any segment so that a bad id is a JSON 404.
                    parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
            takes_query = any(p.get("in") == "query" for p in operation.get("parameters", []))
            if takes_query or "requestBody" in operation:
                responses.setdefault("400", _response(VALIDATION_ERROR, "Invalid input."))
            if "requestBody" in operation:
                responses.setdefault("415", _response(ERROR, "The body is not JSON."))
    return result
