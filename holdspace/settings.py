"""Holdspace settings: one module, read from the environment, failing closed.

Three environments (HOLDSPACE_ENV):
- ``embedded`` (default): `make run` on a laptop or small server. Secrets
  are generated once into the data directory (mode 0600).
- ``production``: refuses to start without explicit secrets and allowed
  hosts, with DEBUG on, or with test-speed password hashing.
- ``test``: the test suite; fast hashing is allowed only here.

Every variable is documented in `.env.example` (a test enforces it).
"""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from holdspace.lib import env

BASE_DIR = Path(__file__).resolve().parent

ENVIRONMENT = env.choice("HOLDSPACE_ENV", "embedded", ("embedded", "production", "test"))
PRODUCTION = ENVIRONMENT == "production"
TESTING = ENVIRONMENT == "test"

DATA_DIR = env.path("HOLDSPACE_DATA_DIR", Path.cwd() / "var")
# `holdspace check`, `serve` and `prepare` warn when less than this many
# megabytes are free on the data directory's disk (0: never).
MIN_FREE_MB = env.integer("HOLDSPACE_MIN_FREE_MB", 200, minimum=0, maximum=10_000_000)

DEBUG = env.boolean("HOLDSPACE_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("HOLDSPACE_DEBUG: must be off when HOLDSPACE_ENV=production")

SECRET_KEY = env.secret(
    "HOLDSPACE_SECRET_KEY", generate_into=None if PRODUCTION else DATA_DIR / "secret_key"
)

_DEFAULT_HOSTS = {
    "embedded": ["127.0.0.1", "localhost", "[::1]"],
    "test": ["testserver", "127.0.0.1", "localhost"],
    "production": [],
}
ALLOWED_HOSTS = env.string_list("HOLDSPACE_ALLOWED_HOSTS", _DEFAULT_HOSTS[ENVIRONMENT])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("HOLDSPACE_ALLOWED_HOSTS: missing: name the host(s) users visit")

# `holdspace serve`
SERVE_BIND = env.string("HOLDSPACE_BIND", "127.0.0.1")
SERVE_PORT = env.integer("PORT", 8000, minimum=1, maximum=65535)
SERVE_WORKERS = env.integer("HOLDSPACE_WORKERS", 2, minimum=1, maximum=64)

# Where links printed by the command line (invitations) point to.
BASE_URL = env.url("HOLDSPACE_BASE_URL", f"http://127.0.0.1:{SERVE_PORT}").rstrip("/")

# The neutral page the quick exit leaves for.
QUICK_EXIT_URL = env.url("HOLDSPACE_QUICK_EXIT_URL", "https://www.wikipedia.org/")

INSTALLED_APPS = [
    # Ours first, so our templates and commands take precedence.
    "holdspace.web",
    "holdspace.accounts",
    "holdspace.audit",
    "holdspace.vault",
    "holdspace.processes",
    "holdspace.commitments",
    "holdspace.contact",
    "holdspace.circle",
    "holdspace.decisions",
    "holdspace.portal",
    "holdspace.survivor",
    "holdspace.reports",
    "holdspace.conclusion",
    "holdspace.closure",
    "holdspace.watch",
    "holdspace.demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
]
if TESTING:
    # A toy kind of record, proof that new apps plug in through the registry.
    INSTALLED_APPS.append("holdspace.tests.toy")

MIDDLEWARE = [
    "holdspace.web.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, except that a session the full disk cannot take is not saved (S53).
    "holdspace.web.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "holdspace.web.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "holdspace.accounts.middleware.SessionLifetimeMiddleware",
    "holdspace.accounts.kept.KeptTextMiddleware",
    "holdspace.vault.middleware.KeyringMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "holdspace.web.middleware.PolicyMiddleware",
    "holdspace.web.middleware.MethodNotAllowedMiddleware",
    "holdspace.accounts.middleware.BusyMiddleware",
    "holdspace.web.middleware.StorageFullMiddleware",
    # A closed process is read-only: a POST to its pages says so (closure.guard).
    "holdspace.closure.guard.ClosedProcessMiddleware",
]

ROOT_URLCONF = "holdspace.urls"
WSGI_APPLICATION = "holdspace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "holdspace.web.context.site",
            ],
        },
    }
]
FORM_RENDERER = "holdspace.web.forms.FormRenderer"

# Database: SQLite in the data directory, or PostgreSQL via DATABASE_URL.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA secure_delete=ON",
    "PRAGMA foreign_keys=ON",
    "PRAGMA trusted_schema=OFF",
)


def _database(url: str) -> dict[str, Any]:
    if not url.startswith(("postgres://", "postgresql://")):
        raise ValueError("only postgres:// or postgresql:// addresses are supported")
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    config["CONN_HEALTH_CHECKS"] = True
    return config


