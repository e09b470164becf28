"""The one settings module. Every knob is a ``QUALITAS_*`` environment variable (see README)."""

from __future__ import annotations

import datetime as dt
import sys
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from platformdirs import user_data_dir

from qualitas.env import env_bool, env_choice, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent
TESTING = "pytest" in sys.modules
DATA_DIR = env_path("DATA_DIR", Path(user_data_dir("qualitas", appauthor=False)))

DEBUG = env_bool("DEBUG", False)
DEMO = env_bool("DEMO", False)
# The embedded installation: SQLite in the per-user data directory, served on localhost.
EMBEDDED = env_bool("EMBEDDED", False)
LOCAL = DEBUG or DEMO or EMBEDDED or TESTING

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "QUALITAS_SECRET_KEY must be set (it may be omitted only with QUALITAS_DEBUG=1; "
            "`qualitas demo` sets one for you)."
        )

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] + (["testserver"] if TESTING else [])
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "qualitas.accounts.apps.OperatorAdminConfig",  # django.contrib.admin, for installation operators
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",  # login throttling and lockout (docs/adr/0013-login-protection.md)
    "django_tasks",  # background tasks (docs/adr/0014-task-queue.md)
    "django_tasks_db",
    # Qualitas: mechanisms first, then the areas.
    "qualitas.core",
    "qualitas.accounts",
    "qualitas.actions",
]
# The QMS areas, in the order their navigation and demo data build on each other. Each is a Django app
# at qualitas.<area>; its urls.py is mounted at /<area>/ and its api/urls.py under /api/ (see urls.py).
QUALITAS_AREAS = [
    "planning",
    "standards",
    "documents",
    "improvement",
    "production",
    "audits",
    "reviews",
    "assessment",
]
INSTALLED_APPS += [f"qualitas.{area}" for area in QUALITAS_AREAS]
INSTALLED_APPS += ["qualitas.bench"]  # `qualitas bench generate|run|load` (docs/performance.md)
INSTALLED_APPS += ["qualitas.demo"]  # `qualitas demo`: the demo organization, loaded through every area

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "qualitas.core.middleware.RequestContextMiddleware",
    "qualitas.accounts.middleware.OrganizationMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "qualitas.urls"
WSGI_APPLICATION = "qualitas.wsgi.application"
ASGI_APPLICATION = "qualitas.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qualitas.core.context_processors.qualitas",
            ],
        },
    }
]

# --- Database: SQLite in the per-user data directory by default, PostgreSQL in production.
_default_db = f"sqlite:///{DATA_DIR / 'qualitas.sqlite3'}"
_db_url = env_str("DATABASE_URL", _default_db)
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
except ValueError as exc:
    raise ImproperlyConfigured(f"QUALITAS_DATABASE_URL is not a database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif _db["ENGINE"] not in ("django.db.backends.postgresql",):
    raise ImproperlyConfigured("QUALITAS_DATABASE_URL must be a sqlite:/// or postgres:// URL.")
if TESTING and env_str("TEST_DATABASE_NAME"):
    # A test database in a file (SQLite): threaded tests then open connections of their own.
    _db["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]
# Login protection (docs/deploy.md "Login protection"): after LOGIN_FAILURE_LIMIT failed logins for one
# account, or from one address, further attempts are refused until LOGIN_COOLOFF_MINUTES have passed
# without one (`qualitas axes_reset_username NAME` / `axes_reset_ip ADDRESS` release a lockout earlier).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "qualitas.accounts.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "qualitas.accounts.security.client_ip"
AXES_VERBOSE = False
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"QUALITAS_TIME_ZONE is not a known time zone: {TIME_ZONE!r}.") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Local runs serve static files straight from the package (WhiteNoise finders); a server installation
# runs `qualitas collectstatic` into STATIC_ROOT.
STATIC_ROOT = env_path("STATIC_ROOT", DATA_DIR / "static") if (env_str("STATIC_ROOT") or not LOCAL) else None
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = LOCAL
MEDIA_ROOT = env_path("MEDIA_DIR", DATA_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if LOCAL
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
QUALITAS_MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_MB", 25, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = QUALITAS_MAX_UPLOAD_BYTES + 1024 * 1024
# Audit-chain checkpoints (`qualitas audit checkpoint`, docs/deploy.md): signed with a key that the
# database never holds (the key itself, or a file that holds it), written outside the database.
# E-signatures: wrong passwords within the window lock signing for that person (core/signatures.py).
QUALITAS_SIGNING_MAX_FAILURES = env_int("SIGNING_MAX_FAILURES", 5, minimum=1)
QUALITAS_SIGNING_LOCK_MINUTES = env_int("SIGNING_LOCK_MINUTES", 15, minimum=1)
QUALITAS_CHECKPOINT_KEY = env_str("CHECKPOINT_KEY")
QUALITAS_CHECKPOINT_KEY_FILE = env_path("CHECKPOINT_KEY_FILE", DATA_DIR / "checkpoint.key")
QUALITAS_CHECKPOINT_DIR = env_path("CHECKPOINT_DIR", DATA_DIR / "checkpoints")

EMAIL_BACKEND = env_choice(
    "EMAIL_BACKEND",
    {
        "console": "django.core.mail.backends.console.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
    },
    # The demo and the embedded installation keep their mail in files (the administrators' mailbox page).
    "file" if (DEMO or EMBEDDED) and not TESTING else "console",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("EMAIL_FROM", "qualitas@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people reach this installation: every link in a mail is absolute (core/background/mail.py).
QUALITAS_BASE_URL = env_str("BASE_URL", "http://127.0.0.1:8000" if LOCAL else None, required=not LOCAL)
QUALITAS_BASE_URL = QUALITAS_BASE_URL.rstrip("/")
if not QUALITAS_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"QUALITAS_BASE_URL must start with http:// or https://; got {QUALITAS_BASE_URL!r}."
    )

# --- Background tasks (docs/adr/0014-task-queue.md): django-tasks with its database backend, on the
# same database. `qualitas serve`/`demo` run a worker and the scheduler in-process; a server runs
# `qualitas worker` processes (any number). Tests run each task at once, in the caller's thread.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
# Tasks run by a worker (False in tests, where each runs at once in the caller's thread).
QUALITAS_TASKS_IN_BACKGROUND = not TESTING
# Reminders: days before the due date (0 = on the day and after: overdue), and the daily hour (local
# time) from which daily jobs run.
try:
    QUALITAS_REMINDER_OFFSETS = sorted(
        {int(d) for d in env_list("REMINDER_DAYS", ["7", "1", "0"])}, reverse=True
    )
except ValueError:
    raise ImproperlyConfigured("QUALITAS_REMINDER_DAYS must be whole numbers, e.g. 7,1,0.") from None
QUALITAS_JOBS_HOUR = env_int("JOBS_HOUR", 2, minimum=0)
if QUALITAS_JOBS_HOUR > 23 or any(d < 0 or d > 90 for d in QUALITAS_REMINDER_OFFSETS):
    raise ImproperlyConfigured("QUALITAS_JOBS_HOUR must be 0..23 and QUALITAS_REMINDER_DAYS each 0..90.")

# --- Security (production defaults are strict; `qualitas check --deploy` is clean with them).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
_https = env_bool("HTTPS", not LOCAL)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https and env_bool("SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 12, minimum=1) * 3600
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "qualitas.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["qualitas.core.api.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "qualitas.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "qualitas.core.api.ordering.StableOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "qualitas.core.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Qualitas API",
    "DESCRIPTION": "REST API of the Qualitas quality management system. Every resource is scoped to the "
    "organization of the token (or of the session).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING").upper()},
}
