"""Sign-in with the company's identity provider over OpenID Connect (django-allauth's
``openid_connect`` provider), configured from the environment:

- ``MAMORI_SSO_SERVER_URL``: the provider's issuer (its ``/.well-known/openid-configuration``
  is read from there), e.g. ``https://accounts.google.com`` or
  ``https://login.microsoftonline.com/<tenant id>/v2.0``;
- ``MAMORI_SSO_CLIENT_ID`` and ``MAMORI_SSO_CLIENT_SECRET``: the client registered there;
- ``MAMORI_SSO_NAME``: the button's label (default: 会社のアカウント / company account);
- ``MAMORI_SSO_TRUST_EMAIL``: accept the provider's addresses as verified though it sends
  no ``email_verified`` (Microsoft Entra ID with a single-tenant registration);
- ``MAMORI_SSO_UNKNOWN``: what happens to someone the provider vouches for whose e-mail
  address no mamori account has: ``refuse`` (the default) or ``employee`` (an account with
  the employee role is created).

The provider's user is matched to a mamori account by a **verified** e-mail address
(``email_verified`` in the provider's claims), exactly one active account having it; the
link is remembered, so later sign-ins match by the provider's subject. An officer, an
executive or anyone else with a role above employee is never created this way: the officer
sets roles. A second factor set up in mamori is still asked for after the provider's sign-in.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from mamori.accounts.models import User
from mamori.accounts.roles import Role

PROVIDER_ID = "company"

UNVERIFIED = _(
    "Your company account did not confirm your e-mail address, so mamori cannot tell who you are."
)
UNKNOWN = _(
    "No mamori account has the e-mail address %(email)s. Ask the officer to create one for you."
)
AMBIGUOUS = _(
    "Several mamori accounts have the e-mail address %(email)s. Ask the officer to fix this."
)
INACTIVE = _("Your mamori account is deactivated.")


def sso_label() -> str | None:
    """Return the label of the sign-in button for the company's provider, or ``None``
    when none is configured."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    for app in apps:
        if app.get("provider_id") == PROVIDER_ID:
            return app.get("name") or str(_("Company account"))
    return None


def _refuse(request: HttpRequest, message: Any) -> ImmediateHttpResponse:
    response = render(request, "accounts/sso_refused.html", {"message": message}, status=403)
    return ImmediateHttpResponse(response)


class MamoriSocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """Match the provider's user to a mamori account by a verified e-mail address."""
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                raise _refuse(request, INACTIVE)
            return
        trust = settings.MAMORI_SSO_TRUST_EMAIL
        verified = [
            a.email for a in sociallogin.email_addresses if (a.verified or trust) and a.email
        ]
        if not verified:
            raise _refuse(request, UNVERIFIED)
        email = verified[0]
        matches = list(User.objects.filter(email__iexact=email))
        if len(matches) > 1:
            raise _refuse(request, AMBIGUOUS % {"email": email})
        if matches:
            if not matches[0].is_active:
                raise _refuse(request, INACTIVE)
            sociallogin.connect(request, matches[0])
            return
        if settings.MAMORI_SSO_UNKNOWN != "employee":
            raise _refuse(request, UNKNOWN % {"email": email})
        # Otherwise allauth signs the person up: see is_open_for_signup and save_user.

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return settings.MAMORI_SSO_UNKNOWN == "employee"

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: Any) -> bool:
        return settings.MAMORI_SSO_UNKNOWN == "employee"

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict) -> Any:
        user = super().populate_user(request, sociallogin, data)
        # Never anything but an employee: the officer gives roles.
        user.role = Role.EMPLOYEE
        name = data.get("name") or " ".join(
            part for part in (data.get("last_name"), data.get("first_name")) if part
        )
        user.display_name = (name or "").strip()[:150]
        user.must_change_password = False
        return user

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        sociallogin.user.role = Role.EMPLOYEE
        return super().save_user(request, sociallogin, form)