_sqlite: dict[str, Any] = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": DATA_DIR / "holdspace.sqlite3",
    "OPTIONS": {
        "init_command": ";".join(SQLITE_PRAGMAS),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    },
    "TEST": {"NAME": DATA_DIR / "test.sqlite3"},
}
DATABASES = {"default": env.parsed("DATABASE_URL", _sqlite, _database)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "hs-login"
LOGIN_REDIRECT_URL = "hs-dashboard"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHING = env.choice(
    "HOLDSPACE_PASSWORD_HASHING", "fast" if TESTING else "argon2", ("argon2", "fast")
)
if PASSWORD_HASHING == "fast" and not TESTING:  # noqa: S105
    raise ImproperlyConfigured(
        "HOLDSPACE_PASSWORD_HASHING: 'fast' is for the test suite only; use 'argon2'"
    )
# Encryption at rest (holdspace.vault): the instance key, kept outside the
# database, and the Argon2id cost of the password-derived key.
VAULT_INSTANCE_KEY_FILE = env.path("HOLDSPACE_INSTANCE_KEY_FILE", DATA_DIR / "instance_key")
# Where `holdspace backup-keygen` keeps the backup public key (never the private one).
BACKUP_PUBLIC_KEY_FILE = env.path(
    "HOLDSPACE_BACKUP_PUBLIC_KEY_FILE", DATA_DIR / "backup_public_key"
)
VAULT_KDF_MEMORY_MIB = env.integer("HOLDSPACE_KDF_MEMORY_MIB", 64, minimum=64, maximum=4096)
VAULT_KDF = (
    {"time_cost": 1, "memory_kib": 8, "parallelism": 1}
    if PASSWORD_HASHING == "fast"  # noqa: S105
    else {"time_cost": 3, "memory_kib": VAULT_KDF_MEMORY_MIB * 1024, "parallelism": 1}
)

PASSWORD_HASHERS = [
    "holdspace.accounts.hashers.FastTestHasher"
    if PASSWORD_HASHING == "fast"  # noqa: S105
    else "holdspace.accounts.hashers.GatedArgon2PasswordHasher"
]
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 1024
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "holdspace.accounts.passwords.LengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "holdspace.accounts.passwords.BreachedPasswordValidator"},
]
# Ask the Have I Been Pwned range API (k-anonymity: only 5 hex digits of
# the SHA-1 leave the server) whether a new password appeared in a breach.
BREACH_CHECK = env.boolean("HOLDSPACE_BREACH_CHECK", False)

INVITATION_DAYS = env.integer("HOLDSPACE_INVITATION_DAYS", 7, minimum=1, maximum=60)
# A flood of log-ins across many usernames (S50): after this many failed
# log-ins within a minute from one network (an IPv4 address, an IPv6 /64),
# further attempts from there wait, without any password being checked and
# without locking any account. 0 turns the limit off.
NETWORK_LOGIN_LIMIT = env.integer("HOLDSPACE_NETWORK_LOGIN_LIMIT", 20, minimum=0, maximum=10_000)
# Password checks run one at a time per worker process (holdspace.lib.hardwork);
# beyond this many waiting, or after waiting this long, a request is asked to
# try again in a moment (503) instead of queueing without end.
PASSWORD_QUEUE_LENGTH = env.integer("HOLDSPACE_PASSWORD_QUEUE_LENGTH", 8, minimum=0, maximum=1000)
PASSWORD_QUEUE_SECONDS = env.integer("HOLDSPACE_PASSWORD_QUEUE_SECONDS", 5, minimum=1, maximum=120)
# Sessions end after this long without a request, and after this long at all.
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
# A sensitive action needs the password confirmed within this window.
REAUTH_WINDOW = timedelta(minutes=10)
# Between the password step and the code step of a log-in.
LOGIN_PENDING_TIMEOUT = timedelta(minutes=10)

SESSION_ENGINE = "holdspace.accounts.sessions"
SESSION_COOKIE_NAME = "__Host-hs-session"
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_NAME = "__Host-hs-csrf"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_FAILURE_VIEW = "holdspace.web.views.csrf_failure"
LANGUAGE_COOKIE_NAME = "__Host-hs-lang"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Strict"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Two-factor authentication (django-otp)
# The name authenticator apps show next to the codes. Someone who looks at
# a phone sees it, so an instance may choose something discreet.
OTP_TOTP_ISSUER = env.string("HOLDSPACE_TOTP_ISSUER", "Holdspace")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Lockout (django-axes): per username *and* IP, so nobody can lock a
# supporter out from elsewhere by guessing at her username.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "holdspace.accounts.views.login.locked_out"
AXES_CLIENT_IP_CALLABLE = "holdspace.lib.http.client_ip"
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password"]

