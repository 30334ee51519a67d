"""Writes to API tokens: create (the key is returned once), revoke, note their use."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.api.models import ApiToken, TokenScope
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.core.validation import validated_save

# Every key starts with this, so that a leaked key is recognisable (secret scanners).
KEY_PREFIX = "mamori_"
# The prefix plus this many characters of the random part are kept to tell tokens apart.
SHOWN_CHARACTERS = 6
# A token's last use is written at most this often: a script polling every second would
# otherwise turn every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)

NAME_NEEDED = gettext_lazy("Name the token, e.g. after the script that uses it.")
EXPIRY_IN_THE_PAST = gettext_lazy("The expiry date is in the past.")
ALREADY_REVOKED = gettext_lazy("This token has already been revoked.")
NOT_YOUR_TOKEN = gettext_lazy("You can only revoke your own tokens.")


def key_hash(key: str) -> str:
    """Return the SHA-256 (hex) under which a key is stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    key: str  # shown once; never stored


@transaction.atomic
def token_create(
    *,
    user: User,
    name: str,
    expires_on: datetime.date | None = None,
    scope: str = TokenScope.READ_WRITE,
) -> NewToken:
    """Create a token for ``user`` and return it with its key (the only time it is known).

    Raise ``ApplicationError`` for a missing name or an expiry date in the past.
    """
    name = name.strip()
    if not name:
        raise ApplicationError(str(NAME_NEEDED), field="name")
    if expires_on is not None and expires_on < timezone.localdate():
        raise ApplicationError(str(EXPIRY_IN_THE_PAST), field="expires_on")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=key[: len(KEY_PREFIX) + SHOWN_CHARACTERS],
        key_hash=key_hash(key),
        expires_on=expires_on,
        scope=scope,
    )
    validated_save(token)
    return NewToken(token=token, key=key)


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke a token: its owner may, and so may whoever manages users (the officer).

    Raise ``NotPermitted`` for anyone else and ``ApplicationError`` when it is revoked.
    """
    if token.user_id != by.pk and not by.has_capability(Capability.USERS_MANAGE):
        raise NotPermitted(str(NOT_YOUR_TOKEN))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ApplicationError(str(ALREADY_REVOKED))
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save()
    return token


@transaction.atomic
def tokens_revoke_all(*, user: User, by: User | None = None) -> int:
    """Revoke every token of ``user`` that is not revoked yet; return how many.

    Called when the officer sets the user's password: whatever leaked with the old password
    may have taken a token with it. Each revocation is saved (and so audited) one by one.
    """
    now = timezone.now()
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token.revoked_at = now
        token.revoked_by = by
        token.save()
    return len(tokens)


def token_note_use(token: ApiToken) -> None:
    """Record that ``token`` was used now, unless that was recorded less than a minute ago.

    Written with a plain UPDATE: the use of a token is not a change to audit.
    """
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
