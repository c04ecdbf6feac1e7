"""Settings for coopsip, read from environment variables.

One module for every environment: the defaults are safe for a developer's
laptop (SQLite, DEBUG, mails printed to the console, tasks run at once) and
production sets the variables documented in docs/operations.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE as CSP_NONCE
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
DATA_DIR = Path(env_str("DATA_DIR", str(PROJECT_DIR / "var")))

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    # Our apps, in the order of their dependencies.
    "coopsip.core",
    "coopsip.places",
    "coopsip.accounts",
    "coopsip.members",
    "coopsip.editions",
    "coopsip.surveys",
    "coopsip.votes",
    "coopsip.registrations",
    "coopsip.events",
    "coopsip.formation",
    "coopsip.groups",
    "coopsip.notifications",
    "coopsip.groupspace",
    "coopsip.networking",
    "coopsip.contributions",
    "coopsip.recommendations",
    "coopsip.home",
    "coopsip.stats",
    "coopsip.api",
    "coopsip.demo",
    "coopsip.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "coopsip.ops.middleware.SecurityHeadersMiddleware",
    # The Content-Security-Policy header, with a fresh nonce for the page's own <script> tags (see below).
    "csp.middleware.CSPMiddleware",
    # Before any session or database work: a request that waited too long in the queue gets a quick 503.
    "coopsip.ops.overload.QueueLimitMiddleware",
    "coopsip.ops.lockouts.KnownDeviceMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "coopsip.accounts.middleware.RequireMfaMiddleware",
    # AxesMiddleware should be the last middleware.
    "axes.middleware.AxesMiddleware",
]

# The bounded queue (ops/overload.py): seconds a page (GET) or a form sent (POST) may wait for a free web
# process, measured from the proxy's X-Request-Start stamp, before it is answered 503 with Retry-After.
QUEUE_LIMIT_SECONDS = float(env_str("QUEUE_LIMIT_SECONDS", "1.0"))
QUEUE_LIMIT_WRITE_SECONDS = float(env_str("QUEUE_LIMIT_WRITE_SECONDS", "25.0"))

ROOT_URLCONF = "coopsip.urls"
WSGI_APPLICATION = "coopsip.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coopsip.core.context_processors.site",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------
# DATABASE_URL picks PostgreSQL in production (postgres://user:pass@host/name).
# Without it, SQLite in WAL mode with immediate transactions, so that two
# writers queue instead of failing with "database is locked".
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: the site's queries are short, and compiling them cost more than running them (0.16 s of a
        # 0.24 s list query, measured in bench/recommendations.py).
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        # random_page_cost 1.1 (solid-state storage): with the default 4, a common word with a sector filter was
        # a full table scan (50 ms against 13-27 ms; bench/networking.py, docs/networking.md).
        _options["options"] = f"{_options.get('options', '')} -c jit=off -c random_page_cost=1.1".strip()
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "coopsip.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": ("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# With the shared cache, a logged-in request reads its session from Redis, not from the database (written
# to both, so a restart of Redis logs nobody out).
if env_str("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Slows down guessing on one account from many addresses, never locks the owner out.
    "coopsip.ops.lockouts.AccountSlowdownBackend",
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home:me"  # the personal home: what to do next
LOGOUT_REDIRECT_URL = "home:index"

ACCOUNT_ADAPTER = "coopsip.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[coopsip] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_RATE_LIMITS = {
    # Per address only: a limit per account would let anyone lock its owner out (coopsip/ops/lockouts.py).
    "login_failed": "10/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "coopsip"
# Staff and board members, and anyone with access to the Django admin, must
# have an authenticator app set up.
COOPSIP_MFA_REQUIRED_GROUPS = ["cooperative-life", "board"]
USERSESSIONS_TRACK_ACTIVITY = False

# django-axes guards every password login, the Django admin's included.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "coopsip.accounts.adapter.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
# Wrong passwords for one account from any address, counted in the shared cache: past this many in
# the window, tries from unknown devices must wait 1, 2, 4 … up to the maximum seconds between them.
COOPSIP_LOGIN_SLOWDOWN_AFTER = env_int("COOPSIP_LOGIN_SLOWDOWN_AFTER", 10)
COOPSIP_LOGIN_SLOWDOWN_WINDOW = env_int("COOPSIP_LOGIN_SLOWDOWN_WINDOW", 3600)  # seconds
COOPSIP_LOGIN_SLOWDOWN_MAX = env_int("COOPSIP_LOGIN_SLOWDOWN_MAX", 300)  # seconds

# How often a person may try to link their account to the member register.
COOPSIP_VERIFY_ATTEMPTS = env_int("COOPSIP_VERIFY_ATTEMPTS", 5)
COOPSIP_VERIFY_PERIOD = env_int("COOPSIP_VERIFY_PERIOD", 3600)  # seconds
COOPSIP_CONTACT_EMAIL = env_str("COOPSIP_CONTACT_EMAIL", "cooperatief.leven@example.org")

# --- Languages ---------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates per language: day first and a 24-hour clock in English too (coopsip/formats/).
FORMAT_MODULE_PATH = ["coopsip.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "coopsip_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_LANGUAGES = ("nl", "fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("nl", "fr", "en")}

# --- Static and uploaded files -----------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Email -------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "coopsip <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Retries of a failed delivery, and the first wait; each next wait doubles.
COOPSIP_EMAIL_MAX_ATTEMPTS = env_int("COOPSIP_EMAIL_MAX_ATTEMPTS", 6)
COOPSIP_EMAIL_RETRY_SECONDS = env_int("COOPSIP_EMAIL_RETRY_SECONDS", 60)

# Group formation: how long the engine may search, and how far people travel to an in-person group.
COOPSIP_FORMATION_SECONDS = env_int("COOPSIP_FORMATION_SECONDS", 20)
COOPSIP_FORMATION_MAX_TRAVEL_KM = env_int("COOPSIP_FORMATION_MAX_TRAVEL_KM", 40)

# --- Background tasks --------------------------------------------------------
# Locally tasks run at once, in the request; production sets
# TASKS_BACKEND=database and runs `manage.py db_worker`.
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default", "email"],
    }
}

# Task workers beat every few seconds; a task whose worker is silent for the lease goes back to the queue.
COOPSIP_WORKER_HEARTBEAT_SECONDS = float(env_str("COOPSIP_WORKER_HEARTBEAT_SECONDS", "2"))
COOPSIP_WORKER_LEASE_SECONDS = float(env_str("COOPSIP_WORKER_LEASE_SECONDS", "10"))
# Backups (`manage.py backup`/`restore`) and the journal of account deletions beside them.
COOPSIP_BACKUP_DIR = Path(env_str("COOPSIP_BACKUP_DIR", str(DATA_DIR / "backups")))

# --- Security ----------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Behind a reverse proxy, say how many proxies add themselves to X-Forwarded-For:
# the rate limits of allauth and django-axes then see the person's address, not the proxy's.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PROXY_COUNT else None
ALLAUTH_TRUSTED_PROXY_COUNT = PROXY_COUNT
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if PROXY_COUNT else ("REMOTE_ADDR",)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): the browser runs only the site's own script files and reads only its own
# stylesheets, images and fonts. An inline <script> or <style> runs only with this response's nonce
# (nonce="{{ request.csp_nonce }}"); a style="" or on…="" attribute, hx-on or javascript: never does.
# docs/operations.md, "Content-Security-Policy", says how to add a script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF, CSP_NONCE],
        "style-src": [CSP_SELF, CSP_NONCE],
        "img-src": [CSP_SELF, "data:"],
        "connect-src": [CSP_SELF],
        "font-src": [CSP_SELF],
        # An event page's map: OpenStreetMap's embed in a frame (events_tags.map_embed), which loads its own tiles.
        "frame-src": ["https://www.openstreetmap.org"],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
        "form-action": [CSP_SELF],
    },
}
CSRF_FAILURE_VIEW = "coopsip.core.views.csrf_failure"
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")
if not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way decision for the domain owner, not a default.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}