# Number of reverse proxies in front of Holdspace that set X-Forwarded-For
# and X-Forwarded-Proto (0 = Holdspace faces the network directly).
TRUSTED_PROXIES = env.integer("HOLDSPACE_TRUSTED_PROXIES", 0, minimum=0, maximum=5)
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Browser security (S28, S29)
SECURE_SSL_REDIRECT = env.boolean("HOLDSPACE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Preloading HSTS is a decision for the whole domain, not for this app.
# W003 looks for Django's CSRF middleware by name; ours is a subclass, and
# holdspace.E016 checks that it is installed instead.
SILENCED_SYSTEM_CHECKS = ["security.W021", "security.W003"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        # The quick exit without JavaScript is a form whose answer redirects
        # to the neutral site; browsers check form-action on that redirect.
        "form-action": [SELF, env.origin(QUICK_EXIT_URL)],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Requests: the largest form (a letter of 200,000 characters, sent URL-encoded
# at up to 12 bytes per character: 2.4 MB) fits with room to spare; a test
# walks the forms to keep it so. A bigger request gets a calm page that shows
# the text back (holdspace.web.views.bad_request).
DATA_UPLOAD_MAX_MEMORY_SIZE = 3_000_000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

# Internationalisation
LANGUAGE_CODE = env.choice("HOLDSPACE_LANGUAGE", "en", ("en", "de"))
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Dates as each language writes them (German: "3. Mai 2026"); templates use DATE_FORMAT.
FORMAT_MODULE_PATH = ["holdspace.formats"]


def _time_zone(name: str) -> str:
    try:
        return str(zoneinfo.ZoneInfo(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (for example: Europe/Berlin)") from None


TIME_ZONE = env.parsed("HOLDSPACE_TIME_ZONE", "UTC", _time_zone)
USE_TZ = True

# Static files, served by WhiteNoise straight from the package.
STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Logs are content-free by design: ids and action codes, never text.
LOG_LEVEL = env.choice("HOLDSPACE_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "holdspace.lib.logs.ContentFreeFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    # Secret-bearing addresses (invitation, reset and group links, calendar
    # feeds) never reach a log line (S49): every handler redacts them, and so
    # do the loggers that write request paths, before any handler sees them.
    "filters": {"secret_paths": {"()": "holdspace.lib.logs.RedactSecretPaths"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["secret_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Axes would log usernames; our own security log uses account ids.
        "axes": {"level": "ERROR"},
        # Django's own handlers (console in DEBUG, e-mails to ADMINS) are not
        # content-free: everything goes through ours instead.
        "django": {"handlers": [], "propagate": True},
        "django.request": {"filters": ["secret_paths"]},
        "django.security.csrf": {"filters": ["secret_paths"]},
        "django.server": {
            "level": "WARNING",
            "handlers": [],
            "propagate": True,
            "filters": ["secret_paths"],
        },
    },
}

# E-mail: only content-free reminders ever go out (S35). Without an SMTP
# host, the embedded default writes them as sealed files into
# <data dir>/outbox instead; production then sends none.
SMTP_HOST = env.optional_string("HOLDSPACE_SMTP_HOST")
DEFAULT_FROM_EMAIL = env.string("HOLDSPACE_EMAIL_FROM", "holdspace@localhost")
EMAIL_PORT = env.integer("HOLDSPACE_SMTP_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env.string("HOLDSPACE_SMTP_USER", "")
EMAIL_HOST_PASSWORD = env.optional_secret("HOLDSPACE_SMTP_PASSWORD")
_SMTP_SECURITY = env.choice("HOLDSPACE_SMTP_SECURITY", "starttls", ("starttls", "tls", "none"))
EMAIL_USE_TLS = _SMTP_SECURITY == "starttls"
EMAIL_USE_SSL = _SMTP_SECURITY == "tls"
EMAIL_TIMEOUT = 20
EMAIL_FILE_PATH = str(DATA_DIR / "outbox")
if SMTP_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = SMTP_HOST
elif TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    # Sealed with the instance key: no plain address at rest (`holdspace outbox`).
    EMAIL_BACKEND = "holdspace.accounts.outbox.SealedOutboxBackend"
EMAIL_ENABLED = bool(SMTP_HOST) or not PRODUCTION

# The embedded server runs the watchdog's tick itself every this many
# seconds (0: never; use `holdspace tick` from cron or a timer instead).
TICK_SECONDS = env.integer(
    "HOLDSPACE_TICK_SECONDS", 0 if PRODUCTION else 900, minimum=0, maximum=86_400
)
