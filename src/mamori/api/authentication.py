"""Token authentication: ``Authorization: Token <key>`` (or ``Bearer <key>``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    BasicAuthentication,
    get_authorization_header,
)

from mamori.accounts.security import has_second_factor, mfa_required_for
from mamori.api.selectors import token_for_key_hash
from mamori.api.services import key_hash, token_note_use

SCHEMES = (b"token", b"bearer")
INVALID = _("The API token is not valid.")
REVOKED = _("The API token has been revoked.")
EXPIRED = _("The API token has expired.")
INACTIVE = _("The account of this API token is deactivated.")
SECOND_FACTOR = _(
    "This account signs in with a second factor: use an API token instead of the password."
)


class TokenAuthentication(BaseAuthentication):
    """Authenticate a request by a hashed API token: the request acts as the token's owner
    (same role, same need-to-know) and the token's last use is noted."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in SCHEMES:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(INVALID)
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(INVALID) from exc
        token = token_for_key_hash(key_hash(key))
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(REVOKED)
        if token.is_expired():
            raise exceptions.AuthenticationFailed(EXPIRED)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE)
        token_note_use(token)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class PasswordBasicAuthentication(BasicAuthentication):
    """HTTP Basic (user name and password) for accounts without a second factor only: a
    password alone must not open the API of an account that signs in with two."""

    def authenticate_credentials(self, userid: str, password: str, request: Any = None):
        user, auth = super().authenticate_credentials(userid, password, request)
        if has_second_factor(user) or mfa_required_for(user):
            raise exceptions.AuthenticationFailed(SECOND_FACTOR)
        return user, auth
