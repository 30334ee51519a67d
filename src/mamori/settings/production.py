"""Production mode: HTTPS only, secure cookies, HSTS, hashed static files.

Run behind a TLS-terminating proxy; set ``MAMORI_SECRET_KEY``, ``MAMORI_ALLOWED_HOSTS``
and ``MAMORI_DATABASE_URL``. ``mamori check --deploy`` reports nothing in this mode.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from mamori.settings.base import *  # noqa: F403
from mamori.settings.base import env_bool, env_int

if not os.environ.get("MAMORI_SECRET_KEY"):
    raise ImproperlyConfigured(
        "MAMORI_SECRET_KEY must be set in production mode (every app server needs the same key)."
    )

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("MAMORI_SSL_REDIRECT", True)
if env_bool("MAMORI_BEHIND_PROXY", True):
    # The proxy terminates TLS and says so in this header; strip it from client requests.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("MAMORI_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
