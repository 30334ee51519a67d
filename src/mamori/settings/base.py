"""Settings shared by every mode, configured from the environment.

Environment variables:

- ``MAMORI_DATA_DIR``: where the SQLite database, uploads and the generated secret key
  live (default ``$XDG_DATA_HOME/mamori`` or ``~/.local/share/mamori``).
- ``MAMORI_DATABASE_URL``: a database URL such as ``postgres://user@host:5432/mamori``;
  without it mamori uses SQLite (WAL) in the data directory.
- ``MAMORI_SECRET_KEY``: Django's secret key; without it a random key is generated
  once and kept in the data directory (required in production mode).
- ``MAMORI_DEBUG``: ``1`` to show Django's debug pages (never in production).
- ``MAMORI_ALLOWED_HOSTS``: comma-separated host names (default ``127.0.0.1,localhost``).
- ``MAMORI_CSRF_TRUSTED_ORIGINS``: comma-separated origins behind a proxy.
- ``MAMORI_MAX_UPLOAD_MB``: the largest evidence file accepted (default 20).
- ``MAMORI_MAX_REQUEST_MB``: the largest request body read at all (default five times
  the largest upload); a larger one is refused from its Content-Length with 413.
- ``MAMORI_BLACKBOX_KEEP_HOURS``: how long a sanitized file stays downloadable (default 24).
- ``MAMORI_BLACKBOX_SUFFIX``: added to the name of a sanitized file before its extension
  (default ``_送付用``: 仕様書.docx -> 仕様書_送付用.docx).
- ``MAMORI_AUDIT_KEY``: the key of the audit log's keyed hashes, checkpoints and backup
  manifests (default: derived from the secret key).
- ``MAMORI_AUDIT_CHECKPOINT_DIR`` (default ``MAMORI_DATA_DIR/audit``) and
  ``MAMORI_AUDIT_CHECKPOINT_SECONDS`` (default 60; 0: only on demand): the signed
  checkpoints of the audit log's head.
- ``MAMORI_AUDIT_JOURNAL`` (default on): append every committed audit entry, signed, to
  the checkpoint file as well.
- ``MAMORI_LOGIN_FAILURE_LIMIT``: failed sign-ins from one address before that user name is
  locked for that address (default 5).
- ``MAMORI_LOCKOUT_MINUTES``: how long the first lockout lasts (default 5); each further
  lockout of the same user name and address doubles it, up to ``MAMORI_LOCKOUT_MAX_HOURS``
  (default 24).
- ``MAMORI_TRUSTED_PROXIES``: comma-separated addresses or networks of reverse proxies whose
  ``X-Forwarded-For`` header names the client (default none: the header is ignored).
- ``MAMORI_MFA_REQUIRED``: who must sign in with a second factor: ``officer`` (default),
  ``all`` or ``none``; ``MAMORI_WEBAUTHN_ALLOW_HTTP``: passkeys over plain HTTP (testing).
- ``MAMORI_SSO_SERVER_URL``, ``_CLIENT_ID``, ``_CLIENT_SECRET``, ``_NAME``, ``_TRUST_EMAIL``,
  ``_UNKNOWN``: sign-in with the company's OpenID Connect provider (``mamori.accounts.sso``).
- ``MAMORI_CATALOG_DIR``: an alternative handbook catalog directory (for editors).
- ``MAMORI_BASE_URL``: the address people open mamori at, for links in e-mails.
- ``MAMORI_EMAIL_BACKEND``: ``console`` (default), ``smtp``, ``file`` or a dotted path;
  ``MAMORI_EMAIL_HOST``, ``_PORT``, ``_HOST_USER``, ``_HOST_PASSWORD``, ``_USE_TLS``,
  ``_USE_SSL``, ``_TIMEOUT``, ``_FROM`` and ``_FILE_PATH`` configure it.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "mamori"


DATA_DIR = Path(os.environ.get("MAMORI_DATA_DIR") or _default_data_dir()).resolve()


def _secret_key() -> str:
    """Return the configured key, or one generated once and kept in the data directory."""
    configured = os.environ.get("MAMORI_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key, encoding="ascii")
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("MAMORI_DEBUG")
ALLOWED_HOSTS = env_list("MAMORI_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("MAMORI_CSRF_TRUSTED_ORIGINS", "")
# Proxies whose X-Forwarded-For is believed (mamori.core.client); validated here so that a
# typo stops the start instead of silently trusting nothing.
MAMORI_TRUSTED_PROXIES = env_list("MAMORI_TRUSTED_PROXIES", "")
for _proxy in MAMORI_TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    # Second factors (TOTP, passkeys, recovery codes) and sign-in with the company's
    # identity provider over OpenID Connect; mamori's own pages drive them
    # (mamori.accounts.security, mamori.accounts.sso).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rest_framework",  # its Japanese messages for the API's validation errors
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, no CDN
    "django_tasks",
    "django_tasks_db",  # background tasks in the database; `mamori db_worker` runs them
    "mamori.core",
    "mamori.audit",
    "mamori.accounts",
    "mamori.catalog",
    "mamori.company",
    "mamori.assessment",
    "mamori.people",
    "mamori.assets",
    "mamori.rulebook",
    "mamori.lifecycle",
    "mamori.partners",
    "mamori.contracts",
    "mamori.disclosures",
    "mamori.sites",
    "mamori.incidents",
    "mamori.governance",
    "mamori.blackbox",
    "mamori.watch",
    "mamori.exportcontrol",
    "mamori.findings",
    "mamori.approvals",
    "mamori.api",
    "mamori.reports",
    "mamori.exchange",
    "mamori.notify",
    "mamori.backup",
    "mamori.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mamori.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mamori.core.middleware.UserLanguageMiddleware",
    "mamori.core.middleware.RequestSizeLimitMiddleware",
    "mamori.audit.middleware.AuditActorMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mamori.accounts.middleware.PasswordChangeRequiredMiddleware",
    "mamori.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mamori.urls"
WSGI_APPLICATION = "mamori.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mamori.core.context_processors.mamori",
                "mamori.company.context_processors.company",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------

SQLITE_OPTIONS = {
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
    # the start of a transaction so two writers queue instead of failing half-way.
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}

_database_url = os.environ.get("MAMORI_DATABASE_URL")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "mamori.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts and security ---------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# --- second factor (django-allauth's MFA) ---
# Who must use a second factor: "officer" (default), "all" or "none". A user who must and
# has none is sent to enrol right after the password; `mamori demo` runs with "none".
MAMORI_MFA_REQUIRED = os.environ.get("MAMORI_MFA_REQUIRED", "officer").strip().lower()
if MAMORI_MFA_REQUIRED not in {"officer", "all", "none"}:
    raise ValueError("MAMORI_MFA_REQUIRED must be officer, all or none")
MFA_ADAPTER = "mamori.accounts.security.MamoriMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = "mamori"
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_ALLOW_UNVERIFIED_EMAIL = True  # mamori's accounts are made by the officer, not signed up
MFA_REAUTHENTICATION_REQUIRED = False  # mamori's pages ask for a current code instead
# Passkeys need a secure origin; http://localhost counts as one for browsers, not for
# allauth's check, so development (DEBUG) allows it.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("MAMORI_WEBAUTHN_ALLOW_HTTP", DEBUG)
ACCOUNT_ADAPTER = "mamori.accounts.security.MamoriAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False

# --- sign-in with the company's identity provider (OpenID Connect; mamori.accounts.sso) ---
MAMORI_SSO_SERVER_URL = os.environ.get("MAMORI_SSO_SERVER_URL", "").strip()
# Accept the provider's addresses as verified without email_verified (Entra ID, one tenant).
MAMORI_SSO_TRUST_EMAIL = env_bool("MAMORI_SSO_TRUST_EMAIL")
MAMORI_SSO_UNKNOWN = os.environ.get("MAMORI_SSO_UNKNOWN", "refuse").strip().lower()
if MAMORI_SSO_UNKNOWN not in {"refuse", "employee"}:
    raise ValueError("MAMORI_SSO_UNKNOWN must be refuse or employee")
SOCIALACCOUNT_ADAPTER = "mamori.accounts.sso.MamoriSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True  # only for MAMORI_SSO_UNKNOWN=employee, see the adapter
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # the adapter matches verified e-mails itself
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS: dict = {}
if MAMORI_SSO_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "company",  # the redirect URI: /accounts/oidc/company/…
                    "name": os.environ.get("MAMORI_SSO_NAME", ""),
                    "client_id": os.environ.get("MAMORI_SSO_CLIENT_ID", ""),
                    "secret": os.environ.get("MAMORI_SSO_CLIENT_SECRET", ""),
                    "settings": {"server_url": MAMORI_SSO_SERVER_URL},
                }
            ],
        }
    }

AXES_FAILURE_LIMIT = env_int("MAMORI_LOGIN_FAILURE_LIMIT", 5)
# Lock the pair of user name and address, not the account: anyone could otherwise lock the
# officer out by failing on purpose; nor the address alone: offices sign in through one NAT.
# Each further lockout of the same pair doubles the delay (mamori.accounts.lockout).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
MAMORI_LOCKOUT_BASE = timedelta(minutes=env_int("MAMORI_LOCKOUT_MINUTES", 5))
MAMORI_LOCKOUT_MAX = timedelta(hours=env_int("MAMORI_LOCKOUT_MAX_HOURS", 24))
AXES_COOLOFF_TIME = "mamori.accounts.lockout.cool_off"
AXES_HANDLER = "mamori.accounts.lockout.GrowingLockoutHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "mamori.core.client.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_LOCKOUT_CALLABLE = "mamori.accounts.lockout.lockout_response"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- language and time -------------------------------------------------------------------

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "mamori_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["mamori.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

# --- files -------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # filled by ``mamori collectstatic`` in production
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "uploads"
STORAGES = {
    # Uploaded evidence is never served directly: views check permissions first.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAMORI_MAX_UPLOAD_BYTES = env_int("MAMORI_MAX_UPLOAD_MB", 20) * 1024 * 1024
# Background tasks (the full findings run...) are kept in the database and run by
# `mamori db_worker` (`mamori run` starts it beside the development server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The largest request body read at all: larger ones are refused (413) from Content-Length.
MAMORI_MAX_REQUEST_BYTES = (
    env_int("MAMORI_MAX_REQUEST_MB", 0) * 1024 * 1024 or MAMORI_MAX_UPLOAD_BYTES * 5
)
# How long black-boxing keeps a sanitized file for download; then only its SHA-256 stays.
MAMORI_BLACKBOX_KEEP_HOURS = env_int("MAMORI_BLACKBOX_KEEP_HOURS", 24)
MAMORI_BLACKBOX_SUFFIX = os.environ.get("MAMORI_BLACKBOX_SUFFIX", "_送付用")
# The key of the audit log's keyed hashes, its checkpoints and backup manifests; kept
# outside the database. Empty: derived from SECRET_KEY (then keep SECRET_KEY unchanged).
MAMORI_AUDIT_KEY = os.environ.get("MAMORI_AUDIT_KEY", "")
# Signed checkpoints of the audit log's head, one file a day, outside the database.
MAMORI_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("MAMORI_AUDIT_CHECKPOINT_DIR") or DATA_DIR / "audit"
)
# At most one checkpoint this often (seconds) after a change; 0 writes none by itself
# (``mamori audit checkpoint`` and the digest still do).
MAMORI_AUDIT_CHECKPOINT_SECONDS = env_int("MAMORI_AUDIT_CHECKPOINT_SECONDS", 60)
# Every committed entry is also appended to that file (the journal), so that removing the
# newest entries is caught however recent they are.
MAMORI_AUDIT_JOURNAL = env_bool("MAMORI_AUDIT_JOURNAL", True)
FILE_UPLOAD_HANDLERS = [
    "mamori.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

MAMORI_CATALOG_DIR = os.environ.get("MAMORI_CATALOG_DIR") or None

# --- e-mail (the digest of ``mamori notify``) --------------------------------------------

EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = os.environ.get("MAMORI_EMAIL_BACKEND", "").strip() or "console"
EMAIL_BACKEND = EMAIL_BACKENDS.get(_email_backend, _email_backend)
EMAIL_HOST = os.environ.get("MAMORI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("MAMORI_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("MAMORI_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MAMORI_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("MAMORI_EMAIL_USE_SSL")
EMAIL_USE_TLS = env_bool("MAMORI_EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = env_int("MAMORI_EMAIL_TIMEOUT", 30)
EMAIL_FILE_PATH = os.environ.get("MAMORI_EMAIL_FILE_PATH") or str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("MAMORI_EMAIL_FROM", "mamori@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAMORI_BASE_URL = os.environ.get("MAMORI_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- REST API (schema at /api/schema/, docs at /api/docs/) ------------------------------

from mamori.api.spectacular_settings import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402, F401

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "mamori": {"level": os.environ.get("MAMORI_LOG_LEVEL", "INFO")},
        # 403 and 404 are expected answers, not incidents; errors (500) are still logged.
        "django.request": {"level": "ERROR"},
    },
}
