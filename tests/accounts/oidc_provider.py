"""A real OpenID Connect provider for the SSO tests: django-oauth-toolkit with OIDC on,
run as its own process (``python tests/accounts/oidc_provider.py``) with its own settings
and SQLite database, serving on a free port of 127.0.0.1.

Configured by the environment the test sets:

- ``IDP_RSA_KEY``: the PEM of the RSA key that signs the ID tokens (made by the test);
- ``IDP_CLIENT``: JSON with ``client_id``, ``secret`` and ``redirect_uri`` of mamori;
- ``IDP_USERS``: JSON ``{username: {"email": ..., "verified": bool, "name": ...}}``;
- ``IDP_DB``: the SQLite file.

It prints ``READY <port>`` once it serves. ``GET /login/?as=<username>`` signs a user in at
the provider (the test's stand-in for typing a password there).
"""

from __future__ import annotations

import json
import os
import sys

import django
from django.conf import settings

USERS = json.loads(os.environ.get("IDP_USERS", "{}"))


def _configure() -> None:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="oidc-provider-of-the-tests-only",
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        TEMPLATES=[
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ],
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["IDP_DB"]}
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        LOGIN_URL="/login/",
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": os.environ["IDP_RSA_KEY"],
            "PKCE_REQUIRED": True,
            "OAUTH2_VALIDATOR_CLASS": "__main__.Validator",
            "SCOPES": {"openid": "OpenID Connect", "email": "e-mail", "profile": "profile"},
        },
    )
    django.setup()


_configure()

from django.contrib.auth import get_user_model, login  # noqa: E402
from django.http import HttpResponse, HttpResponseRedirect  # noqa: E402
from django.urls import include, path  # noqa: E402
from oauth2_provider.oauth2_validators import OAuth2Validator  # noqa: E402


class Validator(OAuth2Validator):
    """Adds the user's e-mail address, whether it is verified, and the name."""

    oidc_claim_scope = None  # every claim, whatever the scopes

    def get_additional_claims(self, request):
        info = USERS.get(request.user.username, {})
        return {
            "email": info.get("email", ""),
            "email_verified": bool(info.get("verified")),
            "name": info.get("name", ""),
        }


def login_as(request):
    user = get_user_model().objects.get(username=request.GET["as"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if "next" in request.GET:
        return HttpResponseRedirect(request.GET["next"])
    return HttpResponse("signed in")


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", login_as),
]


def main() -> None:
    from django.core.management import call_command
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for username in USERS:
        get_user_model().objects.create_user(username=username, password="unused-here")
    client = json.loads(os.environ["IDP_CLIENT"])
    Application.objects.create(
        name="mamori",
        client_id=client["client_id"],
        client_secret=client["secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):  # the test's output stays readable
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(get_wsgi_application())
    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
