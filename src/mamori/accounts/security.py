"""Second factors with django-allauth's MFA: who must have one, and allauth's adapters.

mamori keeps its own sign-in page: after the password, the sign-in goes through allauth's
login stages, which ask a user who has a second factor (an authenticator app or a passkey)
for it, or for a recovery code. Whether a user *must* have one is ``MAMORI_MFA_REQUIRED``:
``officer`` (the default), ``all`` or ``none``; a user who must and has none is sent to
"My security" to enrol before anything else (``SecondFactorRequiredMiddleware``).

The audit log records enrolment, removal and the use of recovery codes from allauth's
signals (``mamori.audit.recorder``), as accounts may not import the audit app.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.conf import settings
from django.http import HttpRequest

from mamori.accounts.roles import Role

# The factors that count as a second factor; recovery codes only stand in for one.
PRIMARY_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def mfa_required_for(user: Any) -> bool:
    """Return whether ``user`` must sign in with a second factor."""
    required = getattr(settings, "MAMORI_MFA_REQUIRED", "officer")
    if required == "all":
        return True
    if required == "officer":
        return getattr(user, "role", None) == Role.OFFICER
    return False


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=PRIMARY_TYPES).exists()


def authenticators_of(user: Any) -> dict[str, Any]:
    """Return the user's factors for the "My security" page."""
    rows = list(Authenticator.objects.filter(user_id=user.pk).order_by("created_at", "pk"))
    recovery = next((a for a in rows if a.type == Authenticator.Type.RECOVERY_CODES), None)
    return {
        "totp": next((a for a in rows if a.type == Authenticator.Type.TOTP), None),
        "passkeys": [a for a in rows if a.type == Authenticator.Type.WEBAUTHN],
        "recovery": recovery,
        "recovery_left": len(recovery.wrap().get_unused_codes()) if recovery else 0,
    }


# Secrets of second factors (the TOTP key, the recovery codes' seed) are stored encrypted
# with a key derived from SECRET_KEY, so that someone who can read the database cannot
# generate codes. Changing SECRET_KEY therefore voids every second factor (users enrol again).
ENCRYPTED_PREFIX = "fernet:"


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"mamori second factors\0" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class MamoriMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return ENCRYPTED_PREFIX + _fernet().encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(ENCRYPTED_PREFIX):
            return encrypted_text  # stored before encryption was introduced
        token = encrypted_text.removeprefix(ENCRYPTED_PREFIX).encode("ascii")
        return _fernet().decrypt(token).decode("utf-8")

    def get_totp_label(self, user: Any) -> str:
        return user.get_username()

    def get_totp_issuer(self) -> str:
        return "mamori"

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Refuse to remove the last second factor of someone who must have one."""
        if authenticator.type not in PRIMARY_TYPES or not mfa_required_for(authenticator.user):
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id, type__in=PRIMARY_TYPES
        ).exclude(pk=authenticator.pk)
        return others.exists()

    def send_notification_mail(self, *args: Any, **kwargs: Any) -> None:
        """mamori writes these events to the audit log instead of mailing them."""


class MamoriAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts are created by the officer (or by SSO, see ``mamori.accounts.sso``)."""
        return False

    def login(self, request: HttpRequest, user: Any) -> None:
        if not hasattr(user, "backend"):
            user.backend = MODEL_BACKEND
        super().login(request, user)

    def add_message(self, request: HttpRequest, level: int, message_template=None, *a, **k):
        # mamori's pages say what happened themselves; a "signed in as" note is noise.
        if message_template == "account/messages/logged_in.txt":
            return
        super().add_message(request, level, message_template, *a, **k)
