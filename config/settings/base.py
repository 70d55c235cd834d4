"""Settings shared by every environment.

Everything that differs between machines comes from environment variables, read here and only here.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def require_env(name: str) -> str:
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(
            f"{name} is not set. `make run` and `make test` set it for you; "
            "see README.md, 'Configuration'."
        )
    return value


SECRET_KEY = env("SECRET_KEY", "dev-only-not-secret-commons-key-change-me-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1")

# Organisations live at <slug>.<BASE_DOMAIN>; the public site at BASE_DOMAIN itself.
BASE_DOMAIN = env("BASE_DOMAIN", "localhost")
# Port shown in links built outside a request (emails sent from Celery, commands);
# empty in production.
PUBLIC_PORT = env("PUBLIC_PORT", "")
PUBLIC_SCHEME = env("PUBLIC_SCHEME", "http")

# --- Applications -------------------------------------------------------------------------------
# Decided once: the registry and public site in SHARED_APPS; every organisation's data in
# TENANT_APPS. Accounts (auth, sessions, allauth, admin) live in both, so users belong to one
# organisation and platform operators to the public schema.
ACCOUNT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "core.apps.CommonsAdminConfig",  # django.contrib.admin with core.admin_site.CommonsAdminSite
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "core",
]

SHARED_APPS = [
    "django_tenants",
    "tenants",
    *ACCOUNT_APPS,
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "js_lib_htmx",
]

TENANT_APPS = [
    *ACCOUNT_APPS,
    "network",
    "chapters",
    "meetings",
    "governance",
    "governance.elections",
    "apps_marketplace",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Organization"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls"
# New organisations are cloned from this migrated, empty schema: far faster than migrating.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# Set the search path once per connection and schema change, not before every query.
TENANT_LIMIT_SET_CALLS = True

AUTH_USER_MODEL = "core.User"

MIDDLEWARE = [
    "tenants.middleware.OrganizationMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

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
                "core.context_processors.site",
            ],
            # `date` and `url` remembering what they wrote (core/templatetags/remembered.py)
            "builtins": ["core.templatetags.remembered"],
        },
    }
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": {
        **dj_database_url.parse(
            require_env("DATABASE_URL"), conn_max_age=60, conn_health_checks=True
        ),
        "ENGINE": "django_tenants.postgresql_backend",
    }
}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, Celery --------------------------------------------------------------------
REDIS_URL = require_env("REDIS_URL")

CACHES = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        # Keys carry the schema, so one organisation never reads another's cache entries.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Key pages kept whole in Redis until something they show is written (core.pagecache).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# Small results kept until a table they read changes: list totals, long filters' choices
# (core.pagecache.kept_result).
KEPT_RESULTS = env_bool("KEPT_RESULTS", True)
# Host-only cookies: each organisation's host keeps its own session (browsers reject
# Domain=.localhost anyway).
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "UTC"
CELERY_TASK_TENANT_CACHE_SECONDS = 30
# Publishing gives up quickly when Redis is down; the task then waits in the outbox.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# The beat schedule is assembled from each app's schedule.py in config/celery.py.

# --- Accounts (django-allauth) ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, loading the user with their roles and unread count
    "core.auth.SessionUserBackend",
    "core.auth.AccountSessionUserBackend",
    # Sessions made before the switch name these; kept so that nobody is signed out by it
    # (remove once SESSION_COOKIE_AGE has passed since the release that added core.auth).
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "core.accounts.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Commons] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Commons"
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Email --------------------------------------------------------------------------------------
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Commons <no-reply@commons.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Commons API",
    "DESCRIPTION": "The API of one Commons organisation. Every path is relative to the "
    "organisation's own host.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set that several components share (a field name alone, such as
    # "status", would be ambiguous); paths are imported lazily by drf-spectacular.
    "ENUM_NAME_OVERRIDES": {
        "AppCategoryEnum": "apps_marketplace.models.App.Category",
        "EventStatusEnum": "apps_marketplace.models.Event.Status",
        "SponsorshipStatusEnum": "apps_marketplace.models.Sponsorship.Status",
        "ChapterStatusEnum": "chapters.models.Chapter.Status",
        "InvitationStatusEnum": "chapters.models.Invitation.Status",
        "MembershipRoleEnum": "chapters.models.Membership.Role",
        "CommitteeLevelEnum": "governance.models.Level",
        "ElectorateEnum": "governance.models.GovernanceSettings.Electorate",
        "EscalationCategoryEnum": "governance.models.Escalation.Category",
        "EscalationStatusEnum": "governance.models.Escalation.Status",
        "SeatRoleEnum": "governance.models.CommitteeMembership.Role",
        "AttendanceStatusEnum": "meetings.models.Attendance.Status",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
    },
}

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / ".local" / "media")))
MEDIA_URL = "/media/"
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"

# --- Security headers common to all environments -----------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Public sign-up ("start a network"): attempts per IP per hour.
SIGNUP_RATE_LIMIT_PER_HOUR = int(env("SIGNUP_RATE_LIMIT_PER_HOUR", "10") or 10)
# Marketplace: guest (no account) registrations per IP per hour.
MARKETPLACE_GUEST_REGISTRATIONS_PER_HOUR = int(
    env("MARKETPLACE_GUEST_REGISTRATIONS_PER_HOUR", "10") or 10
)
# A worker heartbeat older than this marks the worker as down in /health/.
WORKER_HEARTBEAT_MAX_AGE = 90

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
